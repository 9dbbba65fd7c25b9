import { strict as assert } from 'node:assert';
import { countDiagram } from '../../server/src/views/diagram/graph';
import { arrows, findingsShown, loadWorkspace, node, REPO_ROOT, requireCorpus, system, textWorkspace, zoneLabel, CORPUS, type LoadedWorkspace } from './support';

describe('the diagram graph (zones, components, arrows, marks)', function () {
  this.timeout(60_000);

  describe('on the bundled examples', () => {
    let examples: LoadedWorkspace;
    before(() => {
      examples = loadWorkspace(REPO_ROOT, ['examples']);
    });

    it('draws one system per compose file, manifest and model, and every finding of the workspace exactly once', () => {
      const graph = examples.graph();
      assert.deepEqual(graph.systems.map((s) => `${s.label} (${s.kind})`), [
        'architecture/compose.yaml (compose)',
        'architecture/fixed/compose.yaml (compose)',
        'architecture/fixed/kubernetes/shop.yaml (kubernetes)',
        'architecture/fixed/shop.arch.yaml (architecture)',
        'architecture/kubernetes/shop.yaml (kubernetes)',
        'architecture/shop.arch.yaml (architecture)',
        'compose/hardened.compose.yaml (compose)',
        'compose/insecure.compose.yaml (compose)',
        'kubernetes/hardened.yaml (kubernetes)',
        'kubernetes/insecure.yaml (kubernetes)',
        'kubernetes/mesh-hardened.yaml (kubernetes)',
      ]);
      const total = examples.files.reduce((sum, file) => sum + examples.workspace.findings(file).length, 0);
      assert.equal(countDiagram(graph).findings, total);
      for (const each of graph.systems) {
        // Labels are relative to the folder all drawn files share (examples/).
        const own = examples.files.filter((file) => file === `examples/${each.label}`).reduce((sum, file) => sum + examples.workspace.findings(file).length, 0);
        assert.equal(findingsShown(each), own, `${each.label} shows the findings of its file`);
      }
    });

    it('keeps same-named services of two compose files apart: the insecure api keeps its own findings', () => {
      const graph = examples.graph();
      const insecure = node(system(graph, 'compose/insecure.compose.yaml'), 'api');
      const hardened = node(system(graph, 'compose/hardened.compose.yaml'), 'api');
      assert.notEqual(insecure.id, hardened.id);
      assert.equal(insecure.findings.length, 6);
      assert.ok(insecure.findings.some((finding) => finding.ruleId === 'TCB009' && finding.severity === 'warning'));
      assert.deepEqual(hardened.findings, []);
      assert.deepEqual(insecure.source, { file: 'examples/compose/insecure.compose.yaml', range: { start: { line: 6, character: 2 }, end: { line: 6, character: 5 } } });
    });

    it('compose: networks as zones after "outside", published ports as arrows from outside carrying their port findings, declared and possible reach', () => {
      const insecure = system(examples.graph(), 'compose/insecure.compose.yaml');
      assert.deepEqual(insecure.zones.map((zone) => [zone.label, zone.trust ?? 'none']), [['outside', 'untrusted'], ['default', 'none'], ['host', 'none']]);
      assert.deepEqual(insecure.nodes.map((n) => `${n.label}:${n.kind}@${zoneLabel(insecure, n.zone)}`), [
        'any host network:external@outside',
        'api:service@default',
        'cache:datastore@default',
        'db:datastore@default',
        'worker:service@default',
        'agent:service@host',
      ]);
      assert.deepEqual(arrows(insecure), [
        'any host network → api (exposure): BND001',
        'any host network → cache (exposure): BND002',
        'any host network → db (exposure): BND002',
        'api → cache (flow)',
        'api → db (flow)',
        'cache → db (reachability)',
        'db → cache (reachability)',
        'worker → cache (reachability)',
        'worker → db (reachability)',
      ]);
      const exposure = insecure.edges.find((edge) => edge.kind === 'exposure' && edge.label.includes('5432'))!;
      assert.equal(exposure.findings[0].severity, 'error');
      assert.equal(exposure.crossesBoundary, true);
    });

    it('marks the TCB (host access, runtime socket) and the secret holders with how many hold each secret', () => {
      const insecure = system(examples.graph(), 'compose/insecure.compose.yaml');
      assert.deepEqual(node(insecure, 'agent').tcb?.reasons, ['host access (network_mode: host)', 'host access (pid: host)', 'host access (privileged: true)', 'mounts the docker socket']);
      assert.equal(node(insecure, 'api').tcb, undefined);
      assert.deepEqual(node(insecure, 'api').secrets, [
        { name: '${DB_PASSWORD}', holders: 2, overBudget: false },
        { name: 'the value of JWT_SECRET', holders: 1, overBudget: false },
      ]);
      const manifest = system(examples.graph(), 'kubernetes/insecure.yaml');
      assert.deepEqual(node(manifest, 'StatefulSet db').tcb?.reasons, ['host access (container "postgres" is privileged)', 'host access (hostNetwork: true)']);
    });

    it('Kubernetes: two files defining the same objects are two systems; Ingress → Service → Deployment, exposure from outside the cluster, RBAC findings on the system', () => {
      const graph = examples.graph();
      const hardened = system(graph, 'kubernetes/hardened.yaml');
      assert.deepEqual(hardened.zones.map((zone) => zone.label), ['outside', 'shop']);
      assert.deepEqual(arrows(hardened), ['Ingress api → Service api (flow)', 'Service api → Deployment api (flow)', 'outside the cluster → Ingress api (exposure)']);
      const insecure = system(graph, 'kubernetes/insecure.yaml');
      assert.deepEqual(arrows(insecure), ['Service db → StatefulSet db (flow)', 'outside the cluster → Ingress api (exposure)', 'outside the cluster → Service db (exposure): BND002,BND009']);
      assert.deepEqual(node(insecure, 'Ingress api').findings.map((f) => f.ruleId), ['BND005']);
      assert.deepEqual(insecure.otherFindings.map((f) => f.ruleId).sort(), ['FF007', 'ZT007', 'ZT008', 'ZT009', 'ZT013']);
    });

    it('architecture model: zones in trust order, typed components, the trusted core, crossings', () => {
      const model = system(examples.graph(), 'architecture/shop.arch.yaml');
      assert.deepEqual(model.zones.map((zone) => `${zone.label}:${zone.trust}`), ['internet:untrusted', 'edge:semi-trusted', 'identity:trusted', 'services:trusted', 'core:highly-trusted', 'data:highly-trusted']);
      const kinds = Object.fromEntries(model.nodes.map((n) => [n.label, n.kind]));
      assert.deepEqual([kinds.customer, kinds.gateway, kinds['orders-db'], kinds['order-events'], kinds.vault, kinds.orders], ['external', 'gateway', 'datastore', 'queue', 'vault', 'component']);
      assert.deepEqual(model.nodes.filter((n) => n.tcb).map((n) => n.label).sort(), ['audit-log', 'auth', 'vault']);
      assert.deepEqual(node(model, 'vault').secrets.map((s) => s.name), ['secret "orders-db-password"', 'secret "payments-api-key"']);
      assert.equal(model.edges.length, 13);
      const crossing = (label: string) => model.edges.find((edge) => edge.label.startsWith(`${label}:`))!.crossesBoundary;
      assert.deepEqual([crossing('browse'), crossing('store-order'), crossing('publish-order')], [true, true, false]);
      assert.equal(findingsShown(model), 0);
    });

    it('scoped to a file: only the systems that file belongs to, with the same labels', () => {
      const graph = examples.graph({ file: 'examples/compose/insecure.compose.yaml' });
      assert.deepEqual(graph.systems.map((s) => s.label), ['compose/insecure.compose.yaml']);
      assert.equal(graph.title, 'Trust boundaries of compose/insecure.compose.yaml');
    });
  });

  describe('on small models', () => {
    const MODEL = [
      'apiVersion: securebydesign/v1',
      'kind: Architecture',
      'zones:',
      '  internet: {trust: untrusted}',
      '  services: {trust: trusted}',
      '  vaults: {trust: highly-trusted, parent: services}',
      'components:',
      '  browser: {type: external-system, zone: internet}',
      '  api: {zone: services}',
      '  secrets: {type: vault, zone: vaults}',
      '  stray: {}',
      'flows:',
      '  call:',
      '    from: browser',
      '    to: api',
      '    authentication: none',
      '  fetch:',
      '    from: api',
      '    to: secrets',
      '    authentication: mtls',
      '    authorization: resource-level',
      '    controls: [authenticate, authorize, validate, log]',
      '',
    ].join('\n');

    it('a crossing without controls carries its missing controls and its findings; nested zones and "no zone" come last', () => {
      const graph = textWorkspace({ 'model/shop.arch.yaml': MODEL }).graph();
      const [model] = graph.systems;
      assert.deepEqual(model.zones.map((zone) => `${zone.label}${zone.parent ? ` in ${zoneLabel(model, zone.parent)}` : ''}:${zone.trust ?? 'none'}:${zone.kind}`), [
        'internet:untrusted:architecture-zone',
        'services:trusted:architecture-zone',
        'vaults in services:highly-trusted:architecture-zone',
        'no zone:none:no-zone',
      ]);
      const call = model.edges.find((edge) => edge.label.startsWith('call:'))!;
      assert.equal(call.crossesBoundary, true);
      assert.deepEqual(call.missingControls, ['authenticate', 'authorize', 'validate', 'log']);
      assert.ok(call.findings.some((finding) => finding.ruleId === 'BND101' && finding.severity === 'error'), `BND101 sits on the arrow (has ${call.findings.map((f) => f.ruleId)})`);
      assert.ok(call.findings.some((finding) => finding.ruleId === 'ZT101'));
      assert.deepEqual(call.source?.range.start, { line: 12, character: 2 });
      const fetch = model.edges.find((edge) => edge.label.startsWith('fetch:'))!;
      assert.deepEqual([fetch.crossesBoundary, fetch.missingControls, fetch.findings.length], [true, [], 0]);
      assert.ok(node(model, 'stray').findings.some((finding) => finding.ruleId === 'BND104'), 'the zone-less component carries BND104');
      assert.deepEqual(node(model, 'secrets').tcb?.reasons, ['its type (vault) belongs to the trusted core']);
    });

    it('compose.override.yaml is drawn with the compose.yaml it overrides (Compose merges them by default)', () => {
      const graph = textWorkspace({
        'app/compose.yaml': 'services:\n  web:\n    image: example/web:1.0.0\n',
        'app/compose.override.yaml': 'services:\n  web:\n    ports: ["8080:80"]\n',
        'other/compose.override.yaml': 'services:\n  lone:\n    image: example/lone:1.0.0\n',
      }).graph();
      assert.deepEqual(graph.systems.map((s) => s.label), ['app/compose.yaml + app/compose.override.yaml', 'other/compose.override.yaml']);
    });

    it('a hostile name is kept as text (the renderers escape it), and nothing breaks on a half-typed file', () => {
      const graph = textWorkspace({ 'x/compose.yaml': 'services:\n  "<script>&\\"x":\n    image: a\n  half:\n    image:\n' }).graph();
      assert.deepEqual(graph.systems[0].nodes.map((n) => n.label).sort(), ['<script>&"x', 'half']);
    });
  });

  describe('on real stacks from the corpus', () => {
    let corpus: LoadedWorkspace;
    before(function () {
      requireCorpus(this);
      corpus = loadWorkspace(CORPUS, ['compose/awesome-compose__react-express-mysql.yaml', 'k8s/big__microservices-demo__kubernetes-manifests.yaml', 'threagile/threagile__demo-example.yaml']);
    });

    it('compose (awesome-compose react-express-mysql): public and private networks, the backend on both, its published debug ports', () => {
      const stack = system(corpus.graph(), 'compose/awesome-compose__react-express-mysql.yaml');
      assert.deepEqual(stack.zones.map((zone) => zone.label), ['outside', 'private', 'public']);
      const backend = node(stack, 'backend');
      assert.deepEqual([zoneLabel(stack, backend.zone), backend.alsoIn.map((zone) => zoneLabel(stack, zone))], ['public', ['private']]);
      assert.deepEqual(arrows(stack), ['any host network → backend (exposure): BND001,BND001', 'any host network → frontend (exposure): BND001', 'backend → db (flow)', 'frontend → backend (flow)']);
      assert.deepEqual(node(stack, 'db').secrets, [{ name: 'secret "db-password"', holders: 2, overBudget: false }]);
      assert.equal(findingsShown(stack), corpus.workspace.findings('compose/awesome-compose__react-express-mysql.yaml').length);
    });

    it('Kubernetes (microservices-demo): every Service routes to its Deployment, the LoadBalancer is reached from outside the cluster', () => {
      const stack = system(corpus.graph(), 'k8s/big__microservices-demo__kubernetes-manifests.yaml');
      assert.deepEqual(stack.zones.map((zone) => zone.label), ['outside', 'default']);
      assert.equal(stack.nodes.filter((n) => n.kind === 'workload' || n.kind === 'datastore').length, 12);
      const routes = arrows(stack).filter((line) => line.endsWith('(flow)'));
      assert.equal(routes.length, 12);
      assert.ok(routes.includes('Service frontend-external → Deployment frontend (flow)'));
      assert.deepEqual(arrows(stack).filter((line) => line.includes('exposure')), ['outside the cluster → Service frontend-external (exposure): BND005']);
      assert.equal(node(stack, 'Deployment redis-cart').kind, 'datastore');
      assert.equal(findingsShown(stack), corpus.workspace.findings('k8s/big__microservices-demo__kubernetes-manifests.yaml').length);
    });

    it('Threagile (demo example): nested trust boundaries, derived trust levels, links with their findings', () => {
      const model = system(corpus.graph(), 'threagile/threagile__demo-example.yaml');
      assert.equal(model.kind, 'threagile');
      const nested = model.zones.filter((zone) => zone.parent).map((zone) => `${zone.label} in ${zoneLabel(model, zone.parent!)}`);
      assert.deepEqual(nested, ['Auth Handling Environment in Application Network', 'ERP DMZ in Application Network', 'Web DMZ in Application Network']);
      assert.equal(model.zones[0].label, 'outside (internet)');
      assert.match(model.zones[0].detail ?? '', /trust derived: outside every trust boundary/);
      const cms = model.edges.find((edge) => edge.label.startsWith('CMS Content Traffic:'))!;
      assert.deepEqual([cms.crossesBoundary, cms.missingControls], [true, ['authenticate', 'authorize']]);
      const nfs = model.edges.find((edge) => edge.label.startsWith('NFS Filesystem Access:'))!;
      assert.deepEqual(nfs.findings.map((f) => f.ruleId).sort(), ['ZT101', 'ZT103', 'ZT109']);
      assert.deepEqual(model.nodes.filter((n) => n.tcb).map((n) => n.label).sort(), ['Identity Provider', 'LDAP Auth Server']);
      assert.equal(findingsShown(model), corpus.workspace.findings('threagile/threagile__demo-example.yaml').length);
    });
  });
});
