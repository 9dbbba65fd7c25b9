import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { ALL_RULES, KNOWN_RULE_IDS } from '../rules';
import { PATTERNS } from '../rules/patterns';
import { ruleSeverities, severityLabel } from '../rules/rule';
import { kindLabel } from '../rules/docs';
import { PROFILES, PROFILE_IDS, profileControls, standardOf } from '../rules/standards';
import type { Severity } from '../core/types';
import { BASELINE_FILE_NAME, parseBaseline, serializeBaseline, type Baseline } from '../analysis/baseline';
import { applyEdits, safeFixEdits } from '../core/fixes';
import { formatJson, formatSarif, formatText, shownFindings } from './formatters';
import { baselineEntries, buildReport } from './report';
import { analyzeInputs, CliError, errorCode, loadProject, readInputs, withValuesFiles, type CliIo, type Io } from './project';
import { changedFiles, GitError } from './git';
import { readRegularFile } from '../host/disk';
import { colors, escapeForTerminal, useColor } from './terminal';
import { diagram, type DiagramFlags } from './diagram';
import { exportThreagile, type ExportFlags } from './export';
import { DIAGRAM_FORMATS } from '../views/diagram/graph';
import packageJson from '../../../package.json';

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;
const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

const DESCRIPTION = 'Checks Docker Compose files, Kubernetes manifests and architecture models against five secure-by-design patterns: Zero-Trust, Immutable Infrastructure, Security Boundaries, TCB Minimization and Fail-Fast Security.';

const EXIT_HELP = `
Exit status: 0 nothing at or above --fail-on and the score at or above --min-score;
1 findings (or a score below --min-score); 2 usage, configuration or I/O error.`;

interface ScanFlags {
  format: 'text' | 'json' | 'sarif';
  failOn: Severity | 'never';
  config?: string;
  output?: string;
  baseline?: string;
  profile?: string;
  minScore?: number;
  changed?: boolean;
  since?: string;
  color: boolean;
  values?: string[];
}

/**
 * Runs the `sbd` command line and returns its exit status. Usage errors are one line on stderr
 * (`sbd: …`) with status 2; status 1 means findings (or a score below `--min-score`) and nothing else.
 */
export function run(argv: readonly string[], given: Io): number {
  const status = execute(argv, given);
  if (typeof status !== 'number') throw new Error(`sbd ${argv[0]} finishes later: call runAsync`);
  return status;
}

/** `run` for every command, including those that finish later (`sbd diagram --format svg` lays out with ELK). */
export async function runAsync(argv: readonly string[], given: Io): Promise<number> {
  const status = execute(argv, given);
  return typeof status === 'number' ? status : status.catch((error: unknown) => failed(error, ioOf(given)));
}

function ioOf(given: Io): CliIo {
  return { ...given, env: given.env ?? process.env, cwd: given.cwd ?? process.cwd() };
}

function execute(argv: readonly string[], given: Io): number | Promise<number> {
  const io = ioOf(given);
  let status: number | Promise<number> = EXIT_CLEAN;
  const program = buildProgram(io, (code) => (status = code));
  if (argv.length === 0) {
    io.err(program.helpInformation());
    return EXIT_USAGE;
  }
  try {
    program.parse([...argv], { from: 'user' });
    return status;
  } catch (error) {
    return failed(error, io);
  }
}

/** Usage, configuration and I/O errors: one line each on stderr, status 2; anything else is a bug of ours, also status 2. */
function failed(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CLEAN : EXIT_USAGE;
  if (error instanceof CliError) {
    for (const line of error.lines) io.err(`sbd: ${escapeForTerminal(line)}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof GitError) {
    io.err(`sbd: ${escapeForTerminal(error.message)}\n`);
    return EXIT_USAGE;
  }
  // A failure of our own must never read as "findings" (1), nor as a clean run: one line, status 2.
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.err(`sbd: internal error (${escapeForTerminal(reason.split('\n')[0])}); please report it with the input that caused it\n`);
  return EXIT_USAGE;
}

function buildProgram(io: CliIo, exit: (code: number | Promise<number>) => void): Command {
  const program = new Command('sbd')
    .description(DESCRIPTION)
    .version(packageJson.version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .addHelpText('after', EXIT_HELP)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      // Commander's errors become one line: `sbd: unknown option '--formt' (Did you mean --format?)`.
      outputError: (text, write) => write(`sbd: ${text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()} (run \`sbd --help\` for usage)\n`),
    });
  const common = (command: Command) =>
    command
      .option('--config <file>', 'configuration file (default: .sbd.yaml in the working folder)')
      .addOption(new Option('--profile <id>', 'check only the rules a standard maps (see `sbd profiles`)').choices(PROFILE_IDS));

  common(
    program
      .command('scan')
      .description('scan YAML files and folders (default: the working folder) and report findings')
      .argument('[paths...]', 'files and folders; folders are searched for *.yaml and *.yml')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
      .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit status 1').choices(['error', 'warning', 'info', 'never']).default('warning'))
      .option('--output <file>', 'write the report to a file instead of stdout')
      .option('--baseline <file>', `report only findings not recorded in this baseline (write one with \`sbd baseline\`)`)
      .option('--min-score <n>', 'exit 1 when the overall score (0-100) is below n', parseScore)
      .option('--changed', 'report only files changed in git (against HEAD, with untracked files)')
      .option('--since <ref>', 'with --changed: files changed since the merge base with <ref>, as a pull request shows them')
      .option('--no-color', 'no colour even on a terminal (NO_COLOR=1 does the same)')
      .option('--values <file>', 'Helm values file merged over each chart\'s values.yaml, like helm -f (repeat for more)', collect),
  )
    .addHelpText('after', EXIT_HELP)
    .action((paths: string[], flags: ScanFlags) => exit(scan(paths, flags, io)));

  common(
    program
      .command('baseline')
      .description(`record today's findings so that \`sbd scan --baseline\` reports only new ones`)
      .argument('[paths...]', 'files and folders (default: the working folder)')
      .option('--output <file>', 'baseline file to write', BASELINE_FILE_NAME)
      .option('--update', 'only drop recorded findings that are gone; add none'),
  ).action((paths: string[], flags: { output: string; update?: boolean; config?: string; profile?: string }) => exit(baseline(paths, flags, io)));

  common(
    program
      .command('fix')
      .description('apply the safe quick fixes (the editor\'s "fix all safe") and print the change as a unified diff')
      .argument('[paths...]', 'files and folders (default: the working folder)')
      .option('--rule <id>', 'only this rule (repeat for more)', (id: string, list: string[] = []) => [...list, ...id.split(',').map((part) => part.trim().toUpperCase()).filter(Boolean)])
      .option('--dry-run', 'print the diff, change no file'),
  ).action((paths: string[], flags: { rule?: string[]; dryRun?: boolean; config?: string; profile?: string }) => exit(fix(paths, flags, io)));

  program
    .command('rules')
    .description('list the rules')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((flags: { format: string }) => exit(rules(flags.format, io)));

  common(
    program
      .command('diagram')
      .description('draw the trust boundaries (zones by trust, components, flows, crossings with their findings) as SVG, Mermaid or Graphviz DOT')
      .argument('[paths...]', 'files and folders (default: the working folder)')
      .addOption(new Option('--format <format>', 'svg (self-contained, for a browser), mermaid or dot').choices(DIAGRAM_FORMATS).default('svg'))
      .option('--output <file>', 'write the drawing to a file instead of stdout'),
  ).action((paths: string[], flags: DiagramFlags) => {
    // Not returned: commander would chain a promise of its own on it, which no one catches.
    exit(diagram(paths, flags, io));
  });

  const exporter = program.command('export').description('write what the deployment files show in another tool\'s format');
  exporter
    .command('threagile')
    .description('a Threagile model skeleton (technical assets, trust boundaries, communication links, secrets as data assets) derived from compose files and manifests')
    .argument('[paths...]', 'files and folders (default: the working folder)')
    .option('--output <file>', 'write the model to a file instead of stdout')
    .option('--config <file>', 'configuration file (default: .sbd.yaml in the working folder)')
    .action((paths: string[], flags: ExportFlags) => exit(exportThreagile(paths, flags, io)));

  program
    .command('profiles')
    .description('list the profiles (standards mapped to rules) for --profile and `profile:` in .sbd.yaml')
    .action(() => exit(profiles(io)));
  return program;
}

function collect(value: string, list: string[] = []): string[] {
  return [...list, value];
}

function parseScore(value: string): number {
  const score = Number(value);
  if (!/^\d+$/.test(value.trim()) || score > 100) throw new InvalidArgumentError('It must be a whole number from 0 to 100.');
  return score;
}

function scan(paths: string[], flags: ScanFlags, io: CliIo): number {
  const project = withValuesFiles(loadProject(io, flags.config, flags.profile), flags.values, io);
  const baseline = flags.baseline ? readBaseline(flags.baseline, io) : undefined;
  const { inputs, errors } = readInputs(paths, project, io);
  for (const error of errors) io.err(`sbd: ${escapeForTerminal(error)}\n`);
  if (inputs.length === 0 && errors.length > 0) return EXIT_USAGE;
  const changedOnly = flags.changed || flags.since !== undefined ? new Set(changedFiles(io.cwd, flags.since).map((file) => path.resolve(io.cwd, file))) : undefined;
  let results = analyzeInputs(inputs, project, io);
  // Every file is analysed (cross-file rules need them all); only the changed ones are reported.
  if (changedOnly) results = results.filter((result) => changedOnly.has(path.resolve(io.cwd, result.analysis.file)));
  const report = buildReport(results, {
    toolVersion: packageJson.version,
    cwd: io.cwd,
    profile: project.profile,
    baseline: baseline && flags.baseline ? { file: flags.baseline, baseline } : undefined,
    configurationOff: project.configurationOff,
    unreadable: errors,
  });
  const toFile = flags.output !== undefined;
  const output = flags.format === 'json' ? formatJson(report) : flags.format === 'sarif' ? formatSarif(report, io.cwd) : formatText(report, { color: !toFile && flags.color && useColor(io.outIsTTY, io.env) });
  if (toFile) {
    try {
      fs.writeFileSync(path.resolve(io.cwd, flags.output!), output);
    } catch (error) {
      throw new CliError([`${flags.output}: cannot write the report (${errorCode(error)})`]);
    }
  } else io.out(output);
  if (errors.length > 0) return EXIT_USAGE;
  const belowScore = flags.minScore !== undefined && report.score.overall < flags.minScore;
  if (belowScore) io.err(`sbd: score ${report.score.overall} is below --min-score ${flags.minScore}\n`);
  const threshold = flags.failOn === 'never' ? Infinity : SEVERITY_RANK[flags.failOn];
  const failing = report.files.some((file) => shownFindings(file.findings).some(({ finding }) => SEVERITY_RANK[finding.severity] >= threshold));
  return failing || belowScore ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** A baseline of a million findings is about 200 MB; past this it is not a baseline. */
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

function readBaseline(file: string, io: CliIo): Baseline {
  const read = readRegularFile(path.resolve(io.cwd, file), MAX_BASELINE_BYTES);
  if (!read.ok || read.overLimit) throw new CliError([`${file}: cannot read the baseline (${read.ok ? `over ${MAX_BASELINE_BYTES} bytes` : read.reason}); write one with \`sbd baseline --output ${file}\``]);
  const parsed = parseBaseline(read.text);
  if (!parsed.ok) throw new CliError([`${file}: ${parsed.message}`]);
  return parsed.baseline;
}

function baseline(paths: string[], flags: { output: string; update?: boolean; config?: string; profile?: string }, io: CliIo): number {
  const project = loadProject(io, flags.config, flags.profile);
  const previous = flags.update ? readBaseline(flags.output, io) : undefined;
  const { inputs, errors } = readInputs(paths, project, io);
  for (const error of errors) io.err(`sbd: ${escapeForTerminal(error)}\n`);
  // A baseline written from a partial scan would silently forget findings.
  if (errors.length > 0) throw new CliError([`baseline not written: fix the paths above and run again`]);
  const current = baselineEntries(analyzeInputs(inputs, project, io), flags.output, io.cwd);
  let entries = current;
  let message = `recorded ${current.length} finding${current.length === 1 ? '' : 's'} in ${flags.output}`;
  if (previous) {
    const available = new Map<string, number>();
    for (const entry of current) available.set(entry.fingerprint, (available.get(entry.fingerprint) ?? 0) + 1);
    entries = previous.findings.filter((entry) => {
      const left = available.get(entry.fingerprint) ?? 0;
      if (left > 0) available.set(entry.fingerprint, left - 1);
      return left > 0;
    });
    const added = current.length - entries.length;
    message = `kept ${entries.length}, dropped ${previous.findings.length - entries.length} that are gone from ${flags.output}${added > 0 ? `; ${added} new finding${added === 1 ? ' is' : 's are'} not added (run \`sbd baseline\` without --update to accept them)` : ''}`;
  }
  try {
    fs.writeFileSync(path.resolve(io.cwd, flags.output), serializeBaseline(entries));
  } catch (error) {
    throw new CliError([`${flags.output}: cannot write the baseline (${errorCode(error)})`]);
  }
  io.out(`sbd: ${escapeForTerminal(message)}.\n`);
  return EXIT_CLEAN;
}

/** Rounds of fixing: a fix skipped because it overlapped another gets its turn in the next round. */
const MAX_FIX_ROUNDS = 5;

function fix(paths: string[], flags: { rule?: string[]; dryRun?: boolean; config?: string; profile?: string }, io: CliIo): number {
  const unknown = (flags.rule ?? []).filter((id) => !KNOWN_RULE_IDS.has(id));
  if (unknown.length > 0) throw new CliError([`unknown rule ${unknown.join(', ')} (run \`sbd rules\` for the list)`]);
  const project = loadProject(io, flags.config, flags.profile);
  const { inputs, errors } = readInputs(paths, project, io);
  for (const error of errors) io.err(`sbd: ${escapeForTerminal(error)}\n`);
  if (inputs.length === 0 && errors.length > 0) return EXIT_USAGE;
  const ruleIds = flags.rule && flags.rule.length > 0 ? new Set(flags.rule) : undefined;
  const texts = inputs.map((input) => ({ ...input, original: input.text }));
  let fixed = 0;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const results = analyzeInputs(texts, project, io);
    let applied = 0;
    const byFile = new Map(texts.filter((entry) => !entry.context).map((entry) => [entry.file, entry]));
    results.forEach((result) => {
      // Files a chart's findings landed in besides the inputs (a helper template) have no fix to apply.
      const entry = byFile.get(result.analysis.file);
      if (!entry) return;
      const { edits, findings } = safeFixEdits(result.findings, ruleIds);
      if (edits.length === 0) return;
      entry.text = applyEdits(entry.text, edits);
      applied += findings.filter((finding) => finding.fixes!.find((f) => f.safe)!.edits.every((edit) => edits.includes(edit))).length;
    });
    fixed += applied;
    if (applied === 0) break;
  }
  // Re-analyse what the fixes produced: what is left is what the user still has to decide.
  const remaining = analyzeInputs(texts, project, io).reduce((sum, result) => sum + result.findings.length, 0);
  const changed = texts.filter((entry) => entry.text !== entry.original);
  const c = colors(io.outIsTTY === true && useColor(io.outIsTTY, io.env));
  for (const entry of changed) {
    const name = entry.file.split(path.sep).join('/');
    const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, entry.original, entry.text, undefined, undefined, { context: 3 });
    // A terminal gets escaped, coloured text; a pipe gets the exact patch (`sbd fix --dry-run > fix.patch`).
    const shown = io.outIsTTY ? patch.split('\n').map((line) => colourDiffLine(escapeForTerminal(line), c)).join('\n') : patch;
    io.out(shown.replace(/^=+\n/m, ''));
    if (!flags.dryRun) {
      try {
        fs.writeFileSync(path.resolve(io.cwd, entry.file), (entry.bom ? '\uFEFF' : '') + entry.text);
      } catch (error) {
        throw new CliError([`${entry.file}: cannot write the fixed file (${errorCode(error)})`]);
      }
    }
  }
  const files = `${changed.length} file${changed.length === 1 ? '' : 's'}`;
  io.err(`sbd: ${flags.dryRun ? 'would fix' : 'fixed'} ${fixed} finding${fixed === 1 ? '' : 's'} in ${files}${flags.dryRun ? ' (dry run: no file changed)' : ''}; ${remaining} finding${remaining === 1 ? '' : 's'} ${flags.dryRun ? 'would remain' : 'remain'} (\`sbd scan\` lists them).\n`);
  return errors.length > 0 ? EXIT_USAGE : EXIT_CLEAN;
}

function colourDiffLine(line: string, c: ReturnType<typeof colors>): string {
  if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
  if (line.startsWith('+')) return c.green(line);
  if (line.startsWith('-')) return c.red(line);
  if (line.startsWith('@@')) return c.cyan(line);
  return line;
}

function rules(format: string, io: Io): number {
  if (format === 'json') {
    const list = ALL_RULES.map((rule) => ({
      id: rule.id,
      pattern: rule.pattern,
      patternName: PATTERNS[rule.pattern].name,
      alsoPattern: rule.alsoPattern ?? null,
      severity: rule.severity,
      severities: ruleSeverities(rule),
      title: rule.title,
      kinds: rule.kinds,
      hasFix: rule.hasFix,
      peers: rule.peers ?? [],
    }));
    io.out(JSON.stringify(list, null, 2) + '\n');
    return EXIT_CLEAN;
  }
  for (const rule of ALL_RULES) {
    io.out(`${rule.id.padEnd(7)} ${severityLabel(rule).padEnd(19)} ${(rule.hasFix ? 'fix' : '').padEnd(4)} ${rule.kinds.join(',').padEnd(24)} ${rule.title}\n`);
    if (rule.peers && rule.peers.length > 0) io.out(`${' '.repeat(8)}peers: ${rule.peers.join('; ')}\n`);
  }
  io.out(`${ALL_RULES.length} rules.\n`);
  return EXIT_CLEAN;
}

function profiles(io: Io): number {
  for (const profile of PROFILES) {
    const controls = profileControls(profile);
    const ruleCount = new Set(controls.flatMap((control) => control.rules)).size;
    const files = standardOf(profile).kinds.map(kindLabel).join(', ');
    io.out(`${profile.id.padEnd(16)} ${profile.title} (${controls.length} controls, ${ruleCount} rules, ${files} files only${profile.raiseTo ? `, raised to ${profile.raiseTo}` : ''})\n`);
  }
  io.out('Mapping of each control: docs/profiles.md.\n');
  return EXIT_CLEAN;
}

if (require.main === module) {
  const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text);
  // `sbd scan … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  void runAsync(process.argv.slice(2), { out: write(process.stdout), err: write(process.stderr), outIsTTY: process.stdout.isTTY, errIsTTY: process.stderr.isTTY, env: process.env, cwd: process.cwd() }).then((code) => {
    process.exitCode = code;
  });
}
