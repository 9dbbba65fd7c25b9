import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles } from '../../server/src/analysis/engine';
import { expandSnippet, readSnippets, snippetBody, SNIPPETS_DIR } from './snippetExpansion';

/** Snippets that are a piece of a file: the document they are expanded into (at the cursor). */
const CONTEXT: Record<string, { before: string; indent: string }> = {
  'Hardened compose service': { before: 'services:\n  ', indent: '  ' },
};

describe('snippets', () => {
  it('expands placeholders, choices and escapes like the editor does', () => {
    assert.equal(expandSnippet('a: ${1:x}\nb: ${2|one,two|}\nc: \\${VAR}$0', '  '), 'a: x\n  b: one\n  c: ${VAR}');
    assert.equal(expandSnippet('${1:outer ${2:inner}} ${3|a\\, b,c|}'), 'outer inner a, b');
  });

  for (const file of ['compose.json', 'kubernetes.json']) {
    const snippets = readSnippets(path.join(SNIPPETS_DIR, file));
    for (const [name, snippet] of Object.entries(snippets)) {
      it(`${file} "${name}" expands to a ${file.replace('.json', '')} document without findings`, () => {
        const context = CONTEXT[name] ?? { before: '', indent: '' };
        const text = context.before + expandSnippet(snippetBody(snippet), context.indent);
        const [result] = analyzeFiles([{ file: 'snippet.yaml', text }]);
        const kind = file === 'compose.json' ? 'compose' : 'kubernetes';
        assert.ok(result.analysis.kinds.has(kind), `recognised as ${kind} (got ${[...result.analysis.kinds].join(', ') || 'nothing'})`);
        // Parse errors are findings too (SBD00x), so this also says the expansion is valid YAML.
        assert.deepEqual(result.findings.map((finding) => `${finding.ruleId}: ${finding.message}`), []);
      });
    }
  }

  it('every snippet has a prefix starting with "sbd-" and a description', () => {
    for (const file of fs.readdirSync(SNIPPETS_DIR).filter((name) => name.endsWith('.json'))) {
      for (const [name, snippet] of Object.entries(readSnippets(path.join(SNIPPETS_DIR, file)))) {
        const prefixes = Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix];
        assert.ok(prefixes.some((prefix) => prefix.startsWith('sbd-')), `${file} "${name}" has an sbd- prefix`);
        assert.ok(snippet.description.length > 20, `${file} "${name}" has a description`);
      }
    }
  });
});
