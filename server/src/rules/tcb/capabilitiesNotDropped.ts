import { defineRule } from '../rule';
import { appendToMap, appendToSeq, fix, indentUnit, setNestedValueAtEnd } from '../../core/edits';
import { isSeq } from '../../core/yaml';
import { keyRange } from '../../core/tree';
import { containerLabel } from '../shared/workloads';
import { runningContainers } from '../../model/kubernetes';
import { stringItems } from '../../model/common';
import { extendsAnotherService } from '../../model/compose';

export const capabilitiesNotDropped = defineRule({
  id: 'TCB003',
  pattern: 'TCB',
  alsoPattern: 'ZT',
  severity: 'info',
  title: 'Default capabilities not dropped',
  kinds: ['compose', 'kubernetes'],
  hasFix: true,
  peers: ['kube-linter drop-net-raw-capability', 'Checkov CKV_K8S_28, CKV_K8S_37', 'Trivy KSV003', 'kubesec CapDropAll'],
  guidance: {
    why: 'Containers start with a default set of capabilities (NET_RAW, CHOWN, SETUID, DAC_OVERRIDE…) that most services never use; NET_RAW alone allows ARP and DNS spoofing of neighbours. Dropping ALL and adding back only what is needed keeps the privileges a compromised process inherits as small as the job.',
    fix: 'Compose: `cap_drop: [ALL]` (then `cap_add:` only what fails without it). Kubernetes: `securityContext.capabilities.drop: ["ALL"]` on each container.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    cap_drop:\n      - ALL',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      if (!service.node || tree.boolean(service.node, 'privileged') === true || extendsAnotherService(tree, service)) continue;
      const dropped = stringItems(tree, service.node, 'cap_drop');
      if (dropped.some((item) => isAll(item.value)) || dropped.some((item) => item.value.includes('$'))) continue;
      const pair = tree.pair(service.node, 'cap_drop');
      const list = tree.get(service.node, 'cap_drop');
      const edit =
        pair === undefined
          ? appendToMap(tree, service.node, ['cap_drop:', `${' '.repeat(indentUnit(tree.text))}- ALL`])
          : isSeq(list) && list.items.length > 0
            ? appendToSeq(tree, list, 'ALL')
            : undefined;
      context.report({
        range: pair ? keyRange(pair)! : service.keyRange,
        message: pair
          ? `Service "${service.name}" drops some capabilities but not ALL: the rest of the default set stays available to a compromised process.`
          : `Service "${service.name}" does not drop capabilities (cap_drop: [ALL]): a compromised process keeps the default set, NET_RAW included.`,
        fixes: fix('Drop ALL capabilities', [edit], false),
      });
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    if (tree.string(tree.map(object.podSpec?.node, 'nodeSelector'), 'kubernetes.io/os') === 'windows') return;
    for (const container of runningContainers(object)) {
      const securityContext = container.securityContext;
      if (securityContext && tree.boolean(securityContext, 'privileged') === true) continue;
      const capabilities = tree.map(securityContext, 'capabilities');
      const dropped = stringItems(object.tree, capabilities, 'drop');
      if (dropped.some((item) => isAll(item.value)) || dropped.some((item) => item.value.includes('{{'))) continue;
      const pair = capabilities ? tree.pair(capabilities, 'drop') : undefined;
      const list = capabilities ? tree.get(capabilities, 'drop') : undefined;
      const edit = pair === undefined ? setNestedValueAtEnd(tree, container.node, ['securityContext', 'capabilities', 'drop'], '["ALL"]') : isSeq(list) && list.items.length > 0 ? appendToSeq(tree, list, list.flow ? '"ALL"' : 'ALL') : undefined;
      const where = containerLabel(object, container);
      context.report({
        range: pair ? keyRange(pair)! : container.subjectRange,
        message: pair
          ? `${where} drops some capabilities but not ALL: the rest of the default set stays available to a compromised process.`
          : `${where} does not drop capabilities (capabilities.drop: ["ALL"]): a compromised process keeps the runtime's default set, NET_RAW included.`,
        fixes: fix('Drop ALL capabilities', [edit], false),
      });
    }
  },
});

function isAll(value: string): boolean {
  return value.trim().toUpperCase() === 'ALL';
}
