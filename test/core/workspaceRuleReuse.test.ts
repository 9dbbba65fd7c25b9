import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Analyzer, runWorkspaceRules } from '../../server/src/analysis/analyze';
import { WorkspaceRuleCache } from '../../server/src/analysis/workspaceRuleCache';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/types';
import { ALL_RULES } from '../../server/src/rules';
import { applyEdit, edit, yamlFile } from './support/yamlPieces';

const options = defaultOptions({ today: '2026-06-01' });
const REPO_ROOT = path.join(__dirname, '..', '..');

/** Findings per file as plain data, files in order: what a user could observe of a workspace run. */
function plain(byFile: ReadonlyMap<string, Finding[]>): unknown {
  return JSON.parse(JSON.stringify([...byFile].sort(([a], [b]) => a.localeCompare(b))));
}

/**
 * The workspace rules run with a cache kept across edits (as the language server runs them) and
 * without one (as the CLI does), on the same analyses: the findings must be the same after every edit.
 */
class Workspace {
  readonly analyzer = new Analyzer(ALL_RULES);
  readonly cache = new WorkspaceRuleCache();

  constructor(readonly texts: Record<string, string>) {}

  check(message: string): void {
    const analyses = Object.entries(this.texts).map(([file, text]) => this.analyzer.analyzeFile(file, text, options));
    const reused = runWorkspaceRules(analyses, ALL_RULES, options, this.cache);
    const fresh = runWorkspaceRules(analyses, ALL_RULES, options);
    assert.deepEqual(plain(reused), plain(fresh), message);
  }
}

describe('workspace rules: reusing a rule\'s findings while nothing it read changed', () => {
  it('after any edits in any of three files, the findings equal a run without reuse', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(yamlFile, yamlFile, yamlFile, fc.array(fc.tuple(fc.constantFrom('a.yaml', 'b.yaml', 'c.yaml'), edit), { minLength: 1, maxLength: 10 }), (a, b, c, edits) => {
        const workspace = new Workspace({ 'a.yaml': a, 'b.yaml': b, 'c.yaml': c });
        workspace.check('first run');
        for (const [file, change] of edits) {
          workspace.texts[file] = applyEdit(workspace.texts[file], change);
          workspace.check(`diverged after editing ${file} to:\n${workspace.texts[file]}`);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('each cross-file rule\'s documented bad and good examples, swapped one file at a time, give the findings of a run without reuse', () => {
    const background = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'kubernetes', 'insecure.yaml'), 'utf8');
    let reported = 0;
    for (const rule of ALL_RULES) {
      if (!rule.checkWorkspace) continue;
      const { bad, good } = rule.guidance;
      // Whole, and split after the first document (the join then crosses files).
      const split = (text: string) => {
        const at = text.indexOf('\n---\n');
        return at === -1 ? [text, ''] : [text.slice(0, at + 1), text.slice(at + 5)];
      };
      const [badFirst, badRest] = split(bad);
      const [goodFirst, goodRest] = split(good);
      const workspace = new Workspace({ 'background.yaml': background, 'first.yaml': goodFirst, 'rest.yaml': goodRest });
      const steps: Array<[string, string]> = [['first.yaml', badFirst], ['rest.yaml', badRest], ['first.yaml', goodFirst], ['rest.yaml', goodRest], ['first.yaml', bad], ['first.yaml', good]];
      workspace.check(`${rule.id}: good example`);
      for (const [file, text] of steps) {
        workspace.texts[file] = text;
        workspace.check(`${rule.id}: after ${file} became\n${text}`);
      }
      workspace.texts['first.yaml'] = bad;
      workspace.texts['rest.yaml'] = '';
      const analyses = Object.entries(workspace.texts).map(([file, text]) => workspace.analyzer.analyzeFile(file, text, options));
      if ([...runWorkspaceRules(analyses, ALL_RULES, options, workspace.cache).values()].flat().some((finding) => finding.ruleId === rule.id)) reported++;
    }
    assert.ok(reported >= 10, `the bad examples are reported through the cache (${reported} rules)`);
  });

  it('on the examples and Threagile models of the corpus (compose, Kubernetes, mesh, architecture models and their drift), edits anywhere give the findings of a run without reuse', function () {
    this.timeout(120_000);
    const files = [
      ...['architecture/compose.yaml', 'architecture/kubernetes/shop.yaml', 'architecture/shop.arch.yaml', 'compose/insecure.compose.yaml', 'kubernetes/insecure.yaml', 'kubernetes/mesh-hardened.yaml'].map((name) => path.join(REPO_ROOT, 'examples', name)),
      path.join(REPO_ROOT, '..', 'shared', 'corpus', 'threagile', 'threagile__demo-example.yaml'),
    ].filter((file) => fs.existsSync(file));
    const texts = Object.fromEntries(files.map((file) => [file, fs.readFileSync(file, 'utf8')]));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...files), edit), { minLength: 1, maxLength: 6 }), (edits) => {
        const workspace = new Workspace({ ...texts });
        workspace.check('first run');
        for (const [file, change] of edits) {
          workspace.texts[file] = applyEdit(workspace.texts[file], change);
          workspace.check(`diverged after editing ${path.basename(file)}`);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('an edit of a compose file does not run the rules that read no compose model again; one of the architecture model runs those that read it', () => {
    const read = (name: string) => fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8');
    const workspace = new Workspace({ 'compose.yaml': read('compose/insecure.compose.yaml'), 'k8s.yaml': read('kubernetes/insecure.yaml'), 'shop.arch.yaml': read('architecture/shop.arch.yaml') });
    workspace.check('first run');
    const total = workspace.cache.last.ran;
    assert.equal(workspace.cache.last.reused, 0, 'nothing to reuse on the first run');
    workspace.check('the same texts again');
    assert.deepEqual(workspace.cache.last, { ran: 0, reused: total }, 'unchanged texts: every rule reused');
    workspace.texts['compose.yaml'] = workspace.texts['compose.yaml'].replace('image: example/shop-api:latest', 'image: example/shop-api:2.0.1');
    workspace.check('after the compose edit');
    const afterCompose = workspace.cache.last;
    assert.ok(afterCompose.ran > 0 && afterCompose.ran < total / 2, `the rules that read compose models ran again, the others not (${JSON.stringify(afterCompose)} of ${total})`);
    workspace.texts['shop.arch.yaml'] = `# reviewed\n${workspace.texts['shop.arch.yaml']}`;
    workspace.check('after the model edit');
    assert.ok(workspace.cache.last.ran > afterCompose.ran, `more rules read architecture models (${JSON.stringify(workspace.cache.last)})`);
  });
});
