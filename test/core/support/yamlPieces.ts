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
