import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as ts from 'typescript';

const REPO_ROOT = path.join(__dirname, '..', '..');

/** Type-checks each source as a file of the server, in memory and in one program; returns each one's error messages. */
function typeErrors(sources: readonly string[]): string[][] {
  const fileNames = sources.map((_, index) => path.join(REPO_ROOT, 'server', 'src', 'lsp', `__protocolUse${index}.ts`));
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, strict: true, noEmit: true, skipLibCheck: true, types: ['node'], lib: ['lib.es2022.d.ts'] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError) => {
    const index = fileNames.indexOf(path.resolve(name));
    return index === -1 ? read(name, language, onError) : ts.createSourceFile(name, sources[index], language);
  };
  const program = ts.createProgram(fileNames, options, host);
  return fileNames.map((fileName) => ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName)).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')));
}

const PREAMBLE = `import type { Connection } from 'vscode-languageserver';
import { StatusNotification, TrustBoundariesRequest, RuleDocumentationRequest } from '../protocol';
declare const connection: Connection;
`;

describe('the custom protocol is typed on both ends', function () {
  this.timeout(60_000);

  it('handlers and senders of the right types compile; a wrong result, parameter or notification does not', () => {
    const [right, wrongResult, wrongNotification, wrongParameter] = typeErrors([
      `${PREAMBLE}
connection.onRequest(TrustBoundariesRequest, () => ({ zones: [], secrets: [] }));
connection.onRequest(RuleDocumentationRequest, (params) => ({ ruleId: params.ruleId, title: 't', markdown: 'm' }));
void connection.sendNotification(StatusNotification, { state: 'ready', findings: 0, files: 0 });
`,
      `${PREAMBLE}connection.onRequest(TrustBoundariesRequest, () => ({ zones: 'none' }));\n`,
      `${PREAMBLE}void connection.sendNotification(StatusNotification, { state: 'sleeping', findings: 0, files: 0 });\n`,
      `${PREAMBLE}connection.onRequest(RuleDocumentationRequest, (params) => params.rule.length);\n`,
    ]);
    assert.deepEqual(right, []);
    assert.ok(wrongResult.length > 0, 'a handler with the wrong result type');
    assert.ok(wrongNotification.length > 0, 'a notification with the wrong parameters');
    assert.ok(wrongParameter.length > 0, 'a handler reading a parameter that does not exist');
  });
});
