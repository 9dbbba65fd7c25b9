import { defineParameter, defineRule, parameterValue } from '../rule';
import { MODEL_HEADER, quoteList } from '../shared/architecture';

/** TCB105's budget. */
export const TCB_SIZE = defineParameter({
  name: 'tcbSize',
  default: 5,
  minimum: 1,
  maximum: 1000,
  unit: 'components',
  description: 'An architecture model whose trusted computing base has more components than this is reported (TCB105).',
});

export const archTcbSize = defineRule({
  id: 'TCB105',
  pattern: 'TCB',
  severity: 'warning',
  title: 'Trusted computing base grew past its budget',
  kinds: ['architecture'],
  hasFix: false,
  parameters: [TCB_SIZE],
  guidance: {
    why: 'Everything in the TCB must be trusted, audited and monitored; the more components it has, the less any of that happens. The TCB is the auth service, the vault and the audit log, not half the system.',
    fix: 'Take components out of the TCB (`tcb: false`) by having them use the core\'s API instead of holding its powers.',
    bad: `${MODEL_HEADER}components:\n  a: { tcb: true }\n  b: { tcb: true }\n  c: { tcb: true }\n  d: { tcb: true }\n  e: { tcb: true }\n  f: { tcb: true }`,
    good: `${MODEL_HEADER}components:\n  a: { tcb: true }\n  b: { tcb: true }\n  c: { tcb: false }\n  d: { tcb: false }\n  e: { tcb: false }\n  f: { tcb: false }`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    const limit = parameterValue(context.options, TCB_SIZE);
    const tcb = model.components.filter((component) => component.inTcb);
    if (tcb.length <= limit) return;
    context.report({
      range: model.sectionKeys.components ?? model.sectionKeys.technical_assets ?? tcb[0].range,
      message: `The trusted computing base has ${tcb.length} components (${quoteList(tcb.map((component) => component.id))}), over the budget of ${limit}: each must be trusted, audited and monitored.`,
      related: tcb.map((component) => ({ message: `"${component.id}" is in the TCB`, range: component.tcb?.range ?? component.range })),
    });
  },
});
