import fc from 'fast-check';

/**
 * Building blocks for property tests: real-looking compose and Kubernetes documents with
 * security-relevant settings, plus the broken fragments people leave behind while typing.
 */
export const KUBERNETES_DOCUMENTS = [
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx
          securityContext:
            privileged: true
            allowPrivilegeEscalation: true
          env:
            - name: DB_PASSWORD
              value: hunter2
`,
  `apiVersion: v1
kind: Pod
metadata:
  name: api # sbd-ignore TCB001 reason="legacy"
spec:
  containers:
    - name: api
      image: ghcr.io/acme/api:1.2.3
      securityContext: {privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true}
`,
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
  `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: LoadBalancer
  ports:
    - port: 5432
`,
  `apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: true
          containers:
            - name: backup
              image: postgres:latest
              volumeMounts: [{name: host, mountPath: /host}]
          volumes:
            - name: host
              hostPath: {path: /}
`,
];

export const COMPOSE_DOCUMENTS = [
  `services:
  web:
    image: nginx:latest
    privileged: true
    ports:
      - "80:80"
    environment:
      API_TOKEN: \${API_TOKEN:-changeme}
  db:
    image: postgres
    ports: ["5432:5432"]
    network_mode: host
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
`,
  `x-base: &base
  restart: always
  cap_add: [ALL]
services:
  worker:
    <<: *base
    image: registry.example.com/worker@sha256:${'b'.repeat(64)}
    read_only: true
    security_opt: ["no-new-privileges:true"]
`,
];

/** Fragments typed mid-edit: half keys, stray indentation, document markers, comments, suppressions. */
export const FRAGMENTS = [
  '---\n',
  '\n---\n',
  '--- \n',
  '...\n',
  '\n',
  '  ',
  ': ',
  '- ',
  'privileged: true\n',
  '    privileged: true\n',
  'hostNetwork: true',
  'image: redis\n',
  '# sbd-ignore TCB001 reason="test"\n',
  '# sbd-ignore-file IMM001 reason="x"\n',
  '&a ',
  '*a',
  '<<: *base\n',
  '{',
  '"',
  "'",
  '|\n',
  '\t',
  '\r\n',
  'kind: Pod\n',
  'services:\n',
  'x',
  'é€😀',
];

export const fragment = fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 }));

/** A file of 1 to 5 documents joined by `---` lines. */
export const yamlFile = fc
  .array(fc.constantFrom(...KUBERNETES_DOCUMENTS, ...COMPOSE_DOCUMENTS), { minLength: 1, maxLength: 5 })
  .map((documents) => documents.join('---\n'));

export interface Edit {
  /** Fraction of the text length where the edit starts (so it fits any text). */
  readonly at: number;
  /** Characters deleted from there. */
  readonly remove: number;
  readonly insert: string;
}

export const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
  insert: fc.oneof(fragment, fc.constant('')),
});

export function applyEdit(text: string, change: Edit): string {
  const start = Math.min(text.length, Math.floor(change.at * text.length));
  const end = Math.min(text.length, start + change.remove);
  return text.slice(0, start) + change.insert + text.slice(end);
}

/**
 * One large document in the shape of a CustomResourceDefinition (nested `properties`, block-scalar
 * descriptions, quoted strings, enums in flow and block style, an anchor and its alias) of about
 * `fields` × 12 lines: edits inside it are where re-parsing only the touched block pays off.
 */
export function bigCustomResourceDefinition(fields: number): string {
  const lines = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata:', '  name: widgets.example.com', 'spec:', '  group: example.com', '  versions:', '  - name: v1', '    served: true', '    schema:', '      openAPIV3Schema:', '        type: object', '        properties:'];
  for (let i = 0; i < fields; i++) {
    lines.push(
      `          field${i}:`,
      i % 3 === 0 ? '            description: |' : '            description: >-',
      `              Field ${i} of the widget: "quoted" words and 'single' ones.`,
      '              A second line: with a colon.',
      `            type: ${i % 2 === 0 ? 'string' : 'object'}`,
      i === 1 ? '            x-defaults: &defaults {min: 0, max: 10}' : i === 5 ? '            x-defaults: *defaults' : `            format: "f-${i}"`,
      `            enum: [a${i}, 'b${i}', "c${i}"]`,
      '            items:',
      '              - name: first',
      `                value: ${i}`,
      '              - name: second',
      "                value: 'two'",
    );
  }
  return lines.join('\n') + '\n';
}

/** A compose file of `services` services, each a block map of its own. */
export function bigComposeFile(services: number): string {
  const parts = ['services:'];
  for (let i = 0; i < services; i++) {
    parts.push(`  svc-${i}:\n    image: ${i % 4 === 0 ? 'nginx:latest' : `registry.example.com/app-${i}:1.${i}`}\n    environment:\n      API_TOKEN: \${API_TOKEN:-changeme}\n      LEVEL: "${i}"\n    ports:\n      - "${10000 + i}:8080"\n    privileged: ${i % 7 === 0}\n    read_only: true`);
  }
  return parts.join('\n') + '\nnetworks:\n  backend: {}\n';
}

/** What people type inside a big document: indentation changes, quotes, block scalar headers, markers. */
export const INSIDE_EDITS = ['a', 'x: 1', '\n', '\n  ', '\n    y: 2', '  ', ' ', '"', "'", '|', '|-\n', '>', '- ', '- z\n', ': ', '#', '---\n', '\n---\n', '&b ', '*defaults', '{', '}', '[', ']', '\t', '...\n'];

export const insideEdit: fc.Arbitrary<Edit> = fc.record({
  // Without bias: fast-check's default leans to 0, the document's first line, where nothing encloses an edit.
  at: fc.noBias(fc.integer({ min: 0, max: 1_000_000 })).map((at) => at / 1_000_000),
  remove: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 30 })),
  insert: fc.oneof(fc.constantFrom(...INSIDE_EDITS), fc.constant(''), fc.string({ maxLength: 3 })),
});

/**
 * Service definitions (the lines under `  name:`, indented four spaces) that give every
 * service-scoped compose rule something to report, and that read the document around them: `x-`
 * blocks merged with `<<:`, an anchor one service defines and another aliases, `extends:`, a
 * `network_mode` naming another service, datastores beside clients.
 */
export const SERVICE_BODIES = [
  'image: nginx:latest\n    privileged: true\n    ports:\n      - "80:80"\n      - "8080:8080"',
  '<<: *base\n    image: postgres:16\n    ports: ["5432:5432"]\n    environment:\n      POSTGRES_PASSWORD: ${PG_PASSWORD:-postgres}',
  'image: redis:7\n    user: "0:0"\n    volumes:\n      - /etc:/host/etc\n      - data:/data\n    cap_add: [SYS_ADMIN, NET_ADMIN]',
  'image: &img registry.example.com/app:1.2\n    security_opt: [seccomp:unconfined, "no-new-privileges:false", apparmor=unconfined]\n    read_only: false\n    restart: always',
  'image: *img\n    network_mode: "service:svc-0"\n    healthcheck:\n      disable: true\n    volumes:\n      - data:/data',
  'build: ./api\n    user: root\n    env_file:\n      - path: ./secrets.env\n        required: false\n    devices:\n      - /dev/mem:/dev/mem',
  '<<: *base\n    image: hashicorp/vault:1.17\n    command: server -dev\n    environment:\n      VAULT_LOCAL_CONFIG: \'{"listener": {"tcp": {"tls_disable": 1}}, "disable_mlock": true}\'',
  'image: alpine:3.20\n    volumes:\n      - ./conf:/etc/app\n      - /var/run/docker.sock:/var/run/docker.sock\n      - /srv:/srv:rshared\n    pid: host\n    ipc: shareable\n    cgroup: host\n    group_add: ["0"]',
  'extends:\n      service: svc-1\n    image: busybox\n    command: sh -c "apk add curl && run"',
  '<<: [*base, *limits]\n    image: mysql:8\n    ports:\n      - "3306:3306"\n    environment:\n      - NODE_TLS_REJECT_UNAUTHORIZED=0',
  'image: lscr.io/linuxserver/openssh-server\n    ports: ["2222:22"]\n    user: "10001:10001"\n    read_only: true\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges:true]\n    mem_limit: 256m\n    pids_limit: 50\n    cpus: 0.5',
  'image: app/web:${TAG:-unstable}\n    environment:\n      DB_URL: postgres://app:hunter2@svc-1:5432/app\n      VERIFY_SSL: ${VERIFY_SSL:-false}',
  // An access key id's default is a secret's unless its secret key is named elsewhere in the file (BND002 reads the whole file's names).
  'image: mysql:8.4\n    ports: ["3306:3306"]\n    environment:\n      MYSQL_ROOT_PASSWORD_FILE: /run/secrets/db\n      MINIO_ACCESS_KEY: ${MINIO_ACCESS_KEY:-minioadmin}',
  'image: minio/minio:RELEASE.2024-01-01T00-00-00Z\n    environment:\n      MINIO_SECRET_KEY: ${MINIO_SECRET_KEY:?set it}',
  // Half-typed: a key without its value, a stray indentation, an unclosed flow sequence.
  'image: nginx:1.27\n    privileged\n    user: root',
  'image: nginx:1.27\n     cap_add: [SYS_ADMIN\n    read_only: false',
];

/** The blocks around `services:`, each in a few versions an edit switches between. */
export const COMPOSE_HEADS = [
  'x-base: &base\n  restart: unless-stopped\n  cap_add: [NET_RAW]\n  user: "100"\nx-limits: &limits\n  mem_limit: 512m\n  pids_limit: 100\n',
  'x-base: &base\n  restart: unless-stopped\n  privileged: true\n  user: "0"\nx-limits: &limits\n  cpus: 1\n',
  'name: shop\nx-base: &base\n  read_only: true\nx-limits: &limits\n  mem_limit: 0\n',
];
export const COMPOSE_TAILS = ['networks:\n  backend: {}\nsecrets:\n  db: {file: ./db.txt}\nvolumes:\n  data: {}\n', 'volumes:\n  data:\n    external: true\n', ''];

export interface ComposeStack {
  readonly head: number;
  readonly tail: number;
  readonly services: ReadonlyArray<{ readonly name: string; readonly body: number }>;
}

export function composeStackText(stack: ComposeStack): string {
  const services = stack.services.map((service) => `  ${service.name}:\n    ${SERVICE_BODIES[service.body]}\n`).join('');
  return `${COMPOSE_HEADS[stack.head]}services:\n${services}${COMPOSE_TAILS[stack.tail]}`;
}

export function composeStack(services: number): ComposeStack {
  return { head: 0, tail: 0, services: Array.from({ length: services }, (_, i) => ({ name: `svc-${i}`, body: i % SERVICE_BODIES.length })) };
}

/** An edit of a compose file as people make them: to one service, to the blocks around, or renaming, deleting, adding, moving services. */
export type StackEdit =
  | { readonly kind: 'body'; readonly at: number; readonly body: number }
  | { readonly kind: 'rename'; readonly at: number; readonly name: string }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly name: string; readonly body: number }
  | { readonly kind: 'swap'; readonly at: number; readonly with: number }
  | { readonly kind: 'head'; readonly head: number }
  | { readonly kind: 'tail'; readonly tail: number };

const serviceName = fc.constantFrom('svc-0', 'svc-1', 'svc-3', 'web', 'db', 'svc-new');
const position = fc.nat(1000);
export const stackEdit: fc.Arbitrary<StackEdit> = fc.oneof(
  fc.record({ kind: fc.constant('body' as const), at: position, body: fc.nat(SERVICE_BODIES.length - 1) }),
  fc.record({ kind: fc.constant('rename' as const), at: position, name: serviceName }),
  fc.record({ kind: fc.constant('delete' as const), at: position }),
  fc.record({ kind: fc.constant('insert' as const), at: position, name: serviceName, body: fc.nat(SERVICE_BODIES.length - 1) }),
  fc.record({ kind: fc.constant('swap' as const), at: position, with: position }),
  fc.record({ kind: fc.constant('head' as const), head: fc.nat(COMPOSE_HEADS.length - 1) }),
  fc.record({ kind: fc.constant('tail' as const), tail: fc.nat(COMPOSE_TAILS.length - 1) }),
);

export function applyStackEdit(stack: ComposeStack, change: StackEdit): ComposeStack {
  const services = [...stack.services];
  const at = (n: number) => n % Math.max(1, services.length);
  switch (change.kind) {
    case 'body':
      if (services.length > 0) services[at(change.at)] = { ...services[at(change.at)], body: change.body };
      break;
    case 'rename':
      if (services.length > 0) services[at(change.at)] = { ...services[at(change.at)], name: change.name };
      break;
    case 'delete':
      services.splice(at(change.at), 1);
      break;
    case 'insert':
      services.splice(change.at % (services.length + 1), 0, { name: change.name, body: change.body });
      break;
    case 'swap':
      if (services.length > 0) [services[at(change.at)], services[at(change.with)]] = [services[at(change.with)], services[at(change.at)]];
      break;
    case 'head':
      return { ...stack, head: change.head };
    case 'tail':
      return { ...stack, tail: change.tail };
  }
  return { ...stack, services };
}
