import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, type FileResult } from '../analysis/engine';
import { applyOverlay, parseProjectConfig, type ConfigOverlay } from '../core/configuration';
import { defaultOptions, type AnalysisOptions } from '../core/options';
import { LineIndex } from '../core/positions';
import { ALL_RULES, CONFIG_CONTEXT, withProfile } from '../rules';
import { ignoreMatcher } from '../core/ignore';
import { addIncludedFiles, collectFiles } from './files';
import { Analyzer } from '../analysis/analyze';
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
}

/**
 * `.sbd.yaml` (or `--config FILE`) and the profile (`--profile` wins over `profile:`). The profile
 * lies under the configuration's own rule settings: an explicit `IMM002: off` stays off.
 */
export function loadProject(io: CliIo, explicitConfig?: string, profileFlag?: string): Project {
  const file = explicitConfig ?? (fs.existsSync(path.join(io.cwd, '.sbd.yaml')) ? '.sbd.yaml' : undefined);
  let config: ConfigOverlay = {};
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (error) {
      throw new CliError([`${file}: cannot read configuration (${errorCode(error)})`]);
    }
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
  return { config, options: withProfile(applyOverlay(defaultOptions(), config), profile), profile };
}

export interface ScannedInputs {
  readonly inputs: Array<{ file: string; text: string; bom: boolean }>;
  /** One line each: a path that does not exist, a file that cannot be read. */
  readonly errors: string[];
}

/** Finds and reads the YAML under `paths` (folders searched, files taken as named). */
export function readInputs(paths: readonly string[], project: Project, io: CliIo): ScannedInputs {
  const relativeIgnore = ignoreMatcher(project.config.ignore ?? []);
  const { files, errors } = collectFiles(paths.length > 0 ? paths : ['.'], relativeIgnore, io.cwd);
  const inputs: ScannedInputs['inputs'] = [];
  for (const file of files) {
    try {
      const raw = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
      inputs.push({ file, text: raw.replace(/^\uFEFF/, ''), bom: raw.startsWith('\uFEFF') });
    } catch (error) {
      errors.push(`${file}: cannot read (${errorCode(error)})`);
    }
  }
  addThreagileIncludes(inputs, project, io);
  return { inputs, errors };
}

/** A Threagile model given by its main file is read whole: the files its `includes:` name join the inputs. */
function addThreagileIncludes(inputs: ScannedInputs['inputs'], project: Project, io: CliIo): void {
  const analyzer = analyzerOf(project);
  const includesOf = (file: string, text: string) =>
    text.includes('includes') ? analyzer.analyzeFile(file, text, project.options).documents.flatMap((document) => document.architecture?.threagile?.documents[0]?.includes.map((include) => include.value) ?? []) : [];
  const read = (file: string) => {
    try {
      return fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
  const added: Array<{ file: string; text: string }> = inputs.map(({ file, text }) => ({ file, text }));
  const before = added.length;
  addIncludedFiles(added, includesOf, read, io.cwd);
  for (const { file, text } of added.slice(before)) inputs.push({ file, text: text.replace(/^\uFEFF/, ''), bom: text.startsWith('\uFEFF') });
}

/**
 * One analyzer per project: a model whose includes were looked up while reading the inputs is
 * not analysed again (the analyzer returns its cached result for the same file and text).
 */
const analyzers = new WeakMap<Project, Analyzer>();

function analyzerOf(project: Project): Analyzer {
  let analyzer = analyzers.get(project);
  if (!analyzer) analyzers.set(project, (analyzer = new Analyzer(ALL_RULES)));
  return analyzer;
}

/** Analyses the inputs together; a progress line on a terminal's stderr for big scans. */
export function analyzeInputs(inputs: ReadonlyArray<{ file: string; text: string }>, project: Project, io: Io): FileResult[] {
  const progress = new Progress(io.err, inputs.length, io.errIsTTY === true && inputs.length > PROGRESS_THRESHOLD);
  try {
    return analyzeFiles(inputs, project.options, analyzerOf(project), (done, file) => progress.update(done, file));
  } finally {
    progress.done();
  }
}

export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
