import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles } from '../../scripts/docs';
import { ALL_RULES } from '../../server/src/rules';
import { analyzeText } from '../../server/src/analysis/engine';
import { FIXTURE_OPTIONS } from '../fixtureSupport';
import { applyOverlay, parseProjectConfig } from '../../server/src/core/configuration';
import { CONFIG_CONTEXT } from '../../server/src/rules';

describe('rule documentation', () => {
  it('docs/rules and the README table are generated from the current rule metadata (run `npm run docs`)', () => {
    const stale = [...generatedFiles()].filter(([file, content]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content).map(([file]) => path.basename(file));
    assert.deepEqual(stale, []);
  });

  for (const rule of ALL_RULES) {
    it(`${rule.id}: its ❌ example is flagged and its ✅ example is clean`, () => {
      // Workspace rules may need more than one file; their fixtures cover them.
      if (!rule.checkCompose && !rule.checkKubernetes && !rule.checkArchitecture) return;
      const configuration = rule.guidance.configuration === undefined ? undefined : parseProjectConfig(rule.guidance.configuration, CONFIG_CONTEXT);
      if (configuration && !configuration.ok) assert.fail(`guidance.configuration is invalid: ${configuration.problems.map((problem) => problem.message).join('; ')}`);
      const options = configuration?.ok ? applyOverlay(FIXTURE_OPTIONS, configuration.overlay) : FIXTURE_OPTIONS;
      const bad = analyzeText(rule.guidance.bad, options).filter((f) => f.ruleId === rule.id);
      const good = analyzeText(rule.guidance.good, options).filter((f) => f.ruleId === rule.id);
      assert.ok(bad.length > 0, `guidance.bad does not trigger ${rule.id}`);
      assert.deepEqual(good.map((f) => f.message), []);
    });
  }
});
