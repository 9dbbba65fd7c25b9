import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { THREAGILE_SCHEMA } from '../../server/src/model/threagileSchema';
import { CORPUS, requireCorpus } from '../views/support';
import { requireBundle, ROOT, sbd, tempDir } from './support';

type Model = {
  technical_assets: Record<string, { id: string; type: string; technology: string; data_assets_processed: string[]; communication_links: Record<string, { target: string; protocol: string; authentication: string; ip_filtered: boolean }> }>;
  trust_boundaries: Record<string, { id: string; type: string; technical_assets_inside: string[]; trust_boundaries_nested: string[] }>;
  data_assets: Record<string, { id: string }>;
  shared_runtimes: Record<string, { id: string; technical_assets_running: string[] }>;
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(THREAGILE_SCHEMA);

/** Exports `paths` (relative to `cwd`) to a file, checks it against the Threagile schema and reads it back with `sbd scan`. */
function exported(paths: string[], cwd = ROOT): { text: string; model: Model; stderr: string; readBack: Array<{ ruleId: string; severity: string; message: string }> } {
  const out = path.join(tempDir({}), 'model.threagile.yaml');
  const result = sbd(['export', 'threagile', ...paths, '--output', out], cwd);
  assert.equal(result.status, 0, result.stderr);
  const text = fs.readFileSync(out, 'utf8');
  const model = parse(text) as Model;
  assert.ok(validate(model), `valid against the Threagile schema: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
  const scan = sbd(['scan', out, '--format', 'json', '--fail-on', 'never']);
  assert.equal(scan.status, 0, scan.stderr);
  const report = JSON.parse(scan.stdout) as { files: Array<{ kinds: string[]; findings: Array<{ ruleId: string; severity: string; message: string }> }> };
  assert.deepEqual(report.files.map((file) => file.kinds), [['threagile']], 'read back as a Threagile model');
  return { text, model, stderr: result.stderr, readBack: report.files[0].findings };
}

/** What would make Threagile refuse the model, or our reader find it broken: unknown ids, unknown names, parse and meta problems. */
function loadProblems(readBack: ReadonlyArray<{ ruleId: string; severity: string; message: string }>): string[] {
  return readBack.filter((finding) => finding.ruleId === 'BND105' || finding.ruleId.startsWith('SBD') || (finding.ruleId === 'FF103' && finding.severity !== 'info')).map((finding) => `${finding.ruleId}: ${finding.message}`);
}

function ids(model: Model, section: 'technical_assets' | 'trust_boundaries' | 'data_assets' | 'shared_runtimes'): string[] {
  return Object.values(model[section] ?? {}).map((item) => item.id);
}

describe('sbd export threagile', function () {
  this.timeout(120_000);
  before(requireBundle);

  it('exports the insecure compose example: services as assets, networks as boundaries, depends_on and datastore reach as links, secrets as data assets', () => {
    const { text, model, readBack, stderr } = exported(['examples/compose/insecure.compose.yaml']);
    assert.match(text, /^# Threagile model skeleton derived by `sbd export threagile` from the deployment:\n# {3}examples\/compose\/insecure\.compose\.yaml\n# It is a starting point, not a threat model/);
    assert.match(text, /^threagile_version: 1\.0\.0$/m);
    assert.match(text, /^date: \d{4}-\d{2}-\d{2}$/m);
    assert.deepEqual(ids(model, 'technical_assets').sort(), ['agent', 'api', 'cache', 'db', 'outside-examples-compose-insecure-compose-yaml', 'worker']);
    const byId = new Map(Object.values(model.technical_assets).map((asset) => [asset.id, asset]));
    assert.equal(byId.get('db')!.type, 'datastore');
    assert.equal(byId.get('db')!.technology, 'database');
    assert.equal(byId.get('api')!.technology, 'unknown-technology', 'an image of the team is not guessed at');
    assert.deepEqual(Object.values(byId.get('api')!.communication_links).map((link) => [link.target, link.protocol]), [['db', 'sql-access-protocol'], ['cache', 'nosql-access-protocol']]);
    // The worker declares nothing but shares the database's network: a link that says so.
    assert.match(text, /can reach over network default db:\n {8}target: db\n {8}description: "can reach over network default \(examples\/compose\/insecure\.compose\.yaml\)\. Reachable, not declared/);
    assert.deepEqual(Object.values(byId.get('db')!.communication_links), [], 'a datastore initiates nothing');
    assert.deepEqual(Object.values(byId.get('outside-examples-compose-insecure-compose-yaml')!.communication_links).map((link) => link.target), ['api', 'db', 'cache']);
    const boundaries = new Map(Object.values(model.trust_boundaries).map((boundary) => [boundary.id, boundary]));
    assert.deepEqual(boundaries.get('network-default')!.technical_assets_inside, ['api', 'worker', 'db', 'cache']);
    assert.equal(boundaries.get('network-default')!.type, 'network-virtual-lan');
    assert.deepEqual(boundaries.get('network-host')!.technical_assets_inside, ['agent']);
    assert.deepEqual(boundaries.get('compose-examples-compose-insecure-compose-yaml')!.trust_boundaries_nested, ['network-default', 'network-host']);
    assert.deepEqual(byId.get('api')!.data_assets_processed, ['secret-db-password', 'secret-jwt-secret']);
    assert.deepEqual(byId.get('worker')!.data_assets_processed, ['secret-db-password']);
    assert.deepEqual(Object.values(model.shared_runtimes)[0].technical_assets_running, ['api', 'worker', 'db', 'cache', 'agent']);
    assert.match(text, /authentication: none # set: the deployment does not show how this call is authenticated/);
    assert.match(stderr, /^sbd: exported 6 technical assets, 3 trust boundaries, 7 communication links and 2 data assets to .*model\.threagile\.yaml; review the values marked "set:"/);
    assert.deepEqual(loadProblems(readBack), []);
  });

  it('exports Kubernetes manifests: namespaces as boundaries, a Service stands for its workloads, NetworkPolicy admissions are IP-filtered links', () => {
    const dir = tempDir({
      'shop.yaml': [
        'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: example/api:1.0.0}]\n',
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: postgres, image: postgres:16.4}]\n',
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n    - http:\n        paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]\n',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-from-api, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: api}}}]\n',
      ].join('---\n'),
    });
    const { model, readBack } = exported(['shop.yaml'], dir);
    const byId = new Map(Object.values(model.technical_assets).map((asset) => [asset.id, asset]));
    assert.deepEqual([...byId.keys()].sort(), ['api', 'db', 'ingress-api', 'outside-shop-yaml']);
    assert.equal(byId.get('ingress-api')!.technology, 'reverse-proxy');
    assert.deepEqual(Object.values(byId.get('ingress-api')!.communication_links).map((link) => [link.target, link.protocol]), [['api', 'http']], 'Ingress → Service api → Deployment api');
    assert.deepEqual(Object.values(byId.get('api')!.communication_links).map((link) => [link.target, link.protocol, link.ip_filtered]), [['db', 'sql-access-protocol', true]]);
    const [namespace] = Object.values(model.trust_boundaries).filter((boundary) => boundary.id === 'namespace-shop');
    assert.equal(namespace.type, 'network-policy-namespace-isolation');
    assert.deepEqual(namespace.technical_assets_inside.sort(), ['api', 'db', 'ingress-api']);
    assert.deepEqual(loadProblems(readBack), []);
  });

  it('a caller that holds the datastore\'s own secret authenticates with credentials; a caller that does not is left to the reader', () => {
    const dir = tempDir({
      'compose.yaml': 'services:\n  api:\n    image: example/api:1.0.0\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:?required}\n    depends_on: [db]\n  report:\n    image: example/report:1.0.0\n    depends_on: [db]\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?required}\n',
    });
    const { text, model, readBack } = exported(['compose.yaml'], dir);
    const links = Object.values(model.technical_assets).flatMap((asset) => Object.values(asset.communication_links).map((link) => [asset.id, link.target, link.authentication]));
    assert.deepEqual(links, [['api', 'db', 'credentials'], ['report', 'db', 'none']]);
    assert.match(text, /authentication: credentials # both hold \$\{DB_PASSWORD\}/);
    assert.deepEqual(loadProblems(readBack), []);
  });

  it('exports every bundled example that is a deployment, leaves the models out, and reads back without unknown ids', () => {
    const { model, readBack, stderr } = exported(['examples']);
    assert.match(stderr, /^sbd: examples\/architecture\/fixed\/shop\.arch\.yaml: a model already, not exported$/m);
    const all = ['technical_assets', 'trust_boundaries', 'data_assets', 'shared_runtimes'] as const;
    const every = all.flatMap((section) => ids(model, section));
    assert.equal(new Set(every).size, every.length, 'ids are unique across the model');
    assert.ok(every.every((id) => /^[a-z0-9-]+$/.test(id)), 'Threagile id syntax');
    // Same-named services of two compose files stay two assets.
    const apis = Object.entries(model.technical_assets).filter(([, asset]) => /^api(-examples-compose-.*)?$/.test(asset.id)).map(([title, asset]) => [title, asset.id]);
    assert.deepEqual(new Map(apis as Array<[string, string]>), new Map([['api', 'api'], ['api (examples/compose/insecure.compose.yaml)', 'api-examples-compose-insecure-compose-yaml']]));
    assert.deepEqual(loadProblems(readBack), []);
  });

  it('exports a real compose stack and a real manifest set from the corpus that Threagile would load', function () {
    requireCorpus(this);
    for (const file of ['compose/opentelemetry-demo__compose.yaml', 'k8s/big__microservices-demo__kubernetes-manifests.yaml']) {
      const { model, readBack } = exported([path.join(CORPUS, file)]);
      assert.ok(Object.keys(model.technical_assets).length > 10, file);
      const targets = Object.values(model.technical_assets).flatMap((asset) => Object.values(asset.communication_links).map((link) => link.target));
      const known = new Set(ids(model, 'technical_assets'));
      assert.ok(targets.every((target) => known.has(target)), `${file}: every link reaches an asset`);
      assert.deepEqual(loadProblems(readBack), [], file);
    }
  });

  it('says so when there is nothing to export, and refuses a missing path, with status 2', () => {
    const dir = tempDir({ 'model.arch.yaml': 'apiVersion: securebydesign/v1\nkind: Architecture\nzones:\n  app: {trust: trusted}\ncomponents:\n  api: {zone: app}\n' });
    const nothing = sbd(['export', 'threagile', '.'], dir);
    assert.equal(nothing.status, 2);
    assert.match(nothing.stderr, /model\.arch\.yaml: a model already, not exported\nsbd: no compose service or Kubernetes workload to export/);
    const missing = sbd(['export', 'threagile', 'nowhere'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nowhere/);
    const unknown = sbd(['export', 'cyclonedx'], dir);
    assert.equal(unknown.status, 2);
  });
});
