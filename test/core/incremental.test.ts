import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Analyzer, finalizeFindings, runWorkspaceRules, type FileAnalysis } from '../../server/src/analysis/analyze';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/types';
import { ALL_RULES, KNOWN_RULE_IDS } from '../../server/src/rules';
import { applyEdit, edit, yamlFile } from './support/yamlPieces';

const options = defaultOptions({ today: '2026-06-01' });

/** Everything a user or a workspace rule can observe of one file's analysis, in file offsets. */
function observable(analysis: FileAnalysis, workspace: ReadonlyMap<string, Finding[]>) {
  const raw = [...analysis.documentFindings, ...(workspace.get(analysis.file) ?? [])];
  return {
    findings: finalizeFindings(analysis, raw, options, KNOWN_RULE_IDS).map((f) => ({ ...f })),
    documentFindings: analysis.documentFindings,
    kinds: [...analysis.kinds].sort(),
    segments: analysis.segments.map((s) => [s.segment.start, s.segment.text.length]),
    documents: analysis.documents.map((d) => ({ offset: d.offset, kubernetes: d.kubernetes.length, compose: d.compose !== undefined })),
    suppressions: analysis.suppressions,
  };
}

function analyseTogether(analyzer: Analyzer, files: Array<{ file: string; text: string }>) {
  const analyses = files.map(({ file, text }) => analyzer.analyzeFile(file, text, options));
  const workspace = runWorkspaceRules(analyses, ALL_RULES, options);
  return analyses.map((analysis) => JSON.parse(JSON.stringify(observable(analysis, workspace))));
}

describe('incremental analysis', () => {
  it('after any sequence of edits, the cached analysis equals a full analysis of the final text', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(yamlFile, fc.array(edit, { minLength: 1, maxLength: 12 }), (initial, edits) => {
        const incremental = new Analyzer(ALL_RULES);
        let text = initial;
        incremental.analyzeFile('a.yaml', text, options);
        for (const change of edits) {
          text = applyEdit(text, change);
          const cached = analyseTogether(incremental, [{ file: 'a.yaml', text }]);
          const fresh = analyseTogether(new Analyzer(ALL_RULES), [{ file: 'a.yaml', text }]);
          assert.deepEqual(cached, fresh, `diverged after editing to:\n${text}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('edits that add and remove `---` lines shift later documents and still match a full analysis', function () {
    this.timeout(120_000);
    const separatorEdit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.constantFrom(0, 0, 4, 5),
      insert: fc.constantFrom('---\n', '\n---\n', '', 'x: 1\n---\n'),
    });
    fc.assert(
      fc.property(yamlFile, fc.array(separatorEdit, { minLength: 1, maxLength: 10 }), (initial, edits) => {
        const incremental = new Analyzer(ALL_RULES);
        let text = initial;
        incremental.analyzeFile('a.yaml', text, options);
        for (const change of edits) text = applyEdit(text, change);
        // Only the final text is compared here: intermediate caches must not leak into it.
        assert.deepEqual(analyseTogether(incremental, [{ file: 'a.yaml', text }]), analyseTogether(new Analyzer(ALL_RULES), [{ file: 'a.yaml', text }]));
      }),
      { numRuns: 150 },
    );
  });

  it('cross-file findings follow edits in either of two files and match a full analysis', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(yamlFile, yamlFile, fc.array(fc.tuple(fc.boolean(), edit), { minLength: 1, maxLength: 8 }), (first, second, edits) => {
        const incremental = new Analyzer(ALL_RULES);
        const texts = { 'a.yaml': first, 'b.yaml': second };
        const files = () => Object.entries(texts).map(([file, text]) => ({ file, text }));
        analyseTogether(incremental, files());
        for (const [inFirst, change] of edits) {
          const file = inFirst ? 'a.yaml' : 'b.yaml';
          texts[file] = applyEdit(texts[file], change);
          assert.deepEqual(analyseTogether(incremental, files()), analyseTogether(new Analyzer(ALL_RULES), files()));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('re-analysing after an edit to one document re-parses only that document', () => {
    const analyzer = new Analyzer(ALL_RULES);
    const documents = ['kind: Pod\nmetadata: {name: a}\n', 'kind: Pod\nmetadata: {name: b}\n', 'kind: Pod\nmetadata: {name: c}\n'];
    const before = analyzer.analyzeFile('a.yaml', documents.join('---\n'), options);
    const after = analyzer.analyzeFile('a.yaml', [documents[0], documents[1].replace('b', 'bb'), documents[2]].join('---\n'), options);
    assert.equal(after.segments[0].parsed, before.segments[0].parsed, 'the untouched first document was re-parsed');
    assert.notEqual(after.segments[1].parsed, before.segments[1].parsed);
    assert.equal(after.segments[2].parsed, before.segments[2].parsed, 'the shifted third document was re-parsed');
    assert.equal(after.segments[2].segment.start, before.segments[2].segment.start + 1);
  });
});
