import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, type FileResult } from '../analysis/engine';
import { applyOverlay, CONFIG_LIMITS, parseProjectConfig, type ConfigOverlay } from '../core/configuration';
import { defaultOptions, type AnalysisOptions } from '../core/options';
import { LineIndex } from '../core/positions';
import { CONFIG_CONTEXT, withProfile } from '../rules';
import { describeWeakening, weakeningOf } from '../rules/weakening';
import { ignoreMatcher } from '../core/ignore';
import { collectFiles, readRegularFile } from './files';
import { PROGRESS_THRESHOLD, Progress } from './terminal';

/** An error for the user: printed as `sbd: <message>` lines, exit status 2. */
export class CliError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('; '));
  }
}

/** Where the CLI writes and what it runs in; `env` and `cwd` default to the process's. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly outIsTTY?: boolean;
  readonly errIsTTY?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** An `Io` with its defaults filled in: what the commands work with. */
export interface CliIo extends Io {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface Project {
  /** What `.sbd.yaml` sets (empty without one). */
  readonly config: ConfigOverlay;
  readonly options: AnalysisOptions;
  readonly profile?: string;
  /** What the configuration file turns off ("12 rules off by .sbd.yaml"), for the summary; absent when nothing. */
  readonly configurationOff?: string;
}

/**
 * `.sbd.yaml` (or `--config FILE`) and the profile (`--profile` wins over `profile:`). The profile
 * lies under the configuration's own rule settings: an explicit `IMM002: off` stays off.
 */
export function loadProject(io: CliIo, explicitConfig?: string, profileFlag?: string): Project {
  const file = explicitConfig ?? (fs.existsSync(path.join(io.cwd, '.sbd.yaml')) ? '.sbd.yaml' : undefined);
  let config: ConfigOverlay = {};
  if (file) {
    const read = readRegularFile(path.resolve(io.cwd, file), CONFIG_LIMITS.textBytes);
    if (!read.ok) throw new CliError([`${file}: cannot read configuration (${read.reason})`]);
    if (read.overLimit) throw new CliError([`${file}: the configuration is ${read.bytes} bytes, over the ${CONFIG_LIMITS.textBytes} bytes a configuration may have`]);
    const text = read.text;
    const result = parseProjectConfig(text, CONFIG_CONTEXT);
    if (!result.ok) {
      const lines = new LineIndex(text);
      throw new CliError([
        ...result.problems.map((problem) => {
          const at = lines.positionAt(problem.range?.start ?? 0);
          return `${file}:${at.line + 1}:${at.character + 1} ${problem.message}`;
        }),
        `configuration is invalid; nothing was scanned. Fix ${path.basename(file)} and run again.`,
      ]);
    }
    config = result.overlay;
  }
  const profile = profileFlag ?? config.profile;
  // A profile named on the command line is the user's own choice; one in the file is the repository's.
  const configurationOff = file ? describeWeakening(weakeningOf(config, defaultOptions(), profileFlag === undefined ? config.profile : undefined), path.basename(file)) : undefined;
  return { config, options: withProfile(applyOverlay(defaultOptions(), config), profile), profile, configurationOff };
}

export interface ScannedInputs {
  /** `bytes` is set for a file over the size limit, which was not read (its text is empty). */
  readonly inputs: Array<{ file: string; text: string; bom: boolean; bytes?: number }>;
  /** One line each: a path that does not exist, a file that cannot be read. */
  readonly errors: string[];
}

/** Finds and reads the YAML under `paths` (folders searched, files taken as named). */
export function readInputs(paths: readonly string[], project: Project, io: CliIo): ScannedInputs {
  const relativeIgnore = ignoreMatcher(project.config.ignore ?? []);
  const { files, errors } = collectFiles(paths.length > 0 ? paths : ['.'], relativeIgnore, io.cwd);
  const inputs: ScannedInputs['inputs'] = [];
  for (const file of files) {
    const read = readRegularFile(path.resolve(io.cwd, file), project.options.maxFileBytes);
    if (!read.ok) errors.push(`${file}: ${read.error}`);
    else inputs.push({ file, text: read.text, bom: read.bom, bytes: read.overLimit ? read.bytes : undefined });
  }
  return { inputs, errors };
}

/** Analyses the inputs together; a progress line on a terminal's stderr for big scans. */
export function analyzeInputs(inputs: ReadonlyArray<{ file: string; text: string; bytes?: number }>, project: Project, io: Io): FileResult[] {
  const progress = new Progress(io.err, inputs.length, io.errIsTTY === true && inputs.length > PROGRESS_THRESHOLD);
  try {
    return analyzeFiles(inputs, project.options, undefined, (done, file) => progress.update(done, file));
  } finally {
    progress.done();
  }
}

export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
