/**
 * Type-checks the host-independent floors of server/src with their own tsconfig.json files (no
 * Node, VS Code or DOM types), so an API of the host used there fails `npm run typecheck`. The
 * floors share one set of compiler options (tsconfig.layer.json), so one program checks them all
 * at once; a floor whose options differ gets a program of its own.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { FLOORS } from '../server/src/layers';

const SERVER = path.join(__dirname, '..', 'server', 'src');
const groups = new Map<string, { options: ts.CompilerOptions; files: string[]; floors: string[] }>();
const diagnostics: ts.Diagnostic[] = [];

for (const floor of FLOORS.filter((candidate) => candidate.pure)) {
  const configFile = path.join(SERVER, floor.name, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  if (error) diagnostics.push(error);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configFile));
  diagnostics.push(...parsed.errors);
  const key = JSON.stringify(parsed.options, (name, value) => (name === 'configFilePath' ? undefined : value));
  const group = groups.get(key) ?? { options: parsed.options, files: [], floors: [] };
  group.files.push(...parsed.fileNames);
  group.floors.push(floor.name);
  groups.set(key, group);
}

for (const { options, files, floors } of groups.values()) {
  const program = ts.createProgram(files, options);
  const found = ts.getPreEmitDiagnostics(program);
  if (found.length > 0) process.stderr.write(`server/src/{${floors.join(',')}} (tsconfig.json without Node, VS Code or DOM types):\n`);
  diagnostics.push(...found);
}

if (diagnostics.length > 0) {
  process.stderr.write(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (name) => name, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' }));
  process.exitCode = 1;
}
