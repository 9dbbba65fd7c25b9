/**
 * Deterministic inputs for the benchmark: Kubernetes manifests of a requested line count and a
 * compose file of many services. Same arguments, same text, so runs compare.
 */

/** A small seeded PRNG (mulberry32) so the manifests vary without depending on Math.random. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGES = ['nginx:1.27.2', 'redis', 'postgres:16', 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64), 'quay.io/acme/worker:latest', 'registry.example.com/shop/cart:2.4.1'];

function deployment(index: number, next: () => number): string {
  const name = `app-${index}`;
  const privileged = next() < 0.15;
  const image = IMAGES[Math.floor(next() * IMAGES.length)];
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${index % 7}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: shop
spec:
  replicas: ${1 + (index % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      serviceAccountName: ${name}
      containers:
        - name: main
          image: ${image}
          ports:
            - containerPort: ${8000 + (index % 100)}
              name: http
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ${name}-db
                  key: password
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
          securityContext:
            privileged: ${privileged}
            readOnlyRootFilesystem: ${next() < 0.7}
            allowPrivilegeEscalation: false
            runAsNonRoot: true
`;
}

function service(index: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: app-${index}
  namespace: team-${index % 7}
spec:
  selector:
    app.kubernetes.io/name: app-${index}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

function configMap(index: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-${index}-config
  namespace: team-${index % 7}
data:
  settings.yaml: |
    feature:
      enabled: true
      level: ${index % 5}
  greeting: "hello from ${index}"
`;
}

/** A multi-document Kubernetes manifest of at least `lines` lines (Deployment, Service, ConfigMap triples). */
export function kubernetesManifest(lines: number, seed = 1): string {
  const next = random(seed);
  const documents: string[] = [];
  let count = 0;
  for (let index = 0; count < lines; index++) {
    for (const document of [deployment(index, next), service(index), configMap(index)]) {
      documents.push(document);
      count += document.split('\n').length;
    }
  }
  return documents.join('---\n');
}

/** A compose file with `services` services, some with findings (privileged, unpinned images, published datastores). */
export function composeFile(services: number, seed = 2): string {
  const next = random(seed);
  const parts = ['services:'];
  for (let index = 0; index < services; index++) {
    const image = IMAGES[Math.floor(next() * IMAGES.length)];
    parts.push(`  svc-${index}:
    image: ${image}
    restart: unless-stopped
    environment:
      LOG_LEVEL: info
      API_TOKEN: \${API_TOKEN:-changeme}
    ports:
      - "${10000 + index}:8080"
    networks: [backend]
    privileged: ${next() < 0.1}
    read_only: true`);
  }
  parts.push('networks:\n  backend: {}\n');
  return parts.join('\n');
}

/** Line count as editors count it. */
export function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
