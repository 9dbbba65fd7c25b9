import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, analyzerReading } from '../analysis/engine';
import { applyOverlay, parseProjectConfig } from '../core/configuration';
import { defaultOptions, type AnalysisOptions } from '../core/options';
import { LineIndex } from '../core/positions';
import type { Severity } from '../core/types';
import { ALL_RULES, CONFIG_CONTEXT } from '../rules';
import { ruleSeverities, severityLabel } from '../rules/rule';
import { PATTERNS } from '../rules/patterns';
import { collectFiles, readBuildFileFromDisk, siblingFiles } from './files';
import { ignoreMatcher } from '../core/ignore';
import { formatJson, formatSarif, formatText } from './formatters';
import packageJson from '../../../package.json';

const USAGE = `Usage:
  sbd scan [paths...] [--format text|json|sarif] [--fail-on error|warning|info|never]
                      [--config FILE] [--output FILE]
  sbd rules [--format text|json]
  sbd --version | --help

Checks Docker Compose files, Kubernetes manifests and architecture models against the
secure-by-design patterns. Folders are searched for *.yaml / *.yml (node_modules and .git are
skipped). Exit status: 0 no findings at or above --fail-on (default: warning), 1 findings,
2 usage or configuration error.`;

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;
const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

class UsageError extends Error {}

interface Io {
  out(text: string): void;
  err(text: string): void;
}

export function run(argv: readonly string[], io: Io): number {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE + '\n');
      return command === undefined ? EXIT_USAGE : EXIT_CLEAN;
    }
    if (command === '--version' || command === '-v') {
      io.out(`${packageJson.version}\n`);
      return EXIT_CLEAN;
    }
    if (command === 'scan') return scan(rest, io);
    if (command === 'rules') return rules(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`sbd: ${error.message}\n(run \`sbd --help\` for usage)\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function parseFlags(args: readonly string[], allowed: Record<string, readonly string[] | 'value'>): { flags: Record<string, string>; positional: string[] } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const spec = allowed[name];
    if (!spec) throw new UsageError(`unknown option --${name}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (spec !== 'value' && !spec.includes(value)) throw new UsageError(`--${name} must be one of ${spec.join(', ')} (got "${value}")`);
    flags[name] = value;
  }
  return { flags, positional };
}

function scan(args: readonly string[], io: Io): number {
  const { flags, positional } = parseFlags(args, {
    format: ['text', 'json', 'sarif'],
    'fail-on': ['error', 'warning', 'info', 'never'],
    config: 'value',
    output: 'value',
  });
  const config = loadConfig(flags.config, io);
  if (!config) return EXIT_USAGE;
  const isIgnored = ignoreMatcher(config.ignore);
  const { files, errors } = collectFiles(positional.length > 0 ? positional : ['.'], isIgnored);
  for (const error of errors) io.err(`sbd: ${error}\n`);
  const inputs: Array<{ file: string; text: string; context?: boolean }> = [];
  for (const file of files) {
    try {
      inputs.push({ file, text: fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '') });
    } catch (error) {
      errors.push(file);
      io.err(`sbd: ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
    }
  }
  // A file named alone is read with its folder, as the editor reads it with its workspace: the
  // RoleBinding, NetworkPolicy or kustomization beside it are facts its findings depend on.
  for (const file of siblingFiles(files, positional, isIgnored, config.options.maxFileBytes)) inputs.push({ file, text: fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), context: true });
  const results = analyzeFiles(inputs, config.options, analyzerReading(readBuildFileFromDisk));
  const report = { results, toolVersion: packageJson.version };
  const format = flags.format ?? 'text';
  const output = format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report) : formatText(report);
  if (flags.output) fs.writeFileSync(flags.output, output);
  else io.out(output);
  if (errors.length > 0 && inputs.length === 0) return EXIT_USAGE;
  const failOn = flags['fail-on'] ?? 'warning';
  if (failOn === 'never') return EXIT_CLEAN;
  const threshold = SEVERITY_RANK[failOn as Severity];
  const failing = results.some((result) => result.findings.some((finding) => SEVERITY_RANK[finding.severity] >= threshold));
  return failing ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** The options and ignore globs of a scan: `.sbd.yaml` on top of the defaults. */
interface ScanConfig {
  readonly options: AnalysisOptions;
  readonly ignore: readonly string[];
}

function loadConfig(explicit: string | undefined, io: Io): ScanConfig | undefined {
  const file = explicit ?? (fs.existsSync('.sbd.yaml') ? '.sbd.yaml' : undefined);
  if (!file) return { options: defaultOptions(), ignore: [] };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    io.err(`sbd: ${file}: cannot read configuration (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
    return undefined;
  }
  const result = parseProjectConfig(text, CONFIG_CONTEXT);
  if (result.ok) return { options: applyOverlay(defaultOptions(), result.overlay), ignore: result.overlay.ignore ?? [] };
  const lines = new LineIndex(text);
  for (const problem of result.problems) {
    const at = lines.positionAt(problem.range?.start ?? 0);
    io.err(`sbd: ${file}:${at.line + 1}:${at.character + 1} ${problem.message}\n`);
  }
  io.err(`sbd: configuration is invalid; nothing was scanned. Fix ${path.basename(file)} and run again.\n`);
  return undefined;
}

function rules(args: readonly string[], io: Io): number {
  const { flags, positional } = parseFlags(args, { format: ['text', 'json'] });
  if (positional.length > 0) throw new UsageError(`rules takes no paths (got "${positional[0]}")`);
  if (flags.format === 'json') {
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
    }));
    io.out(JSON.stringify(list, null, 2) + '\n');
    return EXIT_CLEAN;
  }
  for (const rule of ALL_RULES) {
    io.out(`${rule.id.padEnd(7)} ${severityLabel(rule).padEnd(19)} ${(rule.hasFix ? 'fix' : '').padEnd(4)} ${rule.kinds.join(',').padEnd(24)} ${rule.title}\n`);
  }
  io.out(`${ALL_RULES.length} rules.\n`);
  return EXIT_CLEAN;
}

if (require.main === module) {
  const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text);
  // `sbd scan … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = run(process.argv.slice(2), { out: write(process.stdout), err: write(process.stderr) });
}
