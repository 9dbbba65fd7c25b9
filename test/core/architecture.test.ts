import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, analyzeText } from '../../server/src/analysis/engine';
import { Analyzer } from '../../server/src/analysis/analyze';
import { defaultOptions } from '../../server/src/core/options';
import { ALL_RULES } from '../../server/src/rules';
import type { ArchitectureModel } from '../../server/src/model/architecture';
import { trustBoundaryView } from '../../server/src/views/trustBoundaries';
import { applyEdits } from '../fixtureSupport';

const repoRoot = path.join(__dirname, '..', '..');
const options = defaultOptions({ today: '2026-06-01' });

/** The first architecture model of a text, with the document's offset in the file. */
function modelOf(text: string, file = 'model.arch.yaml'): { model: ArchitectureModel; offset: number } {
  const analysis = new Analyzer(ALL_RULES).analyzeFile(file, text, options);
  const document = analysis.documents.find((d) => d.architecture);
  assert.ok(document?.architecture, 'no architecture model was built');
  return { model: document.architecture, offset: document.offset };
}

function slice(text: string, range: { start: number; end: number }, offset = 0): string {
  return text.slice(range.start + offset, range.end + offset);
}

const SHOP = `apiVersion: securebydesign/v1
kind: Architecture
zones:
  edge:
    trust: semi-trusted
  services:
    trust: trusted
    parent: edge
components:
  gateway:
    type: gateway
    zone: edge
    terminatesTls: true
    startupValidation: [tls-certificate]
  orders:
    zone: services
    secrets: [db-password]
    egress: [api.example.com]
    data: confidential
    implementedBy:
      compose: [orders-api]
      kubernetes: Deployment/orders
    deployment:
      strategy: rolling
flows:
  checkout:
    from: gateway
    to: orders
    authentication: [mtls, jwt]
    authorization: resource-level
    controls: [validate, log]
pipelines:
  export:
    source: orders
    sourceLevel: internal
    sink: gateway
deployment:
  strategy: immutable
  configuration: version-control
  artifacts: { pinned: true, signed: false }
`;

describe('architecture models (our format)', () => {
  it('reads zones, components, flows, pipelines and deployments with the range of every value', () => {
    const { model } = modelOf(SHOP);
    assert.equal(model.dialect, 'securebydesign');
    assert.deepEqual(model.zones.map((z) => [z.id, z.trust?.value, z.parent?.value]), [['edge', 'semi-trusted', undefined], ['services', 'trusted', 'edge']]);
    const orders = model.components.find((c) => c.id === 'orders')!;
    assert.equal(slice(SHOP, orders.range), 'orders');
    assert.equal(slice(SHOP, orders.zone!.range), 'services');
    assert.deepEqual(orders.secrets.map((s) => slice(SHOP, s.range)), ['db-password']);
    assert.equal(orders.egress?.value, true);
    assert.equal(orders.dataLevel?.value, 'confidential');
    assert.deepEqual(orders.implementedBy.compose.map((r) => r.value), ['orders-api']);
    assert.deepEqual(orders.implementedBy.kubernetes.map((r) => r.value), ['Deployment/orders']);
    const gateway = model.components.find((c) => c.id === 'gateway')!;
    assert.equal(gateway.componentType, 'gateway');
    assert.equal(gateway.startupValidation?.value, true);
    const [checkout] = model.flows;
    assert.equal(slice(SHOP, checkout.from!.range), 'gateway');
    assert.deepEqual(checkout.authentication.map((m) => slice(SHOP, m.range)), ['mtls', 'jwt']);
    assert.deepEqual([...checkout.appliedControls].sort(), ['authenticate', 'authorize', 'log', 'validate']);
    assert.equal(slice(SHOP, checkout.controlsKey!), 'controls');
    assert.equal(model.pipelines[0].sourceLevel?.value, 'internal');
    assert.deepEqual(model.deployments.map((d) => [d.component, d.strategy?.value]), [[undefined, 'immutable'], ['orders', 'rolling']]);
    assert.equal(slice(SHOP, model.deployments[0].signed!.range), 'false');
  });

  it('marks vault, auth service and audit log as trusted computing base unless tcb: false says otherwise', () => {
    const text = 'apiVersion: securebydesign/v1\nkind: Architecture\ncomponents:\n  vault: { type: vault }\n  auth: { type: auth-service, tcb: false }\n  orders: { tcb: true }\n  web: {}\n';
    const { model } = modelOf(text);
    assert.deepEqual(model.components.map((c) => [c.id, c.inTcb]), [['vault', true], ['auth', false], ['orders', true], ['web', false]]);
  });

  it('keeps ranges relative to their document, so findings land on the right line in a later document', () => {
    const text = `# notes\nservices:\n  web:\n    image: nginx:1.27.2\n---\n${SHOP.replace('authentication: [mtls, jwt]', 'authentication: none')}`;
    const finding = analyzeText(text, options).find((f) => f.ruleId === 'ZT101');
    assert.ok(finding);
    assert.equal(text.slice(finding.range.start, finding.range.end), 'none');
  });

  it('does not crash on half-typed models: missing values, scalars where maps belong, empty sections', () => {
    const text = 'apiVersion: securebydesign/v1\nkind: Architecture\nzones:\ncomponents:\n  orders:\n  web: 3\n  db:\n    type: datastore\n    zone:\nflows:\n  a:\n    from:\n    to: db\n  b: nope\npipelines: []\n';
    const findings = analyzeText(text, options);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'SBD005').map((f) => f.message), []);
  });
});

describe('references in architecture models', () => {
  const text = `apiVersion: securebydesign/v1
kind: Architecture
zones:
  services:
    trust: trusted
components:
  orders:
    zone: servcies
  payments:
    zone: services
flows:
  charge:
    from: orders
    to: billing
`;

  it('reports a component in a zone that does not exist and a flow to a missing component, at the name', () => {
    const findings = analyzeText(text, options).filter((f) => f.ruleId === 'BND105');
    assert.deepEqual(
      findings.map((f) => text.slice(f.range.start, f.range.end)),
      ['servcies', 'billing'],
    );
    assert.match(findings[0].message, /Component "orders" refers to zone "servcies".*Did you mean "services"\?/);
  });

  it('offers the closest defined name as a fix, which removes the finding', () => {
    const finding = analyzeText(text, options).find((f) => f.ruleId === 'BND105' && f.message.includes('servcies'))!;
    assert.equal(finding.fixes?.[0].title, 'Change to "services"');
    const fixed = applyEdits(text, finding.fixes![0].edits);
    assert.deepEqual(analyzeText(fixed, options).filter((f) => f.ruleId === 'BND105').map((f) => text.slice(f.range.start, f.range.end)), ['billing']);
  });

  it('resolves names across the files of a model split in one folder, but not across folders', () => {
    const zones = 'apiVersion: securebydesign/v1\nkind: Architecture\nzones:\n  services:\n    trust: trusted\n';
    const components = 'apiVersion: securebydesign/v1\nkind: Architecture\ncomponents:\n  orders:\n    zone: services\n';
    const together = analyzeFiles([{ file: 'shop/zones.arch.yaml', text: zones }, { file: 'shop/components.arch.yaml', text: components }], options);
    assert.deepEqual(together.flatMap((r) => r.findings.filter((f) => f.ruleId === 'BND105')), []);
    const apart = analyzeFiles([{ file: 'shop/zones.arch.yaml', text: zones }, { file: 'other/components.arch.yaml', text: components }], options);
    assert.equal(apart[1].findings.filter((f) => f.ruleId === 'BND105').length, 1);
  });
});

describe('drift between the model and the deployments', () => {
  const model = `apiVersion: securebydesign/v1
kind: Architecture
components:
  orders: {}
  orders-db:
    type: datastore
flows:
  store: { from: orders, to: orders-db, authentication: mtls }
`;
  const compose = 'services:\n  orders:\n    image: shop/orders:1.0.0\n  orders-db:\n    image: postgres:16.4\n  web:\n    image: shop/web:1.0.0\n';

  it('relates a finding in the compose file to the model line it contradicts', () => {
    const [, deployment] = analyzeFiles([{ file: 'shop/model.arch.yaml', text: model }, { file: 'shop/compose.yaml', text: compose }], options);
    const unmodelled = deployment.findings.find((f) => f.ruleId === 'BND106')!;
    assert.equal(compose.slice(unmodelled.range.start, unmodelled.range.end), 'web');
    assert.equal(unmodelled.related?.[0].file, 'shop/model.arch.yaml');
    assert.equal(model.slice(unmodelled.related![0].range.start, unmodelled.related![0].range.end), 'components');
  });

  it('leaves deployments alone that belong to another model folder or to none', () => {
    const results = analyzeFiles(
      [
        { file: 'shop/model.arch.yaml', text: model },
        { file: 'shop/fixed/model.arch.yaml', text: model },
        { file: 'shop/fixed/compose.yaml', text: compose.replace(/  web:\n.*\n/, '') },
        { file: 'elsewhere/compose.yaml', text: compose },
      ],
      options,
    );
    assert.deepEqual(results[2].findings.filter((f) => /^(BND106|BND107|TCB106|ZT106)$/.test(f.ruleId)).map((f) => f.message), []);
    assert.deepEqual(results[3].findings.filter((f) => /^(BND106|BND107|TCB106|ZT106)$/.test(f.ruleId)).map((f) => f.message), []);
  });
});

describe('the trust-boundary view of architecture models', () => {
  it('orders zones by trust and shows crossings, missing controls and secret holders in file offsets', () => {
    const text = `services:\n  x:\n    image: nginx:1.27.2\n---\n${SHOP}`;
    const { model, offset } = modelOf(text, 'shop.yaml');
    const view = trustBoundaryView([{ file: 'shop.yaml', offset, kubernetes: [], architecture: model }], options);
    assert.deepEqual(view.zones.map((z) => [z.label, z.trust]), [['edge', 'semi-trusted'], ['services', 'trusted']]);
    const orders = view.zones[1].components[0];
    assert.equal(text.slice(orders.place.range.start, orders.place.range.end), 'orders');
    assert.equal(orders.inbound.length, 1);
    const checkout = orders.inbound[0];
    assert.equal(checkout.crossesBoundary, true);
    assert.deepEqual(checkout.missingControls, []);
    assert.deepEqual(view.secrets.map((s) => [s.secret, s.holders.length, s.overBudget]), [['secret "db-password"', 1, false]]);
    assert.equal(text.slice(view.secrets[0].holders[0].place.range.start, view.secrets[0].holders[0].place.range.end), 'db-password');
  });

  it('lists components the model puts in no zone under a zone of their own', () => {
    const { model, offset } = modelOf('apiVersion: securebydesign/v1\nkind: Architecture\ncomponents:\n  orphan: {}\n');
    const view = trustBoundaryView([{ file: 'm.yaml', offset, kubernetes: [], architecture: model }], options);
    assert.deepEqual(view.zones.map((z) => [z.label, z.components.map((c) => c.label)]), [['no zone', ['orphan']]]);
  });
});

describe('architecture snippets', () => {
  const snippets = JSON.parse(fs.readFileSync(path.join(repoRoot, 'snippets', 'architecture.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
  /** A model that defines what the snippets' default values refer to. */
  const base = `apiVersion: securebydesign/v1
kind: Architecture
zones:
  services:
    trust: trusted
ZONES
components:
  orders:
    zone: services
  payments:
    zone: services
  analytics:
    zone: services
    maxData: internal
COMPONENTS
flows:
FLOWS
pipelines:
PIPELINES
`;
  const section: Record<string, string> = { 'sbd-zone': 'ZONES', 'sbd-component': 'COMPONENTS', 'sbd-flow': 'FLOWS', 'sbd-pipeline': 'PIPELINES' };

  it('offers a zone, a component, a flow and a pipeline', () => {
    assert.deepEqual(Object.values(snippets).map((s) => s.prefix).sort(), Object.keys(section).sort());
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    it(`"${name}" expanded with its defaults gives a model with no findings`, () => {
      const expanded = expandSnippet(snippet.body).split('\n').map((line) => `  ${line}`).join('\n');
      let text = base.replace(section[snippet.prefix], expanded);
      for (const marker of Object.values(section)) text = text.replace(`${marker}\n`, '');
      const findings = analyzeText(text, options);
      assert.deepEqual(findings.map((f) => `${f.ruleId}: ${f.message}`), [], text);
    });
  }
});

/** Expands VS Code snippet syntax with each placeholder's default (first choice for `${n|a,b|}`). */
function expandSnippet(body: readonly string[]): string {
  const values = new Map<string, string>();
  let text = body.join('\n');
  for (let pass = 0; pass < 4; pass++) {
    text = text
      .replace(/\$\{(\d+)\|([^,|}]*)[^}]*\|\}/g, (_, n: string, first: string) => (values.set(n, first), first))
      .replace(/\$\{(\d+):([^${}]*)\}/g, (_, n: string, value: string) => (values.set(n, value), value));
  }
  return text.replace(/\$\{?(\d+)\}?/g, (_, n: string) => values.get(n) ?? '');
}

describe('the architecture JSON Schema', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'architecture.schema.json'), 'utf8'));

  it('is a draft-07 schema that describes every section', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    for (const key of ['zones', 'components', 'flows', 'pipelines', 'deployment']) assert.ok(schema.properties[key]?.description, `${key} has no description`);
  });

  it('allows every key used by the example models and the fixtures (the reader and the schema agree)', () => {
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    const files = [...walk(path.join(repoRoot, 'examples', 'architecture')), ...walk(path.join(repoRoot, 'test', 'fixtures', 'architecture'))];
    const unknown: string[] = [];
    let models = 0;
    for (const file of files) {
      for (const document of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const value = document.toJS() as Record<string, unknown> | null;
        if (!value || value.kind !== 'Architecture') continue;
        models++;
        checkKeys(schema, value, path.relative(repoRoot, file), unknown);
      }
    }
    assert.ok(models > 20, `only ${models} models found`);
    assert.deepEqual(unknown, []);
  });
});

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

/** Checks keys against `properties` / `additionalProperties` (enough to catch a key the schema forgot). */
function checkKeys(schema: Record<string, any>, value: unknown, where: string, unknown: string[]): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const property = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (!property) {
      if (schema.additionalProperties === false) unknown.push(`${where}: ${key}`);
      continue;
    }
    checkKeys(property, child, `${where} ${key}`, unknown);
  }
}
