import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findKustomizations, KustomizeBuilder } from '../../server/src/frontends/kustomize';
import { strategicMergeCases, transformerCases } from './generated';
import { diskFiles, kubectlAvailable, kubectlKustomizeAll, objectsOf } from './support';

const fixtures = path.join(__dirname, 'fixtures');
const files = diskFiles();

/** Every kustomization under fixtures/ that `kustomize build` can be pointed at (components are built through their users). */
const folders = findKustomizations(files, fixtures).filter((folder) => {
  const text = fs.readFileSync(path.join(folder, 'kustomization.yaml'), 'utf8');
  return !/^kind:\s*Component\s*$/m.test(text);
});
const failing = folders.filter((folder) => folder.includes(`${path.sep}errors${path.sep}`));
const building = folders.filter((folder) => !failing.includes(folder));

/** Generated kustomizations (fixed seeds): strategic merge patches and transformers over objects that refer to each other. */
const generatedRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-kustomize-'));
const generated = [...strategicMergeCases(generatedRoot, 16, 11), ...transformerCases(generatedRoot, 16, 101)];

describe('Kustomize builds agree with kubectl kustomize', function () {
  this.timeout(60_000);
  const builder = new KustomizeBuilder(files);
  let kubectl = new Map<string, { objects: unknown[] } | { error: string }>();

  before(async function () {
    if (!kubectlAvailable()) {
      if (process.env.CI === 'true') throw new Error('kubectl (with its built-in Kustomize 5.x) is required in CI to check the Kustomize builder against it; install kubectl on the CI image');
      console.log('    (skipped: kubectl is not installed, so builds cannot be compared with kubectl kustomize)');
      this.skip();
    }
    kubectl = await kubectlKustomizeAll([...folders, ...generated]);
  });

  after(() => fs.rmSync(generatedRoot, { recursive: true, force: true }));

  it('has overlays to compare', () => {
    assert.ok(building.length >= 15, `only ${building.length} buildable fixtures`);
    assert.ok(failing.length >= 10, `only ${failing.length} failing fixtures`);
    const built = generated.filter((folder) => 'objects' in kubectl.get(folder)!).length;
    assert.ok(built >= 24, `kubectl builds only ${built} of the ${generated.length} generated kustomizations: the generator makes too many broken ones to compare`);
  });

  for (const folder of building) {
    const name = path.relative(fixtures, folder);
    it(`builds ${name} to the objects kubectl kustomize builds, in the same order`, () => {
      const build = builder.build(folder);
      assert.equal(build.ok, true, `our build failed: ${build.problems.map((problem) => problem.message).join('; ')}`);
      const theirs = kubectl.get(folder)!;
      if ('error' in theirs) assert.fail(`kubectl kustomize failed: ${theirs.error}`);
      assert.deepStrictEqual(objectsOf(build.source!.text), theirs.objects);
    });
  }

  for (const folder of generated) {
    const name = path.relative(generatedRoot, folder);
    it(`builds the generated ${name} as kubectl kustomize does (or fails where it fails)`, () => {
      const build = builder.build(folder);
      const theirs = kubectl.get(folder)!;
      if ('error' in theirs) {
        assert.equal(build.ok, false, `kubectl kustomize failed (${theirs.error}) but our build succeeded`);
        return;
      }
      assert.equal(build.ok, true, `our build failed: ${build.problems.map((problem) => problem.message).join('; ')}`);
      assert.deepStrictEqual(objectsOf(build.source!.text), theirs.objects);
    });
  }

  for (const folder of failing) {
    const name = path.relative(fixtures, folder);
    it(`refuses to build ${name}, as kubectl kustomize does`, () => {
      const build = builder.build(folder);
      const theirs = kubectl.get(folder)!;
      assert.ok('error' in theirs, 'kubectl kustomize built it');
      assert.equal(build.ok, false, 'our build succeeded');
      const errors = build.problems.filter((problem) => problem.severity === 'error');
      assert.ok(errors.length > 0 && errors.every((error) => error.message.length > 0 && error.file.length > 0));
    });
  }
});
