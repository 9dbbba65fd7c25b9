import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Analyzer, finalizeFindings, runWorkspaceRules, type FileAnalysis } from '../../server/src/analysis/analyze';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/types';
import { ALL_RULES, KNOWN_RULE_IDS } from '../../server/src/rules';
import { parseSegment, reparseSegment, type ParsedSegment } from '../../server/src/core/parse';
import { isAlias, isMap, isPair, isScalar, isSeq } from '../../server/src/core/yaml';
import { applyEdit, applyStackEdit, bigComposeFile, bigCustomResourceDefinition, composeStack, composeStackText, edit, insideEdit, stackEdit, yamlFile, type Edit } from './support/yamlPieces';

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

/** A parsed segment as plain data: every node's kind, value, style, anchor, tag and range (comments aside: nothing reads them). */
function treeData(parsed: ParsedSegment): unknown {
  const node = (value: unknown): unknown => {
    if (value === null || value === undefined) return value ?? null;
    if (isPair(value)) return [node(value.key), node(value.value)];
    if (isAlias(value)) return { alias: value.source, range: value.range };
    const common = { range: (value as { range?: unknown }).range, anchor: (value as { anchor?: string }).anchor, tag: (value as { tag?: string }).tag };
    if (isScalar(value)) return { ...common, scalar: typeof value.value === 'bigint' ? String(value.value) : value.value, type: value.type, source: value.source };
    if (isMap(value) || isSeq(value)) return { ...common, map: isMap(value), flow: value.flow ?? false, items: value.items.map(node) };
    return { unknown: String(value) };
  };
  return { documents: parsed.trees.map((tree) => ({ range: tree.document.range, contents: node(tree.document.contents) })), problems: parsed.problems };
}

/** `change` as the replaced stretch of `text` and the text after it. */
function replaced(text: string, change: Edit): { after: string; start: number; end: number; insertedLength: number } {
  const start = Math.min(text.length, Math.floor(change.at * text.length));
  const end = Math.min(text.length, start + change.remove);
  return { after: applyEdit(text, change), start, end, insertedLength: change.insert.length };
}

/**
 * `typed` replacing `removed` characters of `text` at `at` breaks it; undoing that edit from the
 * broken version's full parse must give the tree a full parse of `text` gives.
 */
function assertMendedEqualsFull(text: string, at: number, removed: number, typed: string): void {
  const broken = text.slice(0, at) + typed + text.slice(at + removed);
  const brokenParse = parseSegment({ start: 0, text: broken });
  assert.ok(brokenParse.problems.length > 0, 'the typed version is broken');
  const mended = reparseSegment(brokenParse, { start: 0, text }, { start: at, end: at + typed.length, insertedLength: removed });
  const full = parseSegment({ start: 0, text });
  assert.equal(JSON.stringify(treeData(mended ?? full)), JSON.stringify(treeData(full)));
}

describe('incremental analysis', () => {
  it('re-parsing only the block an edit touched gives the tree a full parse gives, inside big documents', function () {
    this.timeout(120_000);
    const documents = [bigCustomResourceDefinition(40), bigComposeFile(40)];
    let spliced = 0;
    let attempts = 0;
    fc.assert(
      fc.property(fc.constantFrom(...documents), fc.array(insideEdit, { minLength: 1, maxLength: 8 }), (initial, edits) => {
        let text = initial;
        let parsed = parseSegment({ start: 0, text });
        for (const change of edits) {
          const { after, start, end, insertedLength } = replaced(text, change);
          const full = parseSegment({ start: 0, text: after });
          const expected = JSON.stringify(treeData(full));
          attempts++;
          const incremental = reparseSegment(parsed, { start: 0, text: after }, { start, end, insertedLength });
          if (incremental) {
            spliced++;
            assert.equal(JSON.stringify(treeData(incremental)), expected, `the spliced tree differs from a full parse after editing to:\n${after}`);
          }
          // Either way the next edit starts from a correct parse of the current text.
          parsed = incremental ?? full;
          text = after;
        }
      }),
      { numRuns: 120 },
    );
    // About a quarter of these random edits are spliced (the others touch a block's edge, break
    // quoting or leave a comment on a block's last line); a fifth is the floor that says the splice still works.
    assert.ok(spliced > attempts / 5, `only ${spliced} of ${attempts} edits were spliced`);
  });

  it('typing a fragment and deleting it again, anywhere inside big documents, gives the tree a full parse gives each time', function () {
    // Undo is what people do most: a fragment typed at a line's start (`&b ` before `- /srv`) can
    // cut the enclosing block short in the broken version's full parse; deleting it must let the
    // lines after rejoin the block, which a re-parse of the old block alone would not see.
    this.timeout(120_000);
    const documents = [bigCustomResourceDefinition(40), bigComposeFile(40)];
    fc.assert(
      fc.property(fc.constantFrom(...documents), fc.array(insideEdit, { minLength: 1, maxLength: 4 }), (initial, edits) => {
        let text = initial;
        let parsed = parseSegment({ start: 0, text });
        for (const change of edits) {
          const typed = replaced(text, change);
          const removed = text.slice(typed.start, typed.end);
          const steps = [
            { after: typed.after, start: typed.start, end: typed.end, insertedLength: typed.insertedLength },
            { after: text, start: typed.start, end: typed.start + typed.insertedLength, insertedLength: removed.length },
          ];
          for (const step of steps) {
            const full = parseSegment({ start: 0, text: step.after });
            const incremental = reparseSegment(parsed, { start: 0, text: step.after }, step);
            if (incremental) assert.equal(JSON.stringify(treeData(incremental)), JSON.stringify(treeData(full)), `the spliced tree differs from a full parse after editing to:\n${step.after}`);
            parsed = incremental ?? full;
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a line that cut its block short, once mended, lets the lines after it rejoin the block', () => {
    const text = 'services:\n  app:\n    image: alpine:3.20\n    volumes:\n      - ./conf:/etc/app\n      - /srv:/srv:rshared\n      - /data:/data\n    pid: host\n';
    const at = text.indexOf('      - /srv');
    // `&b` typed over the line's first two spaces: the line now starts at column 0.
    assertMendedEqualsFull(text, at, 2, '&b');
  });

  it('an unclosed quote that swallowed the blocks around the edit, once deleted, gives them back', () => {
    // `value: 'two'` → `value: ''>two'`: the broken version's full parse ends every collection around
    // the item early, though its errors lie inside the item; deleting `'>` must not splice the item alone.
    const text = bigCustomResourceDefinition(40);
    // The place fast-check found: the value of field34's second item.
    const at = text.indexOf("value: 'two'", text.indexOf('field34:')) + "value: '".length;
    assertMendedEqualsFull(text, at, 0, "'>");
  });

  it('a comment typed into the last entry of a block gives the tree a full parse gives', () => {
    // `read_only: #true`: the whole document's block then reaches over the next line's indentation.
    const text = bigComposeFile(40);
    const at = text.indexOf('read_only: true', text.indexOf('svc-4:')) + 'read_only: '.length;
    for (const [removed, inserted] of [[0, '#'], [4, '# x'], [4, '#']] as const) {
      const after = text.slice(0, at) + inserted + text.slice(at + removed);
      const incremental = reparseSegment(parseSegment({ start: 0, text }), { start: 0, text: after }, { start: at, end: at + removed, insertedLength: inserted.length });
      const full = parseSegment({ start: 0, text: after });
      assert.equal(JSON.stringify(treeData(incremental ?? full)), JSON.stringify(treeData(full)));
    }
  });

  it('typing after a key inside a big document re-parses one block each keystroke, though every version is broken', () => {
    let text = bigCustomResourceDefinition(40);
    let parsed = parseSegment({ start: 0, text });
    // `items:` → `items:a`, `items:ab`, …: a key without its colon and value until the user is done.
    let at = text.indexOf('            items:', Math.floor(text.length / 2)) + '            items:'.length;
    for (const character of 'abcdef') {
      const after = text.slice(0, at) + character + text.slice(at);
      const incremental = reparseSegment(parsed, { start: 0, text: after }, { start: at, end: at, insertedLength: 1 });
      const full = parseSegment({ start: 0, text: after });
      assert.ok(full.problems.some((problem) => problem.code !== 'DUPLICATE_KEY'), 'the typed text is a syntax error');
      assert.ok(incremental, `"${character}" was not spliced`);
      assert.equal(JSON.stringify(treeData(incremental)), JSON.stringify(treeData(full)));
      parsed = incremental;
      text = after;
      at++;
    }
  });

  it('after random edits inside big documents, the cached analysis equals a full analysis', function () {
    this.timeout(120_000);
    const files = [bigCustomResourceDefinition(30), bigComposeFile(30), `${bigComposeFile(10)}---\n${bigCustomResourceDefinition(10)}`];
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(insideEdit, { minLength: 1, maxLength: 6 }), (initial, edits) => {
        const incremental = new Analyzer(ALL_RULES);
        let text = initial;
        incremental.analyzeFile('a.yaml', text, options);
        for (const change of edits) {
          text = applyEdit(text, change);
          assert.deepEqual(analyseTogether(incremental, [{ file: 'a.yaml', text }]), analyseTogether(new Analyzer(ALL_RULES), [{ file: 'a.yaml', text }]), `diverged after editing to:\n${text}`);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('after edits to services, anchors, `x-` blocks and the blocks around, and renamed, deleted, added and moved services, the per-service findings kept equal a full analysis', function () {
    this.timeout(300_000);
    // Half-typed service bodies are among the edits (broken versions in between); random keystrokes
    // and their undoing are the block re-parse's own tests above.
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 24 }), fc.array(stackEdit, { minLength: 1, maxLength: 8 }), (size, steps) => {
        const incremental = new Analyzer(ALL_RULES);
        let stack = composeStack(size);
        incremental.analyzeFile('compose.yaml', composeStackText(stack), options);
        for (const change of steps) {
          stack = applyStackEdit(stack, change);
          const text = composeStackText(stack);
          assert.deepEqual(analyseTogether(incremental, [{ file: 'compose.yaml', text }]), analyseTogether(new Analyzer(ALL_RULES), [{ file: 'compose.yaml', text }]), `diverged after editing to:\n${text}`);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('a keystroke in one service re-checks that service: the findings of the others are the ones already computed, moved', () => {
    const analyzer = new Analyzer(ALL_RULES);
    const text = composeStackText(composeStack(24));
    const before = analyzer.analyzeFile('compose.yaml', text, options).documentFindings;
    const at = text.indexOf('image: alpine:3.20', text.indexOf('  svc-7:')) + 'image: alpine:3.2'.length;
    const edited = text.slice(0, at) + '1' + text.slice(at);
    const after = analyzer.analyzeFile('compose.yaml', edited, options).documentFindings;
    const baseline = (findings: readonly Finding[], service: string) => findings.find((finding) => finding.ruleId === 'TCB011' && finding.message.startsWith(`Service "${service}"`))!;
    // Before the edit: the very finding objects; after it, equal findings one character later.
    assert.equal(baseline(after, 'svc-2'), baseline(before, 'svc-2'));
    assert.notEqual(baseline(after, 'svc-7'), baseline(before, 'svc-7'));
    assert.equal(baseline(after, 'svc-13').range.start, baseline(before, 'svc-13').range.start + 1);
    assert.deepEqual(JSON.parse(JSON.stringify(after)), JSON.parse(JSON.stringify(new Analyzer(ALL_RULES).analyzeFile('compose.yaml', edited, options).documentFindings)));
  });

  it('near the size limit, a keystroke counts the UTF-8 bytes of the replaced stretch and decides as a full count does', function () {
    this.timeout(120_000);
    // Pieces of one to four UTF-8 bytes, surrogate halves among them, so edits cut pairs at either end.
    const piece = fc.constantFrom('a', 'key: value\n', 'é', '€', '😀', '\ud83d', '\ude00', '\n');
    const text = fc.array(piece, { minLength: 20, maxLength: 80 }).map((parts) => parts.join(''));
    const change = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat(6), insert: fc.array(piece, { maxLength: 4 }).map((parts) => parts.join('')) });
    let decided = 0;
    fc.assert(
      fc.property(text, fc.array(change, { minLength: 1, maxLength: 10 }), fc.integer({ min: -4, max: 4 }), (initial, changes, slack) => {
        // A limit a few bytes from the text's size and under three bytes a unit: every text is counted.
        const limit = Math.max(initial.length, new TextEncoder().encode(initial).length + slack);
        if (initial.length * 3 <= limit) return;
        const near = defaultOptions({ today: '2026-06-01', maxFileBytes: limit });
        const incremental = new Analyzer([]);
        let current = initial;
        incremental.analyzeFile('a.yaml', current, near);
        for (const { at, remove, insert } of changes) {
          const start = Math.floor(at * current.length);
          current = current.slice(0, start) + insert + current.slice(start + remove);
          const expected = new Analyzer([]).analyzeFile('a.yaml', current, near).skippedReason;
          assert.equal(incremental.analyzeFile('a.yaml', current, near).skippedReason, expected, `after editing to ${JSON.stringify(current)}`);
          if (expected?.includes('limit')) decided++;
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(decided > 0, 'no edit went over the limit');
  });

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
