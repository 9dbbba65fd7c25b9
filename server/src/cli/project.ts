import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFilesForView, type AnalyzedForView, type FileResult } from '../analysis/engine';
import { FrontEnds } from '../analysis/frontEnds';
import { applyOverlay, CONFIG_LIMITS, parseProjectConfig, type ConfigOverlay } from '../core/configuration';
import { defaultOptions, type AnalysisOptions } from '../core/options';
import { LineIndex } from '../core/positions';
import { ALL_RULES, CONFIG_CONTEXT, withProfile } from '../rules';
import { describeWeakening, weakeningOf } from '../rules/weakening';
import { ignoreMatcher } from '../core/ignore';
import { addIncludedFiles, collectFiles, siblingFiles, toPosix } from './files';
import { readRegularFile } from '../host/disk';
import { Analyzer } from '../analysis/analyze';
import { buildFileReader, diskHost, scanRoots } from './sourceFiles';
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
  /** Helm values files as ids (paths relative to the working folder): `.sbd.yaml`'s `helm.valuesFiles`, then `--values`. */
  readonly valuesFiles: readonly string[];
  readonly kubeVersion?: string;
  /** What the configuration file turns off ("12 rules off by .sbd.yaml"), for the summary; absent when nothing. */
  readonly configurationOff?: string;
  /** One analyzer per run: its per-segment cache lets the scan reuse what the include look-up parsed. */
  readonly analyzer: Analyzer;
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
  const configFolder = file ? path.dirname(path.resolve(io.cwd, file)) : io.cwd;
  const valuesFiles = (config.helm?.valuesFiles ?? []).map((entry) => toPosix(path.relative(io.cwd, path.resolve(configFolder, entry))));
  // A profile named on the command line is the user's own choice; one in the file is the repository's.
  const configurationOff = file ? describeWeakening(weakeningOf(config, defaultOptions(), profileFlag === undefined ? config.profile : undefined), path.basename(file)) : undefined;
  return { config, options: withProfile(applyOverlay(defaultOptions(), config), profile), profile, valuesFiles, kubeVersion: config.helm?.kubeVersion, configurationOff, analyzer: new Analyzer(ALL_RULES, buildFileReader(io.cwd)) };
}

/** `--values` files on top of the configuration's; each must exist (a typo would silently render defaults). */
export function withValuesFiles(project: Project, given: readonly string[] | undefined, io: CliIo): Project {
  const missing = (given ?? []).filter((file) => !fs.existsSync(path.resolve(io.cwd, file)));
  if (missing.length > 0) throw new CliError(missing.map((file) => `${file}: no such values file (--values)`));
  const configured = project.valuesFiles.filter((file) => !fs.existsSync(path.resolve(io.cwd, file)));
  if (configured.length > 0) throw new CliError(configured.map((file) => `${file}: no such values file (helm.valuesFiles in .sbd.yaml)`));
  return { ...project, valuesFiles: [...project.valuesFiles, ...(given ?? []).map(toPosix)] };
}

export interface ScannedInputs {
  /**
   * `bytes` is set for a file over the size limit, which was not read (its text is empty).
   * `context`: a file beside one named alone, read for the cross-file facts it holds (a
   * RoleBinding, a NetworkPolicy), reported on only through the named files.
   */
  readonly inputs: Array<{ file: string; text: string; bom: boolean; bytes?: number; context?: boolean }>;
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
  addThreagileIncludes(inputs, project, io);
  // A file named alone is read with its folder, as the editor reads it with its workspace: the
  // RoleBinding, NetworkPolicy or kustomization beside it are facts its findings depend on.
  const given = paths.length > 0 ? paths : ['.'];
  for (const file of siblingFiles(inputs.map((input) => input.file), given, relativeIgnore, io.cwd)) {
    const read = readRegularFile(path.resolve(io.cwd, file), project.options.maxFileBytes);
    if (read.ok && !read.overLimit) inputs.push({ file, text: read.text, bom: read.bom, context: true });
  }
  return { inputs, errors };
}

/** A Threagile model given by its main file is read whole: the files its `includes:` name join the inputs. */
function addThreagileIncludes(inputs: ScannedInputs['inputs'], project: Project, io: CliIo): void {
  const includesOf = (file: string, text: string) =>
    text.includes('includes') ? project.analyzer.analyzeFile(file, text, project.options).documents.flatMap((document) => document.architecture?.threagile?.documents[0]?.includes.map((include) => include.value) ?? []) : [];
  // Included files are read like named ones: regular files only, within the size limit.
  const read = (file: string) => {
    const result = readRegularFile(file, project.options.maxFileBytes);
    return result.ok && !result.overLimit ? result.text : undefined;
  };
  const added: Array<{ file: string; text: string }> = inputs.map(({ file, text }) => ({ file, text }));
  const before = added.length;
  addIncludedFiles(added, includesOf, read, io.cwd);
  for (const { file, text } of added.slice(before)) inputs.push({ file, text: text.replace(/^\uFEFF/, ''), bom: text.startsWith('\uFEFF') });
}

/** Analyses the inputs together; a progress line on a terminal's stderr for big scans. */
export function analyzeInputs(inputs: ReadonlyArray<{ file: string; text: string; bytes?: number; context?: boolean }>, project: Project, io: Io): FileResult[] {
  return analyzeInputsForView(inputs, project, io).results;
}

/**
 * `analyzeInputs`, with what a trust-boundary view of the same files draws from: their documents
 * and those of the Helm charts and Kustomize overlays they belong to, rendered and built as
 * `sbd scan` does (see `analyzeFilesForView`).
 */
export function analyzeInputsForView(inputs: ReadonlyArray<{ file: string; text: string; bytes?: number; context?: boolean }>, project: Project, io: Io): AnalyzedForView {
  const named = inputs.filter((input) => !input.context).length;
  const progress = new Progress(io.err, named, io.errIsTTY === true && named > PROGRESS_THRESHOLD);
  try {
    const texts = new Map(inputs.map((input) => [input.file, input.text]));
    const host = diskHost(cwdOf(io), scanRoots(cwdOf(io), [...inputs.map((input) => input.file), ...project.valuesFiles]), texts);
    const frontEnds = new FrontEnds(host, { valuesFiles: project.valuesFiles, kubeVersion: project.kubeVersion });
    return analyzeFilesForView(inputs, project.options, project.analyzer, (done, file) => progress.update(done, file), frontEnds);
  } finally {
    progress.done();
  }
}

function cwdOf(io: Io): string {
  return io.cwd ?? process.cwd();
}

export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
