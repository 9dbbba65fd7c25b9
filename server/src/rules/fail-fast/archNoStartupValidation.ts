import { defineRule } from '../rule';
import { fix, insertIntoMap } from '../../core/edits';
import { MODEL_HEADER } from '../shared/architecture';

export const archNoStartupValidation = defineRule({
  id: 'FF102',
  pattern: 'FF',
  severity: 'warning',
  title: 'Component with secrets or TLS declares no startup validation',
  kinds: ['architecture'],
  hasFix: true,
  guidance: {
    why: 'A service that starts without checking its TLS certificate, keys and permissions runs misconfigured until a request fails, or never notices. Fail-Fast validates security properties at startup and refuses to start with a specific error.',
    fix: 'Declare (and implement) startup validation: `startupValidation: [tls-certificate, secrets, permissions]`, refusing to start when a check fails.',
    bad: `${MODEL_HEADER}components:\n  gateway:\n    type: gateway\n    terminatesTls: true`,
    good: `${MODEL_HEADER}components:\n  gateway:\n    type: gateway\n    terminatesTls: true\n    startupValidation: [tls-certificate, permissions]`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    for (const component of model.components) {
      const needs = component.secrets.length > 0 ? 'holds secrets' : component.terminatesTls?.value ? 'terminates TLS' : undefined;
      if (!needs || component.startupValidation?.value) continue;
      const checks = component.terminatesTls?.value ? '[tls-certificate, secrets, permissions]' : '[secrets, permissions]';
      context.report({
        range: component.startupValidation?.range ?? component.range,
        message: `Component "${component.id}" ${needs} but declares no startup validation: a missing or wrong key is found at the first request, or never.`,
        fixes: component.node && !component.startupValidation ? fix('Declare startup validation', [insertIntoMap(model.tree, component.node, [`startupValidation: ${checks}`])], false) : undefined,
      });
    }
  },
});
