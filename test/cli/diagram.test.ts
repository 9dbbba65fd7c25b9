import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBundle, ROOT, sbd, tempDir } from './support';

const INSECURE = 'services:\n  api:\n    image: example/api:1.0.0\n    privileged: true\n    ports: ["8080:8080"]\n    networks: [front]\nnetworks:\n  front: {}\n';
const HARDENED = 'services:\n  api:\n    image: example/api:1.0.0@sha256:' + 'a'.repeat(64) + '\n    ports: ["127.0.0.1:8080:8080"]\n    networks: [front]\nnetworks:\n  front: {}\n';

describe('sbd diagram', function () {
  this.timeout(120_000);
  before(requireBundle);

  it('writes a self-contained SVG of the bundled examples: no script, no remote reference, every element from a line says which', () => {
    const dir = tempDir({});
    const out = path.join(dir, 'boundaries.svg');
    const result = sbd(['diagram', 'examples', '--output', out]);
    assert.equal(result.status, 0, result.stderr);
    const svg = fs.readFileSync(out, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /<script|<foreignObject|xlink:href|href="http|url\(http|@import/i);
    assert.match(svg, /data-file="examples\/compose\/insecure\.compose\.yaml"/);
    assert.match(svg, /Trust boundaries of the workspace/);
  });

  it('keeps same-named services of two compose files apart, each with its own findings, in Mermaid', () => {
    const dir = tempDir({ 'insecure.compose.yaml': INSECURE, 'hardened.compose.yaml': HARDENED });
    const result = sbd(['diagram', '.', '--format', 'mermaid'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^flowchart LR/);
    assert.match(result.stdout, /subgraph \w+\["hardened\.compose\.yaml \(compose\)"\]/);
    assert.match(result.stdout, /subgraph \w+\["insecure\.compose\.yaml \(compose\)"\]/);
    const apis = result.stdout.split('\n').filter((line) => /\["api · service/.test(line));
    assert.equal(apis.length, 2, result.stdout);
    // The privileged api is the trusted core's; the pinned, loopback-only one is not.
    assert.equal(apis.filter((line) => /worst: error/.test(line)).length, 1, apis.join('\n'));
  });

  it('writes Graphviz DOT, and refuses an unknown format or a missing path with status 2', () => {
    const dir = tempDir({ 'compose.yaml': INSECURE });
    const dot = sbd(['diagram', '--format', 'dot'], dir);
    assert.equal(dot.status, 0, dot.stderr);
    assert.match(dot.stdout, /^digraph /);
    const format = sbd(['diagram', '--format', 'png'], dir);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /png/);
    const missing = sbd(['diagram', 'nowhere.yaml'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nowhere\.yaml/);
  });
});
