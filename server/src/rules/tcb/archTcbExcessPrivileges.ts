import { defineRule } from '../rule';
import { MODEL_HEADER } from '../shared/architecture';

/** Privileges no single job in the trusted core needs. */
const BROAD_PRIVILEGE = /(^|[:/_-])(admin|root|cluster-admin|superuser|sudo|privileged|all|full-access|host|owner)($|[:/_-])|\*/i;

export const archTcbExcessPrivileges = defineRule({
  id: 'TCB104',
  pattern: 'TCB',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'Trusted-core component with privileges beyond its job',
  kinds: ['architecture'],
  hasFix: false,
  guidance: {
    why: 'The trusted core must be least privileged: an audit log that is cluster-admin, or a vault with `*` on every resource, turns a bug in the smallest component into a compromise of everything.',
    fix: 'List only the specific permissions the component\'s job needs (`privileges: [kv:read, kv:write]`); no admin, root or wildcards.',
    bad: `${MODEL_HEADER}components:\n  audit-log:\n    type: audit-log\n    privileges: [cluster-admin]`,
    good: `${MODEL_HEADER}components:\n  audit-log:\n    type: audit-log\n    privileges: [append:audit-events]`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    for (const component of model.components) {
      if (!component.inTcb) continue;
      for (const privilege of component.privileges) {
        if (!BROAD_PRIVILEGE.test(privilege.value)) continue;
        context.report({
          range: privilege.range,
          message: `TCB component "${component.id}" holds privilege "${privilege.value}", far beyond one job: a bug in the trusted core becomes a compromise of everything it can touch.`,
        });
      }
    }
  },
});
