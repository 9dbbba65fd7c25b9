import { defineRule, type ReportInput } from '../rule';
import { appendToMap, fix, replaceNode, setNestedValueAtEnd } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';
import { extendsAnotherService } from '../../model/compose';
import { isRootUser } from '../../model/dockerfile';
import { oncePerRange } from '../shared/workloads';
import { runningContainers, type KubernetesContainer, type KubernetesObject } from '../../model/kubernetes';
import { effectiveSetting } from '../../model/podSecurity';

const UNPRIVILEGED_USER = '"10001:10001"';

export const runAsRoot = defineRule({
  id: 'ZT001',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'Container runs as root',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['kube-linter run-as-non-root', 'Checkov CKV_K8S_23', 'Trivy KSV012', 'Polaris runAsRootAllowed', 'kubesec RunAsNonRoot'],
  guidance: {
    why: 'Root inside a container is root on the kernel it shares with every other container: one escape bug and the attacker holds the node. Least privilege starts with the user the process runs as. Reported where the file says root: `user: root` or `0`, `runAsUser: 0`, `runAsNonRoot: false`, or a service built here from a Dockerfile whose last stage sets `USER root`. A missing user setting is one item of the hardening baseline (TCB011).',
    fix: 'Run as an unprivileged UID: compose `user: "10001:10001"` (or a non-root `USER` in the Dockerfile); Kubernetes `securityContext: {runAsNonRoot: true, runAsUser: 10001}` on the container (a container-level value overrides the pod-level one). Make sure the image can run as that user (file ownership, ports above 1024).',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    user: root',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    user: "10001:10001"',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      if (!service.node) continue;
      const userNode = tree.get(service.node, 'user');
      const user = scalarText(userNode);
      if (user !== undefined) {
        if (!isRootUser(user)) continue;
        context.report({
          range: valueTextRange(tree.text, userNode)!,
          message: `Service "${service.name}" runs as root (user: ${user}): a process that escapes the container is root on the host.`,
          fixes: fix(`Run as ${UNPRIVILEGED_USER}`, [replaceNode(userNode, UNPRIVILEGED_USER)], false),
        });
        continue;
      }
      const built = service.build?.dockerfileUser;
      if (service.build && built?.root && !extendsAnotherService(tree, service)) {
        context.report({
          range: service.build.keyRange,
          message: `Service "${service.name}" is built from ${service.build.dockerfilePath}, whose last stage sets USER ${built.user} (line ${built.line}), and sets no user: of its own: it runs as root.`,
          fixes: fix(`Add user: ${UNPRIVILEGED_USER}`, [appendToMap(tree, service.node, [`user: ${UNPRIVILEGED_USER}`])], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    if (!object.podSpec || runsOnWindows(object)) return;
    // A pod-level setting is one fact, however many containers inherit it.
    const once = oncePerRange(context);
    for (const container of runningContainers(object)) {
      const problem = rootProblem(object, container);
      if (problem) once.report(problem);
    }
  },
});

function rootProblem(object: KubernetesObject, container: KubernetesContainer): ReportInput | undefined {
  const tree = object.tree;
  const where = `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}"`;
  const user = effectiveSetting(object, container, 'runAsUser');
  const userText = scalarText(user?.value);
  if (user && userText !== undefined) {
    if (!/^\d+$/.test(userText.trim())) return undefined; // templated: decided elsewhere
    if (Number(userText) > 0) return undefined;
    return {
      range: user.range,
      message: user.level === 'pod' ? `${object.kind} "${object.name ?? '?'}" runs its containers as UID 0 (pod-level runAsUser: 0): root in the container is one kernel bug away from root on the node.` : `${where} runs as UID 0 (runAsUser: 0): root in the container is one kernel bug away from root on the node.`,
      fixes: user.level === 'pod' ? fix('Run the pod as UID 10001', [replaceNode(user.value, '10001')], false) : fix('Run this container as UID 10001', [setNestedValueAtEnd(tree, container.node, ['securityContext', 'runAsUser'], '10001')], false),
    };
  }
  const nonRoot = effectiveSetting(object, container, 'runAsNonRoot');
  if (!nonRoot || tree.boolean(nonRoot.holder, 'runAsNonRoot') !== false) return undefined;
  return {
    range: nonRoot.range,
    message: `${where} may run as root (runAsNonRoot: false at ${nonRoot.level} level and no non-zero runAsUser): the image's USER decides, and that is usually root.`,
    fixes: fix('Set runAsNonRoot: true on this container', [setNestedValueAtEnd(tree, container.node, ['securityContext', 'runAsNonRoot'], 'true')], false),
  };
}

function runsOnWindows(object: KubernetesObject): boolean {
  const tree = object.tree;
  const spec = object.podSpec!.node;
  const nodeSelector = tree.map(spec, 'nodeSelector');
  const podContext = tree.map(spec, 'securityContext');
  return tree.string(nodeSelector, 'kubernetes.io/os') === 'windows' || tree.pair(podContext, 'windowsOptions') !== undefined;
}
