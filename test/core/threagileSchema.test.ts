import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { THREAGILE_SCHEMA } from '../../server/src/model/threagileSchema';

const repoRoot = path.join(__dirname, '..', '..');
const corpus = path.join(repoRoot, '..', 'shared', 'corpus', 'threagile');

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(THREAGILE_SCHEMA);
}

function problems(files: readonly string[]): string[] {
  const validate = validator();
  const out: string[] = [];
  for (const file of files) {
    const value = parse(fs.readFileSync(file, 'utf8'));
    if (value === null || value === undefined) continue;
    if (!validate(value)) for (const error of validate.errors ?? []) out.push(`${path.relative(repoRoot, file)}: ${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
  }
  return out;
}

describe('the Threagile JSON Schema', () => {
  it('is the file schemas/threagile.schema.json (regenerate with npm run docs)', () => {
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'threagile.schema.json'), 'utf8')), THREAGILE_SCHEMA);
  });

  it("accepts every authored model and part of Threagile's own examples", function () {
    if (!fs.existsSync(corpus)) {
      if (process.env.CI === 'true') throw new Error('the shared Threagile corpus is missing beside the repository');
      console.log('    (skipped: the shared corpus is not beside the repository)');
      this.skip();
    }
    // The parsed model, the technology reference and a risk-rule script are Threagile's outputs and data, not models.
    const files = walk(corpus).filter((file) => !/parsed-model|technologies-reference|risk-category\.yaml/.test(file));
    assert.ok(files.length >= 20);
    assert.deepEqual(problems(files), []);
  });

  it('accepts the Threagile fixtures except their deliberate mistakes', () => {
    const files = walk(path.join(repoRoot, 'test', 'fixtures', 'threagile')).filter((file) => !file.includes(`${path.sep}FF103${path.sep}bad`));
    assert.deepEqual(problems(files), []);
  });

  it('rejects unknown keys and values', () => {
    const validate = validator();
    assert.equal(validate({ technical_assets: { Web: { id: 'web', technology: 'web-app-server' } } }), false);
    assert.equal(validate({ technical_assets: { Web: { id: 'web', communication_links: { A: { target: 'x', protocl: 'https' } } } } }), false);
    assert.equal(validate({ risk_tracking: { 'missing-vault@x': { status: 'ignored' } } }), false);
    assert.equal(validate({ technical_assets: { Web: { id: 'web', technology: 'web-application', encryption: 'transparent' } } }), true);
  });
});
