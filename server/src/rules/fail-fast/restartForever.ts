import { defineRule } from '../rule';
import { fix, replaceNode, setMapValue } from '../../core/edits';
import { keyRange, rangeOf, scalarText, valueTextRange } from '../../core/tree';

/** `restart:` values that restart a failing container without end (compose-spec `restart`). */
const FOREVER = new Set(['always', 'unless-stopped', 'on-failure']);

export const restartForever = defineRule({
  id: 'FF022',
  pattern: 'FF',
  severity: 'info',
  title: 'Service restarts forever when it fails',
  kinds: ['compose'],
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS 2fc99041 Restart Policy On Failure Not Set To 5', 'kube-linter restart-policy'],
  guidance: {
    why: 'Fail fast: a service that checks its configuration at start-up and refuses to run (a missing secret, a bad certificate) should stay down and visible until someone fixes it. `restart: always`, `unless-stopped` and `on-failure` without a count restart it without end (compose-spec), so the refusal turns into a restart loop that looks like a running stack, and a crash an attacker can trigger repeats as often as they like. The same holds for `deploy.restart_policy` whose `condition` is `any` (the default) or `on-failure` with no `max_attempts`. `restart: on-failure:5` and a `max_attempts` keep retries for transient faults and then stop.',
    fix: 'Use `restart: on-failure:5` (or `deploy.restart_policy: {condition: on-failure, max_attempts: 5}`), and alert on services that stay down.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    restart: always',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    restart: on-failure:5',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      if (!service.node) continue;
      const restart = tree.scalar(service.node, 'restart');
      const value = scalarText(restart)?.trim();
      if (restart && value !== undefined && FOREVER.has(value)) {
        context.report({
          range: valueTextRange(tree.text, restart) ?? service.keyRange,
          message: `Service "${service.name}" restarts without end when it fails (restart: ${value}): a start-up check that refuses to run becomes a restart loop that looks like a running service.`,
          fixes: fix('Restart at most 5 times on failure (restart: on-failure:5)', [replaceNode(restart, 'on-failure:5')]),
        });
        continue;
      }
      if (restart) continue;
      const policyPair = tree.pair(tree.map(service.node, 'deploy'), 'restart_policy');
      const policy = tree.map(tree.map(service.node, 'deploy'), 'restart_policy');
      if (!policy || !policyPair) continue;
      const condition = tree.scalar(policy, 'condition');
      const conditionValue = scalarText(condition)?.trim() ?? 'any';
      if (conditionValue === 'none' || tree.pair(policy, 'max_attempts') !== undefined) continue;
      context.report({
        range: (condition ? valueTextRange(tree.text, condition) : undefined) ?? keyRange(policyPair) ?? rangeOf(policy)!,
        message: `Service "${service.name}" restarts without end when it fails (deploy.restart_policy condition ${conditionValue}${condition ? '' : ' by default'}, no max_attempts): a start-up check that refuses to run becomes a restart loop.`,
        fixes: fix('Stop after 5 attempts (max_attempts: 5)', [setMapValue(tree, policy, 'max_attempts', '5')]),
      });
    }
  },
});
