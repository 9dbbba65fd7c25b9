import { defineRule } from '../rule';
import { fix } from '../../core/edits';
import { ModelIndex, flowLabel } from '../../model/architecture';
import { MODEL_HEADER, addToList } from '../shared/architecture';

export const archUnvalidatedQueueConsumer = defineRule({
  id: 'ZT105',
  pattern: 'ZT',
  alsoPattern: 'BND',
  severity: 'warning',
  title: 'Data from a queue consumed without validation',
  kinds: ['architecture'],
  hasFix: true,
  guidance: {
    why: 'A message is not trustworthy because it came from an "internal" queue: whoever can publish to the queue controls what the consumer processes. Every stage validates what it receives.',
    fix: 'Validate structure and idempotency at the consumer: add `validate` to the controls of the flow out of the queue (write queue flows in the direction the messages travel).',
    bad: `${MODEL_HEADER}components:\n  order-events:\n    type: queue\n  fulfilment: {}\nflows:\n  consume-orders:\n    from: order-events\n    to: fulfilment\n    authentication: mtls\n    controls: [log]`,
    good: `${MODEL_HEADER}components:\n  order-events:\n    type: queue\n  fulfilment: {}\nflows:\n  consume-orders:\n    from: order-events\n    to: fulfilment\n    authentication: mtls\n    controls: [validate, log]`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    const index = new ModelIndex(model);
    for (const flow of model.flows) {
      const { source, target } = index.endpoints(flow);
      if (source?.componentType !== 'queue' || !target || flow.appliedControls.has('validate')) continue;
      context.report({
        range: flow.from!.range,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) hands messages from queue "${source.id}" to "${target.id}" without validation: anything published to the queue is processed as trusted.`,
        fixes: flow.node ? fix('Validate at the consumer', [addToList(model.tree, flow.node, 'controls', ['validate'])], false) : undefined,
      });
    }
  },
});
