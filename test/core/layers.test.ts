import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { FLOORS, type Floor } from '../../server/src/layers';

const REPO_ROOT = path.join(__dirname, '..', '..');
const SERVER = path.join(REPO_ROOT, 'server', 'src');
const CLIENT = path.join(REPO_ROOT, 'client', 'src');
const LAYERS_FILE = path.join(SERVER, 'layers.ts');

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The floor a file belongs to, by where it lies. */
function floorOf(file: string): string | undefined {
  if (file.startsWith(CLIENT + path.sep)) return 'client';
  const relative = path.relative(SERVER, file);
  if (relative.startsWith('..')) return undefined;
  if (relative === 'protocol.ts') return 'protocol';
  return relative.includes(path.sep) ? relative.split(path.sep)[0] : undefined;
}

/** `yaml`, `node:fs`, `vscode-languageserver/node` → the package a floor must be allowed. */
function packageOf(specifier: string): string {
  if (specifier.startsWith('node:')) return 'node:';
  if (specifier.endsWith('package.json')) return 'package.json';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly why: string;
}

/** Every import (static, type-only, re-export, dynamic, require, `import()` types) that the floors do not allow. */
function violations(extra: ReadonlyMap<string, string> = new Map()): Violation[] {
  const floors = new Map<string, Floor>(FLOORS.map((floor) => [floor.name, floor]));
  const found: Violation[] = [];
  for (const file of [...sourceFiles(SERVER), ...sourceFiles(CLIENT), ...extra.keys()]) {
    if (file === LAYERS_FILE) continue;
    const relativeFile = path.relative(REPO_ROOT, file);
    const floorName = floorOf(file);
    const floor = floorName ? floors.get(floorName) : undefined;
    if (!floor) {
      found.push({ file: relativeFile, specifier: '', why: 'lies on no floor (add its folder to server/src/layers.ts)' });
      continue;
    }
    for (const { fileName: specifier } of ts.preProcessFile(extra.get(file) ?? fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier);
        const targetFloor = floorOf(fs.existsSync(`${target}.ts`) || !fs.existsSync(target) ? `${target}.ts` : path.join(target, 'index.ts'));
        if (specifier.endsWith('package.json')) {
          if (!floor.packages.includes('package.json')) found.push({ file: relativeFile, specifier, why: `${floor.name} may not read package.json` });
        } else if (path.relative(REPO_ROOT, target).startsWith(`schemas${path.sep}`) && target.endsWith('.json')) {
          if (!floor.packages.includes('schemas')) found.push({ file: relativeFile, specifier, why: `${floor.name} may not read the JSON Schemas in schemas/` });
        } else if (targetFloor === undefined) found.push({ file: relativeFile, specifier, why: 'imports a file on no floor' });
        else if (targetFloor !== floor.name && !floor.imports.includes(targetFloor)) found.push({ file: relativeFile, specifier, why: `${floor.name} may not import ${targetFloor}` });
        continue;
      }
      const name = packageOf(specifier);
      if (!floor.packages.includes(name)) found.push({ file: relativeFile, specifier, why: `${floor.name} may not import the package ${name}` });
      else if (name === 'yaml' && path.relative(SERVER, file) !== path.join('core', 'yaml.ts')) found.push({ file: relativeFile, specifier, why: 'the yaml package is imported only by core/yaml.ts' });
    }
  }
  return found;
}

describe('the floors of the code', () => {
  it('every import runs down the floors server/src/layers.ts allows', () => {
    assert.deepEqual(violations(), []);
  });

  it('the allowed graph has no cycle and no upward edge', () => {
    const order = FLOORS.map((floor) => floor.name);
    for (const floor of FLOORS) {
      for (const target of floor.imports) {
        assert.ok(order.includes(target), `${floor.name} imports unknown floor ${target}`);
        assert.ok(order.indexOf(target) > order.indexOf(floor.name), `${floor.name} → ${target} runs upward`);
      }
    }
  });

  it('each host-independent floor has a tsconfig.json without Node or DOM types', () => {
    for (const floor of FLOORS.filter((candidate) => candidate.pure)) {
      const file = path.join(SERVER, floor.name, 'tsconfig.json');
      assert.ok(fs.existsSync(file), `${path.relative(REPO_ROOT, file)} exists`);
      const { config } = ts.readConfigFile(file, ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(file));
      assert.deepEqual(parsed.options.types, [], `${floor.name}: "types": []`);
      assert.ok(parsed.options.lib && parsed.options.lib.every((lib) => !/dom|webworker/i.test(lib)), `${floor.name}: no DOM in lib`);
    }
  });

  it('the checker catches what it should: an upward import, and a Node API in a pure floor', () => {
    const probe = path.join(SERVER, 'model', '__layerProbe.ts');
    const text = "import { ALL_RULES } from '../rules';\nexport const count = ALL_RULES.length + (process.pid > 0 ? 1 : 0);\n";
    assert.deepEqual(
      violations(new Map([[probe, text]])).map((violation) => `${path.basename(violation.file)}: ${violation.why}`),
      ['__layerProbe.ts: model may not import rules'],
    );
    // The model floor's own compiler options, with the probe added in memory.
    const configFile = path.join(SERVER, 'model', 'tsconfig.json');
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, path.dirname(configFile));
    const host = ts.createCompilerHost(parsed.options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, onError) => (path.resolve(name) === probe ? ts.createSourceFile(name, text, language) : read(name, language, onError));
    const program = ts.createProgram([probe], parsed.options, host);
    const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(probe)).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    assert.ok(errors.some((message) => /Cannot find name 'process'/.test(message)), errors.join('\n'));
  });
});
