/**
 * A realistic overlay tree: a base of 24 services (Deployment, Service, ServiceAccount, ConfigMap
 * generator, NetworkPolicy, PodDisruptionBudget each), a component, and a production overlay with
 * a prefix, a namespace, labels, 24 patch files, JSON patches, images and replicas.
 */
export function realisticTree(services = 24): Map<string, string> {
  const files = new Map<string, string>();
  const names = Array.from({ length: services }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
  const baseResources: string[] = [];
  const generators: string[] = [];
  for (const name of names) {
    baseResources.push(`  - ${name}.yaml`);
    generators.push(`  - name: ${name}-config\n    literals:\n      - LOG_LEVEL=info\n      - SERVICE=${name}\n      - TIMEOUT=30s`);
    files.set(
      `/repo/base/${name}.yaml`,
      `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      serviceAccountName: ${name}
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: registry.example.com/${name}:1.4.2
          args: ["--port=8080", "--metrics-port=9090"]
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          env:
            - name: SERVICE_NAME
              value: ${name}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ${name}-db
                  key: password
          envFrom:
            - configMapRef:
                name: ${name}-config
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
spec:
  podSelector:
    matchLabels:
      app: ${name}
  ingress:
    - from:
        - podSelector:
            matchLabels:
              role: gateway
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${name}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: ${name}
`,
    );
    files.set(
      `/repo/overlays/prod/patches/${name}.yaml`,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            limits:
              cpu: "1"
              memory: 512Mi
          env:
            - name: ENVIRONMENT
              value: production
`,
    );
  }
  files.set('/repo/base/kustomization.yaml', `resources:\n${baseResources.join('\n')}\ncommonLabels:\n  part-of: shop\nconfigMapGenerator:\n${generators.join('\n')}\nsecretGenerator:\n${names.map((name) => `  - name: ${name}-db\n    literals: [password=not-a-real-one]`).join('\n')}\n`);
  files.set(
    '/repo/components/tracing/kustomization.yaml',
    `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
  - target:
      kind: Deployment
    patch: |-
      - op: add
        path: /spec/template/metadata/annotations
        value:
          tracing.example.com/enabled: "true"
`,
  );
  files.set(
    '/repo/overlays/prod/kustomization.yaml',
    `resources:
  - ../../base
components:
  - ../../components/tracing
namespace: shop-prod
namePrefix: prod-
labels:
  - pairs:
      environment: production
    includeTemplates: true
commonAnnotations:
  owner: platform-team
patches:
${names.map((name) => `  - path: patches/${name}.yaml`).join('\n')}
  - target:
      kind: Service
    patch: |-
      - op: replace
        path: /spec/ports/0/port
        value: 8080
images:
${names.map((name) => `  - name: registry.example.com/${name}\n    newTag: "1.5.0"`).join('\n')}
replicas:
${names.map((name) => `  - name: ${name}\n    count: 4`).join('\n')}
`,
  );
  return files;
}
