import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Kustomizations generated from a seed, for differential tests against kubectl kustomize: random
 * but reproducible mixes of the features whose interplay is easy to get wrong (strategic merge of
 * containers, env, ports and mounts with directives; prefixes, suffixes, namespaces, labels,
 * images, replicas and generators over objects that refer to each other).
 */
class Random {
  constructor(private seed: number) {}

  next(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  count(max: number): number {
    return 1 + Math.floor(this.next() * max);
  }
}

function write(folder: string, files: Record<string, string>): void {
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
}

function container(random: Random, patch: boolean): { name: string; yaml: string } {
  const name = random.pick(['a', 'b', 'c']);
  const lines = [`- name: ${name}`];
  const image = !patch || random.chance(0.5);
  if (image) lines.push(`  image: img-${random.pick(['1', '2'])}`);
  if (patch && random.chance(0.15)) lines.push(`  $patch: ${random.pick(['delete', 'replace'])}`);
  if (random.chance(0.6)) {
    lines.push('  env:');
    const names = new Set<string>();
    for (let i = random.count(3); i > 0; i--) names.add(random.pick(['X', 'Y', 'Z']));
    for (const env of names) lines.push(patch && random.chance(0.2) ? `  - name: ${env}\n    $patch: delete` : `  - name: ${env}\n    value: "${random.pick(['1', '2', '3'])}"`);
  }
  if (random.chance(0.5)) {
    lines.push('  ports:');
    for (let i = random.count(2); i > 0; i--) {
      lines.push(`  - containerPort: ${random.pick([80, 81])}`);
      if (random.chance(0.5)) lines.push(`    protocol: ${random.pick(['TCP', 'UDP'])}`);
      if (random.chance(0.4)) lines.push(`    name: p${random.pick(['1', '2'])}`);
    }
  }
  if (random.chance(0.3)) lines.push(`  args: [${random.pick(['x', 'y'])}]`);
  if (patch && !image && random.chance(0.15)) lines.push('  image: null');
  if (random.chance(0.4)) lines.push(`  volumeMounts:\n  - mountPath: /${random.pick(['m', 'n'])}\n    name: v${random.pick(['1', '2'])}`);
  return { name, yaml: lines.map((line) => `      ${line.split('\n').join('\n      ')}`).join('\n') };
}

function distinct(items: Array<{ name: string; yaml: string }>): string {
  const seen = new Set<string>();
  return items
    .filter((item) => !seen.has(item.name) && seen.add(item.name))
    .map((item) => item.yaml)
    .join('\n');
}

/** Deployments patched by strategic merge patches with directives, nulls and multi-key ports. */
export function strategicMergeCases(root: string, count: number, seed: number): string[] {
  const random = new Random(seed);
  const folders: string[] = [];
  for (let i = 0; i < count; i++) {
    const folder = path.join(root, `strategic-merge-${seed}-${i}`);
    const base = distinct(Array.from({ length: random.count(3) }, () => container(random, false)));
    const patch = distinct(Array.from({ length: random.count(2) }, () => container(random, true)));
    const listDirective = random.chance(0.1) ? `      - $patch: ${random.pick(['replace', 'delete'])}\n` : '';
    const volumes = random.chance(0.3) ? '      volumes:\n      - name: v1\n        $patch: delete\n' : '';
    write(folder, {
      'kustomization.yaml': 'resources: [deployment.yaml]\npatches: [{path: patch.yaml}]\n',
      'deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n      containers:\n${base}\n      volumes:\n      - name: v1\n        emptyDir: {}\n`,
      'patch.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n      containers:\n${listDirective}${patch}\n${volumes}`,
    });
    folders.push(folder);
  }
  return folders;
}

/** Objects that name each other, built through a base and an overlay with random transformers. */
export function transformerCases(root: string, count: number, seed: number): string[] {
  const random = new Random(seed);
  const objects: Record<string, (name: string) => string> = {
    ConfigMap: (name) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: {k: v}`,
    ServiceAccount: (name) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}`,
    Secret: (name) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData: {k: v}`,
    Deployment: (name) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      serviceAccountName: ${random.pick(['sa1', 'sa2'])}\n      containers:\n      - name: c\n        image: ${random.pick(['nginx', 'nginx:1.2', 'example.com/nginx:3', 'busybox@sha256:abc'])}\n        envFrom: [{configMapRef: {name: ${random.pick(['cm1', 'cm2', 'generated'])}}}, {secretRef: {name: ${random.pick(['s1', 'generated-secret'])}}}]\n      volumes: [{name: v, persistentVolumeClaim: {claimName: ${random.pick(['pvc1', 'pvc2'])}}}]`,
    StatefulSet: (name) =>
      `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}\nspec:\n  serviceName: ${random.pick(['svc1', 'svc2'])}\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: c, image: postgres:16}]`,
    Service: (name) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ${random.chance(0.7) ? 'selector: {app: x}\n  ' : ''}ports: [{port: 80}]`,
    PersistentVolumeClaim: (name) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}`,
    RoleBinding: (name) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ${name}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${random.pick(['Role', 'ClusterRole'])}, name: ${random.pick(['r1', 'cr1'])}}\nsubjects:\n- {kind: ServiceAccount, name: ${random.pick(['sa1', 'default', 'sa2'])}}`,
    Role: (name) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}\nrules: []`,
    ClusterRole: (name) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\nrules: []`,
    NetworkPolicy: (name) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n  podSelector: {matchLabels: {app: x}}\n  ingress: [{from: [{podSelector: {matchLabels: {a: b}}}]}]`,
    CronJob: (name) =>
      `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          serviceAccountName: sa1\n          containers: [{name: c, image: nginx, env: [{name: A, valueFrom: {configMapKeyRef: {name: cm1, key: k}}}]}]`,
  };
  const names: Record<string, string[]> = {
    ConfigMap: ['cm1', 'cm2'],
    ServiceAccount: ['sa1', 'sa2'],
    Secret: ['s1'],
    Deployment: ['web', 'api'],
    StatefulSet: ['db'],
    Service: ['svc1', 'svc2'],
    PersistentVolumeClaim: ['pvc1', 'pvc2'],
    RoleBinding: ['rb1'],
    Role: ['r1'],
    ClusterRole: ['cr1'],
    NetworkPolicy: ['np1'],
    CronJob: ['cron'],
  };
  const folders: string[] = [];
  for (let i = 0; i < count; i++) {
    const folder = path.join(root, `transformers-${seed}-${i}`);
    const documents: string[] = [];
    for (const [kind, list] of Object.entries(names)) for (const name of list) if (random.chance(0.6)) documents.push(objects[kind](name));
    const base = ['resources: [all.yaml]'];
    if (random.chance(0.5)) base.push(`namePrefix: ${random.pick(['b-', 'base-'])}`);
    if (random.chance(0.5)) base.push(`configMapGenerator: [{name: generated, literals: [A=${random.pick(['1', '2'])}]}]\nsecretGenerator: [{name: generated-secret, literals: [B=1]}]`);
    if (random.chance(0.4)) base.push(`commonLabels: {tier: ${random.pick(['a', 'b'])}}`);
    const overlay = ['resources: [../base]'];
    if (random.chance(0.7)) overlay.push(`namePrefix: ${random.pick(['o-', 'prod-'])}`);
    if (random.chance(0.5)) overlay.push(`nameSuffix: ${random.pick(['-x', '-v1'])}`);
    if (random.chance(0.6)) overlay.push(`namespace: ${random.pick(['ns1', 'default'])}`);
    if (random.chance(0.5)) overlay.push(`commonLabels: {env: ${random.pick(['dev', 'prod'])}}`);
    if (random.chance(0.4)) overlay.push(`labels: [{pairs: {team: t}, includeSelectors: ${random.pick(['true', 'false'])}, includeTemplates: ${random.pick(['true', 'false'])}}]`);
    if (random.chance(0.4)) overlay.push(`commonAnnotations: {note: "${random.pick(['x', '1'])}"}`);
    if (random.chance(0.6)) overlay.push(`images: [{name: ${random.pick(['nginx', 'busybox', 'example.com/nginx'])}, ${random.pick(['newTag: "9"', 'newName: mirror/x', 'digest: sha256:def', 'newName: reg.io/n, newTag: "2"'])}}]`);
    if (random.chance(0.3)) overlay.push(`replicas: [{name: ${random.pick(['web', 'db', 'api'])}, count: 3}]`);
    if (random.chance(0.3)) overlay.push('configMapGenerator: [{name: generated, behavior: merge, literals: [C=3]}]');
    write(path.join(folder, 'base'), { 'kustomization.yaml': `${base.join('\n')}\n`, 'all.yaml': `${documents.join('\n---\n')}\n` });
    write(path.join(folder, 'overlay'), { 'kustomization.yaml': `${overlay.join('\n')}\n` });
    folders.push(path.join(folder, 'overlay'));
  }
  return folders;
}
