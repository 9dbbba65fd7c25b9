import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..');
const INJECTION = path.join(REPO_ROOT, 'syntaxes', 'sbd-ignore.injection.json');
/** VS Code's own TextMate engine and YAML grammar, as installed with code-server by scripts/setup-e2e.sh. */
const VSCODE_DIR = path.join(REPO_ROOT, '.e2e', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode');
const YAML_GRAMMAR = path.join(VSCODE_DIR, 'extensions', 'yaml', 'syntaxes', 'yaml.tmLanguage.json');

interface Token {
  readonly text: string;
  readonly scopes: string[];
}

type Tokenize = (line: string) => Token[];

/** Tokenizes lines with VS Code's YAML grammar plus our injection, the way the editor colours them. */
async function loadTokenizer(): Promise<Tokenize> {
  const textmate = require(path.join(VSCODE_DIR, 'node_modules', 'vscode-textmate'));
  const oniguruma = require(path.join(VSCODE_DIR, 'node_modules', 'vscode-oniguruma'));
  const wasm = fs.readFileSync(path.join(VSCODE_DIR, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  // The YAML grammar includes its per-version grammars (source.yaml.1.2, …): load them as the editor does.
  const yamlExtension = path.join(VSCODE_DIR, 'extensions', 'yaml');
  const contributed = JSON.parse(fs.readFileSync(path.join(yamlExtension, 'package.json'), 'utf8')).contributes.grammars as Array<{ scopeName: string; path: string }>;
  const grammars: Record<string, string> = { 'sbd-ignore.injection': INJECTION };
  for (const entry of contributed) grammars[entry.scopeName] = path.join(yamlExtension, entry.path);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources), createOnigString: (text: string) => new oniguruma.OnigString(text) }),
    loadGrammar: async (scopeName: string) => {
      const file = grammars[scopeName];
      return file ? textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    // What the manifest's `injectTo: ["source.yaml"]` asks of the editor.
    getInjections: (scopeName: string) => (scopeName === 'source.yaml' ? ['sbd-ignore.injection'] : undefined),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  return (line: string) => {
    const result = grammar.tokenizeLine(line, textmate.INITIAL);
    return result.tokens.map((token: { startIndex: number; endIndex: number; scopes: string[] }) => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
  };
}

function scopeOf(tokens: Token[], text: string): string[] {
  const token = tokens.find((candidate) => candidate.text.trim() === text);
  assert.ok(token, `a token "${text}" (tokens: ${tokens.map((t) => JSON.stringify(t.text)).join(' ')})`);
  return token.scopes;
}

describe('sbd-ignore highlighting (injection grammar into YAML)', function () {
  let tokenize: Tokenize;

  before(async function () {
    if (!fs.existsSync(YAML_GRAMMAR)) {
      if (process.env.CI === 'true') throw new Error('VS Code (code-server) is not installed; CI must run scripts/setup-e2e.sh first');
      console.log('      (skipped: VS Code\'s TextMate engine comes with code-server; run scripts/setup-e2e.sh to test the grammar)');
      this.skip();
    }
    tokenize = await loadTokenizer();
  });

  it('marks the directive, the rule ids, the reason and the expiry date in a trailing comment', () => {
    const tokens = tokenize('    privileged: true # sbd-ignore TCB001, ZT002 reason="vendor agent needs it" until=2027-01-31');
    assert.ok(scopeOf(tokens, 'sbd-ignore').includes('keyword.control.directive.sbd-ignore.sbd'));
    assert.ok(scopeOf(tokens, 'TCB001').includes('constant.language.rule-id.sbd'));
    assert.ok(scopeOf(tokens, 'ZT002').includes('constant.language.rule-id.sbd'));
    assert.ok(scopeOf(tokens, '"vendor agent needs it"').includes('string.quoted.reason.sbd'));
    assert.ok(scopeOf(tokens, 'reason').includes('variable.parameter.reason.sbd'));
    assert.ok(scopeOf(tokens, '2027-01-31').includes('constant.numeric.date.sbd'));
    // Still a YAML comment underneath, so themes keep the comment colour for the rest.
    assert.ok(scopeOf(tokens, 'TCB001').some((scope) => scope.startsWith('comment.line.number-sign')));
    assert.ok(!scopeOf(tokens, 'true').some((scope) => scope.includes('.sbd')), 'the YAML value is untouched');
  });

  it('marks a file-wide suppression on its own line and a malformed date as invalid', () => {
    const tokens = tokenize("# sbd-ignore-file IMM001 reason='pinned by the deploy pipeline' until=someday");
    assert.ok(scopeOf(tokens, 'sbd-ignore-file').includes('keyword.control.directive.sbd-ignore.sbd'));
    assert.ok(scopeOf(tokens, "'pinned by the deploy pipeline'").includes('string.quoted.reason.sbd'));
    assert.ok(scopeOf(tokens, 'someday').includes('invalid.illegal.date.sbd'));
  });

  it('leaves ordinary comments and values that mention rule ids alone', () => {
    const comment = tokenize('# see TCB001 for why reason="x" matters');
    assert.ok(comment.every((token) => !token.scopes.some((scope) => scope.endsWith('.sbd'))), 'no sbd scope in a comment without a directive');
    const value = tokenize('name: sbd-ignore TCB001');
    assert.ok(value.every((token) => !token.scopes.some((scope) => scope.endsWith('.sbd'))), 'no sbd scope outside comments');
  });
});
