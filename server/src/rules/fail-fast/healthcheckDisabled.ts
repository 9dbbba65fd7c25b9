import { defineRule } from '../rule';
import { isSeq } from '../../core/yaml';
import { scalarText, valueTextRange } from '../../core/tree';

export const healthcheckDisabled = defineRule({
  id: 'FF023',
  pattern: 'FF',
  severity: 'info',
  title: 'Service switches its health check off',
  kinds: ['compose'],
  composeScope: 'service',
  hasFix: false,
  peers: ['KICS 698ed579 Healthcheck Not Set'],
  guidance: {
    why: 'Fail fast needs a signal: a health check is how compose (`depends_on: condition: service_healthy`), Swarm and monitoring learn that a service came up broken, and it is often the image author\'s own start-up validation (a HEALTHCHECK in the Dockerfile). `healthcheck: {disable: true}` or `test: ["NONE"]` switches that off, so a service that lost its database, its certificate or its secret keeps receiving traffic as if healthy. The rule reports only an explicit switch-off, not a service without a `healthcheck:` (the image may define one).',
    fix: 'Remove `disable: true` / `test: ["NONE"]`, or write a check that proves the service works: `test: ["CMD", "wget", "-qO-", "http://localhost:8080/healthz"]`.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    healthcheck:\n      disable: true',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://localhost:8080/healthz"]\n      interval: 30s',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      const healthcheck = tree.map(service.node, 'healthcheck');
      if (!healthcheck) continue;
      const disable = tree.get(healthcheck, 'disable');
      const test = tree.get(healthcheck, 'test');
      const first = isSeq(test) ? tree.items(test)[0] : undefined;
      const how = tree.boolean(healthcheck, 'disable') === true ? { node: disable, text: 'disable: true' } : scalarText(first)?.trim().toUpperCase() === 'NONE' ? { node: first, text: 'test: ["NONE"]' } : undefined;
      if (!how) continue;
      context.report({
        range: valueTextRange(tree.text, how.node) ?? service.keyRange,
        message: `Service "${service.name}" switches its health check off (${how.text}): nothing tells compose or your monitoring that it came up broken, and services that wait for it to be healthy cannot.`,
      });
    }
  },
});
