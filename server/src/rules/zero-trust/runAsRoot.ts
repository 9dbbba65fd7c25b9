import { defineRule, type ReportInput } from '../rule';
import { appendToMap, fix, replaceNode, setNestedValueAtEnd } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';
import { extendsAnotherService, type ComposeService } from '../../model/compose';
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
  hasFix: true,
  peers: ['kube-linter run-as-non-root', 'Checkov CKV_K8S_23', 'Trivy KSV012', 'Polaris runAsRootAllowed', 'kubesec RunAsNonRoot'],
  guidance: {
    why: 'Root inside a container is root on the kernel it shares with every other container: one escape bug and the attacker holds the node. Least privilege starts with the user the process runs as. An explicit root user is a warning; a missing setting (the image decides) is reported as info, and compose services with no `user:` only when the image is not known to drop root by itself (official postgres, redis, mysql, bitnami, grafana… start their process as a dedicated user).',
    fix: 'Run as an unprivileged UID: compose `user: "10001:10001"`; Kubernetes `securityContext: {runAsNonRoot: true, runAsUser: 10001}` on the container (a container-level value overrides the pod-level one). Make sure the image can run as that user (file ownership, ports above 1024).',
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
      } else if (!imageDropsRoot(service) && !extendsAnotherService(tree, service)) {
        context.report({
          range: service.keyRange,
          severity: 'info',
          message: `Service "${service.name}" sets no user:, so it runs as the image's default user, usually root: a process that escapes the container is root on the host.`,
          fixes: fix(`Add user: ${UNPRIVILEGED_USER}`, [appendToMap(tree, service.node, [`user: ${UNPRIVILEGED_USER}`])], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    if (!object.podSpec || runsOnWindows(object)) return;
    for (const container of runningContainers(object)) {
      const problem = rootProblem(object, container);
      if (problem) context.report(problem);
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
      message: `${where} runs as UID 0 (runAsUser: 0 at ${user.level} level): root in the container is one kernel bug away from root on the node.`,
      fixes: fix('Run this container as UID 10001', [setNestedValueAtEnd(tree, container.node, ['securityContext', 'runAsUser'], '10001')], false),
    };
  }
  const nonRoot = effectiveSetting(object, container, 'runAsNonRoot');
  const nonRootValue = tree.boolean(nonRoot?.holder, 'runAsNonRoot');
  if (nonRootValue === true) return undefined;
  if (nonRoot && scalarText(nonRoot.value)?.includes('{{')) return undefined;
  const addNonRoot = fix('Set runAsNonRoot: true on this container', [setNestedValueAtEnd(tree, container.node, ['securityContext', 'runAsNonRoot'], 'true')], false);
  if (nonRoot && nonRootValue === false) {
    return {
      range: nonRoot.range,
      message: `${where} may run as root (runAsNonRoot: false at ${nonRoot.level} level and no non-zero runAsUser): the image's USER decides, and that is usually root.`,
      fixes: addNonRoot,
    };
  }
  return {
    range: container.subjectRange,
    severity: 'info',
    message: `${where} may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set, so the image's USER decides, and that is usually root.`,
    fixes: addNonRoot,
  };
}

function isRootUser(user: string): boolean {
  const name = user.split(':')[0].trim().toLowerCase();
  return name === 'root' || name === '0';
}

function runsOnWindows(object: KubernetesObject): boolean {
  const tree = object.tree;
  const spec = object.podSpec!.node;
  const nodeSelector = tree.map(spec, 'nodeSelector');
  const podContext = tree.map(spec, 'securityContext');
  return tree.string(nodeSelector, 'kubernetes.io/os') === 'windows' || tree.pair(podContext, 'windowsOptions') !== undefined;
}

/**
 * Images whose Dockerfile sets a non-root USER, or whose entrypoint drops root (gosu/su-exec)
 * before starting the server. Without `user:` they still do not run their service as root.
 */
const NON_ROOT_IMAGE = new RegExp(
  [
    '^(?:docker\\.io/)?(?:library/)?(?:postgres|postgis/postgis|mysql|mariadb|mongo|redis|valkey/valkey|rabbitmq|memcached|cassandra|couchdb|elasticsearch|kibana|logstash|zookeeper|solr|neo4j|clickhouse/clickhouse-server|dpage/pgadmin4)(?:[:@]|$)',
    '^(?:docker\\.redpanda\\.com/|(?:docker\\.io/)?redpandadata/)',
    '^(?:docker\\.io/)?bitnami/',
    '^(?:docker\\.io/)?grafana/(?:grafana|loki|tempo|promtail)(?:[:@]|$)',
    '^(?:docker\\.io/)?prom/',
    '^quay\\.io/prometheus/',
    '^docker\\.elastic\\.co/',
    '^(?:docker\\.io/)?(?:jenkins/jenkins|sonarqube|confluentinc/|nginxinc/nginx-unprivileged)',
    '^quay\\.io/keycloak/',
    '^cgr\\.dev/',
    '^gcr\\.io/distroless/.*:nonroot',
    '[:-](?:nonroot|rootless)(?:[-.@]|$)',
  ].join('|'),
  'i',
);

function imageDropsRoot(service: ComposeService): boolean {
  return service.image !== undefined && NON_ROOT_IMAGE.test(service.image.value.trim());
}
