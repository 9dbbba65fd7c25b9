import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { MODEL_HEADER } from '../shared/architecture';

export const archTcbEgress = defineRule({
  id: 'TCB102',
  pattern: 'TCB',
  severity: 'error',
  title: 'Trusted-core component has network egress',
  kinds: ['architecture'],
  hasFix: true,
  guidance: {
    why: 'The vault, the auth service and the audit log are the trusted core: if one of them can open connections to anywhere, a compromise of the core exfiltrates everything it guards. The core answers calls; it does not call out.',
    fix: 'Deny egress for the TCB component (`egress: false`) and let it be reached only through its API; monitor it heavily.',
    bad: `${MODEL_HEADER}components:\n  vault:\n    type: vault\n    egress: true\n    startupValidation: true`,
    good: `${MODEL_HEADER}components:\n  vault:\n    type: vault\n    egress: false\n    startupValidation: true`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    for (const component of model.components) {
      if (!component.inTcb || !component.egress?.value) continue;
      context.report({
        range: component.egress.range,
        message: `TCB component "${component.id}" has network egress: a compromise of the trusted core can send what it guards anywhere.`,
        fixes: component.node ? fix('Deny egress (egress: false)', [replaceNode(model.tree.get(component.node, 'egress'), 'false')], false) : undefined,
      });
    }
  },
});
