import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { inProcessLayoutEngine } from '../../server/src/views/diagram/elkEngine';
import type { DiagramGraph, DiagramSystem } from '../../server/src/views/diagram/graph';
import { cachingEngine, elkGraphOf, layoutDiagram, LAYOUT_LIMITS, type Box, type DiagramLayout, type LayoutEngine } from '../../server/src/views/diagram/layout';
import { renderSvg } from '../../server/src/views/diagram/svg';
import { renderDot, renderMermaid } from '../../server/src/views/diagram/text';
import { loadWorkspace, REPO_ROOT, textWorkspace, xmlProblems } from './support';

const SNAPSHOTS = path.join(__dirname, 'snapshots');

/** Compares with the stored snapshot; `SBD_UPDATE_SNAPSHOTS=1` rewrites it (review the diff before committing). */
function matchesSnapshot(name: string, actual: string): void {
  const file = path.join(SNAPSHOTS, name);
  if (process.env.SBD_UPDATE_SNAPSHOTS === '1' || !fs.existsSync(file)) {
    if (process.env.CI === 'true' && !fs.existsSync(file)) throw new Error(`snapshot ${name} is missing`);
    fs.mkdirSync(SNAPSHOTS, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  const expected = fs.readFileSync(file, 'utf8');
  if (actual !== expected) {
    const lines = actual.split('\n');
    const index = expected.split('\n').findIndex((line, i) => line !== lines[i]);
    assert.fail(`${name} differs from the snapshot at line ${index + 1}:\n  expected: ${expected.split('\n')[index]?.slice(0, 200)}\n  actual:   ${lines[index]?.slice(0, 200)}\n(run with SBD_UPDATE_SNAPSHOTS=1 to accept the new drawing)`);
  }
}

/** Attribute values of every element that carries `name`. */
function attributeValues(svg: string, name: string): string[] {
  return [...svg.matchAll(new RegExp(` ${name}="([^"]*)"`, 'g'))].map((match) => match[1]);
}

function zoneBox(layout: DiagramLayout, label: string): Box {
  for (const system of layout.systems) for (const { zone, box } of system.zones) if (zone.label === label) return box;
  throw new Error(`no zone ${label}`);
}

describe('the diagram drawing (layout with ELK, SVG, Mermaid, DOT)', function () {
  this.timeout(180_000);
  const engine = inProcessLayoutEngine();

  describe('the bundled examples', () => {
    let graph: DiagramGraph;
    let svg: string;
    before(async () => {
      graph = loadWorkspace(REPO_ROOT, ['examples']).graph();
      svg = renderSvg(await layoutDiagram(graph, engine));
    });

    it('match the SVG snapshot byte for byte (same graph, same bytes)', () => {
      matchesSnapshot('examples.svg', svg);
    });

    it('match the Mermaid and DOT snapshots', () => {
      matchesSnapshot('examples.mmd', renderMermaid(graph));
      matchesSnapshot('examples.dot', renderDot(graph));
    });

    it('are one self-contained, well-formed SVG: no script, style sheet, font, image or link, with a title and description', () => {
      assert.deepEqual(xmlProblems(svg), []);
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+" role="img" aria-labelledby="sbd-diagram-title sbd-diagram-desc"/);
      assert.match(svg, /<title id="sbd-diagram-title">Trust boundaries of the workspace<\/title>/);
      assert.match(svg, /<desc id="sbd-diagram-desc">11 systems, 38 trust zones, 79 components, 67 arrows, 53 findings\./);
      // Presentation attributes only: a style attribute or element would be blocked by a strict Content-Security-Policy.
      assert.doesNotMatch(svg, /<script|<style|\sstyle=|<image|<foreignObject|href=|@import|@font-face|https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
      assert.deepEqual([...new Set([...svg.matchAll(/url\(([^)]*)\)/g)].map((match) => match[1]))].sort(), ['#sbd-arrow-crossing', '#sbd-arrow-error', '#sbd-arrow-info', '#sbd-arrow-neutral', '#sbd-arrow-warning']);
    });

    it('carry the source location of every zone, component and arrow that has one, for click-to-reveal', () => {
      const located = [...svg.matchAll(/<g data-kind="(zone|node|edge)"[^>]*>/g)].map((match) => match[0]);
      assert.ok(located.length > 100);
      for (const element of located.filter((tag) => tag.includes('data-file='))) {
        assert.match(element, / data-file="[^"]+" data-line="\d+" data-character="\d+" data-end-line="\d+" data-end-character="\d+" tabindex="0" role="button" aria-label="[^"]+"/);
      }
      const api = located.find((tag) => tag.includes('aria-label="api, service · example/shop-api:latest, 6 findings"'));
      assert.ok(api, 'the insecure api is drawn with its findings');
      assert.match(api!, /data-file="examples\/compose\/insecure\.compose\.yaml" data-line="6" data-character="2" data-end-line="6" data-end-character="5"/);
      assert.ok(attributeValues(svg, 'data-file').every((file) => file.startsWith('examples/')), 'files as the host names them, relative here');
    });

    it('list a component\'s findings in its tooltip, most severe first, and colour an exposure by its finding', () => {
      const agent = svg.split('<g data-kind="node"').find((part) => part.includes('aria-label="agent,'))!;
      const title = /<title>([^<]*)<\/title>/.exec(agent)![1];
      assert.match(title, /^agent: service · example\/host-agent:2\.1\.0\nin host\nline 40 of insecure\.compose\.yaml\ntrusted computing base: host access \(network_mode: host\); host access \(pid: host\); host access \(privileged: true\); mounts the docker socket\n7 findings:\n• error TCB001 \(line 42\): /);
      assert.ok(title.indexOf('• error') < title.indexOf('• warning') && title.indexOf('• warning') < title.indexOf('• info'));
      const exposure = svg.split('<g data-kind="edge"').find((part) => part.includes('publishes 5432'))!;
      assert.match(exposure, /stroke="#c62828" stroke-width="2" marker-end="url\(#sbd-arrow-error\)"/);
    });
  });

  describe('trust order and robustness', () => {
    const MODEL = [
      'apiVersion: securebydesign/v1',
      'kind: Architecture',
      'zones:',
      '  misc: {}',
      '  vault: {trust: highly-trusted}',
      '  internet: {trust: untrusted}',
      'components:',
      '  tool: {zone: misc}',
      '  store: {type: datastore, zone: vault}',
      '  web: {type: external-system, zone: internet}',
      'flows:',
      '  write: {from: web, to: store, authentication: mtls}',
      '  push: {from: store, to: web, authentication: mtls}',
      '  poke: {from: tool, to: web, authentication: none}',
      '',
    ].join('\n');

    it('puts the least trusted zone leftmost and zones without a level last, whatever the arrows say; backward arrows still end at their target', async () => {
      const graph = textWorkspace({ 'm/model.arch.yaml': MODEL }).graph();
      const layout = await layoutDiagram(graph, engine);
      const [internet, vault, misc] = ['internet', 'vault', 'misc'].map((label) => zoneBox(layout, label));
      assert.ok(internet.x + internet.width < vault.x && vault.x + vault.width < misc.x, `internet ${internet.x}, vault ${vault.x}, misc ${misc.x}`);
      const placed = layout.systems[0];
      const web = placed.nodes.find(({ node }) => node.label === 'web')!.box;
      for (const label of ['push', 'poke']) {
        const { points } = placed.edges.find(({ edge }) => edge.label.startsWith(`${label}:`))!;
        const end = points[points.length - 1];
        assert.ok(Math.abs(end.x - (web.x + web.width)) < 1 && end.y >= web.y && end.y <= web.y + web.height, `${label} ends on web's right side (${JSON.stringify(end)} vs ${JSON.stringify(web)})`);
      }
    });

    it('widens a node for a long name (not for a long image reference) and shortens only past the widest node', async () => {
      const digest = `@sha256:${'a'.repeat(64)}`;
      const graph = textWorkspace({ 'x/compose.yaml': `services:\n  recommendation-service-frontend:\n    image: example/a:1${digest}\n  ${'n'.repeat(60)}:\n    image: example/b:1\n  api:\n    image: example/c:1${digest}\n` }).graph();
      const layout = await layoutDiagram(graph, engine);
      const width = (label: string) => layout.systems[0].nodes.find(({ node }) => node.label === label)!.box.width;
      assert.ok(width('recommendation-service-frontend') > 188 && width('recommendation-service-frontend') <= 330);
      assert.equal(width('n'.repeat(60)), 330);
      assert.ok(width('api') <= 240, `an image digest widens a node at most to 240 (got ${width('api')})`);
      const svg = renderSvg(layout);
      assert.match(svg, /font-weight="bold">recommendation-service-frontend<\/text>/);
      assert.match(svg, /font-weight="bold">n+…<\/text>/);
    });

    it('escapes names from the file in text and attributes', async () => {
      const graph = textWorkspace({ 'x/compose.yaml': 'services:\n  "<script>&\\"x":\n    image: a:1\n    ports: ["8080:80"]\n' }).graph();
      const svg = renderSvg(await layoutDiagram(graph, engine));
      assert.deepEqual(xmlProblems(svg), []);
      assert.doesNotMatch(svg, /<script/);
      assert.match(svg, /font-weight="bold">&lt;script&gt;&amp;"x<\/text>/);
      assert.match(svg, /aria-label="&lt;script&gt;&amp;&quot;x, service · a:1, 2 findings"/);
      assert.match(svg, /<title>&lt;script&gt;&amp;"x: service · a:1\n/);
      assert.match(renderMermaid(graph), /\["#lt;script#gt;&#quot;x · service · 2 findings \(worst: info\)"\]/);
      assert.match(renderDot(graph), /label="<script>&\\"x · service · 2 findings \(worst: info\)"/);
    });

    it('draws a system too large to lay out as a box that says so, without running the layout', async () => {
      let calls = 0;
      const counting: LayoutEngine = { layout: (graph) => (calls++, engine.layout(graph)) };
      const nodes = Array.from({ length: LAYOUT_LIMITS.nodes + 1 }, (_, i) => ({ id: `n${i}`, label: `n${i}`, kind: 'service' as const, zone: 'z', alsoIn: [], secrets: [], findings: [] }));
      const huge: DiagramSystem = { id: 'big', label: 'big.yaml', kind: 'compose', zones: [{ id: 'z', label: 'default', kind: 'compose-network', findings: [] }], nodes, edges: [], otherFindings: [] };
      const layout = await layoutDiagram({ title: 't', systems: [huge] }, counting);
      assert.equal(calls, 0);
      assert.match(layout.systems[0].omitted!, /^301 components and 0 arrows are more than one picture can show/);
      assert.match(renderSvg(layout), /301 components and 0 arrows are more than one picture can show/);
    });

    it('a layout that fails costs only its own system: the others are drawn', async () => {
      const graph = textWorkspace({ 'a/compose.yaml': 'services:\n  one:\n    image: a:1\n', 'b/compose.yaml': 'services:\n  two:\n    image: b:1\n' }).graph();
      const failing: LayoutEngine = { layout: (elk) => (elk.id.includes('a/compose.yaml') ? Promise.reject(new Error('boom')) : engine.layout(elk)) };
      const layout = await layoutDiagram(graph, failing);
      assert.deepEqual(layout.systems.map((system) => system.omitted ?? 'drawn'), ['the layout failed: boom', 'drawn']);
      assert.deepEqual(xmlProblems(renderSvg(layout)), []);
    });

    it('the caching engine lays out a structure once; findings do not change the layout input', async () => {
      let calls = 0;
      const counting: LayoutEngine = { layout: (elk) => (calls++, engine.layout(elk)) };
      const cached = cachingEngine(counting);
      const before = textWorkspace({ 'c/compose.yaml': 'services:\n  web:\n    image: a:1\n' }).graph();
      const after = textWorkspace({ 'c/compose.yaml': 'services:\n  web:\n    image: a:1\n    privileged: true\n' }).graph();
      assert.notDeepEqual(before.systems[0].nodes[0].findings, after.systems[0].nodes[0].findings);
      assert.deepEqual(elkGraphOf(before.systems[0]), elkGraphOf(after.systems[0]));
      const first = renderSvg(await layoutDiagram(before, cached));
      const second = renderSvg(await layoutDiagram(after, cached));
      assert.equal(calls, 1);
      assert.notEqual(first, second, 'the new finding is drawn on the cached layout');
      const failing = cachingEngine({ layout: () => (calls++, Promise.reject(new Error('once'))) });
      const graph: ElkNode = { id: 'x', children: [] };
      await assert.rejects(failing.layout(graph), /once/);
      await assert.rejects(failing.layout(graph), /once/);
      assert.equal(calls, 3, 'a failure is not cached');
    });

    it('an empty workspace is a small drawing that says there is nothing to draw', async () => {
      const svg = renderSvg(await layoutDiagram({ title: 'Trust boundaries of the workspace', systems: [] }, engine));
      assert.match(svg, /No trust zones: no compose file, Kubernetes manifest or architecture model to draw\./);
      assert.deepEqual(xmlProblems(svg), []);
    });

    it('DOT keeps trust order with dir=back for arrows that point to a less trusted zone', () => {
      const dot = renderDot(textWorkspace({ 'm/model.arch.yaml': MODEL }).graph());
      assert.match(dot, /s0n\d -> s0n\d \[label="push: store → web \(auth mtls\)[^"]*"[^\]]*dir=back\]/);
      assert.match(dot, /s0n\d -> s0n\d \[label="write: web → store[^\]]*penwidth=2\]/, 'a forward arrow has no dir=back');
      assert.equal(dot.split('{').length, dot.split('}').length, 'braces balance');
    });
  });
});
