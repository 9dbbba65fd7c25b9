import { strict as assert } from 'node:assert';
import { ignoreMatcher } from '../../server/src/core/ignore';

describe('ignore globs', () => {
  const cases: Array<[string, string, boolean]> = [
    ['vendor/**', 'vendor/a/compose.yaml', true],
    ['vendor/**', 'src/vendor.yaml', false],
    ['vendor', 'vendor/compose.yaml', true],
    ['*.generated.yaml', 'app.generated.yaml', true],
    ['*.generated.yaml', 'deploy/app.generated.yaml', false],
    ['**/*.generated.yaml', 'deploy/app.generated.yaml', true],
    ['**/templates/**', 'charts/web/templates/deployment.yaml', true],
    ['**/templates/**', 'templates/deployment.yaml', true],
    ['**/templates/**', 'charts/mytemplates/deployment.yaml', false],
    ['deploy/?.yaml', 'deploy/a.yaml', true],
    ['deploy/?.yaml', 'deploy/ab.yaml', false],
    ['a+b (1).yaml', 'a+b (1).yaml', true],
    ['deploy/*.{yml,yaml}', 'deploy/app.yml', true],
    ['deploy/*.{yml,yaml}', 'deploy/app.json', false],
    ['**/.cache/**', 'tools/.cache/compose.yaml', true],
    ['env-[ab].yaml', 'env-a.yaml', true],
    ['env-[ab].yaml', 'env-c.yaml', false],
  ];
  for (const [glob, file, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${file}`, () => {
      assert.equal(ignoreMatcher([glob])(file), expected);
    });
  }
});
