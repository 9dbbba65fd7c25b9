import { defineRule } from '../rule';
import { isScalar } from '../../core/yaml';
import { rangeOf, scalarText } from '../../core/tree';
import { imageRepositoryIs } from '../../model/images';
import { commandWords } from '../../model/vault';

/** Shell and network toolboxes: images people run to have a shell to `kubectl exec` into. */
const TOOLBOX_IMAGES = /(?:^|\/)(?:busybox|alpine|ubuntu|debian|centos|fedora|rockylinux|almalinux|amazonlinux|netshoot|network-multitool|toolbox|dnsutils|curl|debug)$/;
/** Commands that do nothing but keep the container alive. */
const IDLE = /^(?:(?:\/bin\/|\/usr\/bin\/)?sleep\s+(?:infinity|inf|\d{4,}[smhd]?)|(?:\/usr\/bin\/)?tail\s+-f\s+\/dev\/null|while\s+true;?\s*do\s+sleep\s+\S+;?\s*done)$/;

export const debugSidecar = defineRule({
  id: 'IMM042',
  pattern: 'IMM',
  severity: 'warning',
  title: 'Idle shell sidecar kept in the pod for kubectl exec',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Immutable Infrastructure: no runtime modification — replace, don\'t update. A toolbox container (busybox, alpine, netshoot…) that only sleeps, or waits on a terminal (`stdin: true`, `tty: true`), beside the application exists to be `kubectl exec`-ed into: it shares the pod\'s network and often its volumes, so whatever is changed or run through it is not in the image or in version control, and it stays in every replica with its shell and tools for an attacker to use.',
    fix: 'Remove the sidecar; when you need to debug, attach an ephemeral container for the incident (`kubectl debug -it POD --image=busybox:1.36 --target=APP`), which leaves the pod spec unchanged.',
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders}\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2\n        - name: debug\n          image: busybox:1.36.1\n          command: ["sleep", "infinity"]',
    good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders}\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2',
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    const containers = (object.podSpec?.containers ?? []).filter((container) => container.kind === 'container');
    // A pod that is only a toolbox is a client or a test pod, not a sidecar beside an application.
    if (containers.length < 2) return;
    for (const container of containers) {
      if (!imageRepositoryIs(container.image?.value, TOOLBOX_IMAGES)) continue;
      const words = [...commandWords(tree, tree.get(container.node, 'command')), ...commandWords(tree, tree.get(container.node, 'args'))].map((word) => word.value);
      const line = words.filter((word) => !/^(?:\/bin\/)?(?:ba)?sh$|^-c$/.test(word)).join(' ');
      const interactive = ['stdin', 'tty'].every((key) => isScalar(tree.get(container.node, key)) && scalarText(tree.get(container.node, key))?.trim() === 'true');
      if (!IDLE.test(line) && !(interactive && words.length === 0)) continue;
      context.report({
        range: rangeOf(tree.get(container.node, 'command')) ?? rangeOf(tree.get(container.node, 'args')) ?? container.subjectRange,
        message: `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}" runs ${container.image!.value} and only ${interactive && words.length === 0 ? 'waits on a terminal' : `idles (${line})`}: a shell kept beside the application for kubectl exec, where changes escape the image and version control.`,
      });
    }
  },
});
