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
