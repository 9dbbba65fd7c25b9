import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SnippetDefinition {
  readonly prefix: string | string[];
  readonly description: string;
  readonly body: string | string[];
}

export function readSnippets(file: string): Record<string, SnippetDefinition> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, SnippetDefinition>;
}

export function snippetBody(snippet: SnippetDefinition): string {
  return Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
}

/**
 * Expands a snippet the way VS Code does when the user accepts every default: placeholders
 * become their default text, a choice its first option, tab stops and variables nothing.
 * `indent` is prefixed to every line after the first, as the editor does at an indented cursor.
 */
export function expandSnippet(body: string, indent = ''): string {
  const [text] = expandFrom(body, 0, false);
  return text.split('\n').map((line, index) => (index === 0 || line === '' ? line : indent + line)).join('\n');
}

/** Returns the expansion of `body` from `start` up to an unescaped `}` (when nested) and where it stopped. */
function expandFrom(body: string, start: number, nested: boolean): [string, number] {
  let out = '';
  let i = start;
  while (i < body.length) {
    const char = body[i];
    if (char === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1])) {
      out += body[i + 1];
      i += 2;
    } else if (nested && char === '}') {
      return [out, i + 1];
    } else if (char === '$') {
      const simple = /^\$(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(body.slice(i));
      if (simple) {
        i += simple[0].length;
        continue;
      }
      const choice = /^\$\{\d+\|((?:[^|\\]|\\.)*)\|\}/.exec(body.slice(i));
      if (choice) {
        out += choice[1].split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
        i += choice[0].length;
        continue;
      }
      const open = /^\$\{(\d+|[A-Za-z_][A-Za-z0-9_]*)(:?)/.exec(body.slice(i));
      if (!open) throw new Error(`unexpected "$" at ${i} in snippet body`);
      i += open[0].length;
      if (open[2] === ':') {
        const [inner, next] = expandFrom(body, i, true);
        out += inner;
        i = next;
      } else {
        if (body[i] !== '}') throw new Error(`unclosed tab stop at ${i} in snippet body`);
        i++;
      }
    } else {
      out += char;
      i++;
    }
  }
  if (nested) throw new Error('unclosed placeholder in snippet body');
  return [out, i];
}

export const SNIPPETS_DIR = path.join(__dirname, '..', '..', 'snippets');
