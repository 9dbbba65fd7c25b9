import { strict as assert } from 'node:assert';
import { parseAllDocuments } from 'yaml';
import { sourceFilesFromMap } from '../../server/src/frontends/files';
import { KustomizeBuilder } from '../../server/src/frontends/kustomize';
import { realisticTree } from './realisticTree';

/** CPU milliseconds of `work`: the machine may be shared, and CPU time is what the build costs. */
function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

describe('Kustomize build speed on a realistic overlay', function () {
  this.timeout(120_000);

  it('builds, returns cached builds, and rebuilds after an edit to one patch at a fraction of a cold build', () => {
    const files = realisticTree();
    const source = sourceFilesFromMap(files);
    const inputLines = [...files.values()].reduce((sum, text) => sum + text.split('\n').length, 0);
    const overlay = '/repo/overlays/prod';

    const cold: number[] = [];
    let objects = 0;
    let outputLines = 0;
    for (let i = 0; i < 8; i++) {
      const builder = new KustomizeBuilder(source);
      let build = undefined as ReturnType<KustomizeBuilder['build']> | undefined;
      cold.push(cpuMs(() => (build = builder.build(overlay))));
      assert.equal(build!.ok, true, build!.problems.map((problem) => problem.message).join('; '));
      objects = build!.objects.length;
      outputLines = build!.source!.text.split('\n').length;
    }
    // The floor: the yaml package parsing every input file once.
    const floor = Array.from({ length: 8 }, () => cpuMs(() => [...files.values()].forEach((text) => parseAllDocuments(text))));

    const builder = new KustomizeBuilder(source);
    builder.build(overlay);
    const cached = Array.from({ length: 20 }, () => cpuMs(() => builder.build(overlay)));
    const patchFile = '/repo/overlays/prod/patches/svc-07.yaml';
    const patchText = files.get(patchFile)!;
    const edits: number[] = [];
    for (let i = 0; i < 40; i++) {
      files.set(patchFile, patchText.replace('memory: 512Mi', `memory: ${513 + i}Mi`));
      let text = '';
      edits.push(cpuMs(() => (text = builder.build(overlay).source!.text)));
      assert.ok(text.includes(`memory: ${513 + i}Mi`));
    }
    const baseFile = '/repo/base/svc-03.yaml';
    const baseText = files.get(baseFile)!;
    const baseEdits = Array.from({ length: 10 }, (_, i) => {
      files.set(baseFile, baseText.replace('cpu: 100m', `cpu: ${101 + i}m`));
      return cpuMs(() => builder.build(overlay));
    });

    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(
      `      ${files.size} files, ${inputLines} lines in → ${objects} objects, ${outputLines} lines out (CPU time)\n` +
        `      cold build median ${ms(percentile(cold, 0.5))} (the yaml package parsing the inputs: ${ms(percentile(floor, 0.5))}, ×${(percentile(cold, 0.5) / percentile(floor, 0.5)).toFixed(1)})\n` +
        `      unchanged: median ${ms(percentile(cached, 0.5))}; one patch edited: median ${ms(percentile(edits, 0.5))}, p95 ${ms(percentile(edits, 0.95))}; one base file edited: median ${ms(percentile(baseEdits, 0.5))}`,
    );
    assert.equal(objects, 24 * 5 + 24 * 2);
    assert.ok(percentile(cached, 0.5) < 10, `an unchanged build took ${percentile(cached, 0.5)} ms`);
    assert.ok(percentile(edits, 0.5) < 200, `a rebuild after a patch edit took a median of ${percentile(edits, 0.5)} ms`);
    assert.ok(percentile(edits, 0.5) < percentile(cold, 0.5) / 2, 'a rebuild after a patch edit costs less than half a cold build');
  });
});
