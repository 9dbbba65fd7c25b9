import * as fs from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { FileChangeType, type FileEvent, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { ignoreMatcher, SKIPPED_DIRECTORIES } from '../core/ignore';
import { CONFIG_LIMITS } from '../core/configuration';
import { CONFIG_FILE_NAMES, isConfigUri } from './configuration';
import { pathToUri, uriToPath } from './convert';

const YAML_FILE = /\.ya?ml$/i;
/** Dockerfiles a compose `build:` may name: their last stage's USER decides who the service runs as. */
const BUILD_FILE = /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:Dockerfile|Containerfile)$/i;
/** Dockerfiles larger than this are not kept (no real one is). */
const MAX_BUILD_FILE_BYTES = 1024 * 1024;
/** A workspace with more YAML than this is indexed only up to it (the log says so). */
const MAX_INDEXED_FILES = 5000;

export interface IndexTarget {
  setDiskText(uri: string, text: string): void;
  removeDiskText(uri: string): void;
  /** Analyse one indexed file (spreads the work of a big workspace over the indexing loop). */
  warm(uri: string): void;
  configChanged(uri: string, text: string | undefined): void;
  maxFileBytes(): number;
  ignoreGlobs(): readonly string[];
  log(message: string): void;
}

/**
 * The workspace's YAML on disk: indexed once on start (with progress) and kept current from file
 * events. Reading files is all it does; analysis happens in the workspace model, and open
 * editors win over what is on disk there.
 */
export class WorkspaceIndex {
  /** Dockerfiles of the workspace by path: what compose builds are read against. */
  private readonly buildFiles = new Map<string, string>();
  private roots: string[] = [];
  private uris: string[] = [];
  private generation = 0;

  constructor(private readonly target: IndexTarget) {}

  setRoots(uris: readonly string[]): void {
    this.uris = [...uris];
    this.roots = uris.map(uriToPath).filter((root): root is string => root !== undefined).map((root) => path.resolve(root));
  }

  get rootUris(): readonly string[] {
    return this.uris;
  }

  /** Re-reads one configuration file from disk (after its editor closed). */
  async reloadConfig(uri: string): Promise<void> {
    const file = uriToPath(uri);
    if (file) this.target.configChanged(uri, await readText(file));
  }

  get rootPaths(): readonly string[] {
    return this.roots;
  }

  /** A compose build's Dockerfile, by its path relative to the compose file's folder, from the index. */
  readBuildFile(composeUri: string, relativePath: string): string | undefined {
    const composeFile = uriToPath(composeUri);
    return composeFile === undefined ? undefined : this.buildFiles.get(path.resolve(path.dirname(composeFile), relativePath));
  }

  /** Reads the project configuration of the first root that has one. */
  async loadConfig(): Promise<void> {
    for (const root of this.roots) {
      for (const name of CONFIG_FILE_NAMES) {
        const file = path.join(root, name);
        const text = await readText(file);
        if (text !== undefined) {
          this.target.configChanged(pathToUri(file), text);
          return;
        }
      }
    }
  }

  /**
   * Indexes every YAML file under the roots; a new call supersedes a running one (which then
   * reports itself incomplete). `seen` holds the URIs read.
   */
  async index(progress?: WorkDoneProgressReporter): Promise<{ complete: boolean; seen: Set<string> }> {
    const generation = ++this.generation;
    const seen = new Set<string>();
    const files: string[] = [];
    const buildFiles: string[] = [];
    for (const root of this.roots) await this.collect(root, root, files, buildFiles);
    this.buildFiles.clear();
    for (const file of buildFiles) {
      const text = await this.readBuildFileFromDisk(file);
      if (text !== undefined) this.buildFiles.set(file, text);
    }
    progress?.report(0, `${files.length} YAML files`);
    let done = 0;
    for (const file of files) {
      if (generation !== this.generation) return { complete: false, seen };
      const text = await this.readIfSmall(file);
      if (text !== undefined) {
        const uri = pathToUri(file);
        seen.add(uri);
        this.target.setDiskText(uri, text);
        this.target.warm(uri);
      }
      done++;
      if (done % 10 === 0) {
        progress?.report(Math.round((done / files.length) * 100), `${done}/${files.length} files`);
        // Let requests and edits in between files.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return { complete: generation === this.generation, seen };
  }

  private async collect(root: string, directory: string, into: string[], buildFiles: string[]): Promise<void> {
    if (into.length >= MAX_INDEXED_FILES) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(directory, { withFileTypes: true });
    } catch (error) {
      this.target.log(`cannot read folder ${directory}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (this.isIgnored(full, root)) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await this.collect(root, full, into, buildFiles);
      } else if (entry.isFile() && BUILD_FILE.test(entry.name)) {
        if (buildFiles.length < MAX_INDEXED_FILES) buildFiles.push(full);
      } else if (entry.isFile() && YAML_FILE.test(entry.name) && !CONFIG_FILE_NAMES.includes(entry.name)) {
        if (into.length >= MAX_INDEXED_FILES) {
          this.target.log(`workspace has more than ${MAX_INDEXED_FILES} YAML files; indexed the first ${MAX_INDEXED_FILES} (add ignore globs to .sbd.yaml to choose)`);
          return;
        }
        into.push(full);
      }
    }
  }

  private matcher: { globs: readonly string[]; matches: (relativePath: string) => boolean } | undefined;

  /** The ignore globs compiled once per configuration, not once per file checked. */
  private matcherFor(globs: readonly string[]): (relativePath: string) => boolean {
    if (this.matcher?.globs !== globs) this.matcher = { globs, matches: ignoreMatcher(globs) };
    return this.matcher.matches;
  }

  /** Whether a path is excluded by the ignore globs (relative to its workspace root). */
  isIgnored(file: string, root = this.rootOf(file)): boolean {
    if (!root) return false;
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (relative.startsWith('..')) return false;
    if (relative.split('/').some((part) => SKIPPED_DIRECTORIES.has(part))) return true;
    return this.matcherFor(this.target.ignoreGlobs())(relative);
  }

  /** The project configuration is the `.sbd.yaml` at a workspace root (any, when there is no folder). */
  isProjectConfig(uri: string): boolean {
    const file = uriToPath(uri);
    if (!file || !isConfigUri(uri)) return false;
    return this.roots.length === 0 || this.roots.includes(path.dirname(file));
  }

  isInWorkspace(file: string): boolean {
    return this.rootOf(file) !== undefined;
  }

  private rootOf(file: string): string | undefined {
    return this.roots.find((root) => file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
  }

  /**
   * One policy for the index and for file events: a regular file, not a symbolic link, whose real
   * path lies inside a workspace root, at most maxFileBytes. Anything else is not read (a link to
   * a file outside the workspace, a named pipe, a device).
   */
  private async readIfSmall(file: string): Promise<string | undefined> {
    const text = await readRegularText(file, this.target.maxFileBytes(), (reason) => this.target.log(`not indexed: ${file} ${reason}`));
    if (text === undefined) return undefined;
    const real = await fs.realpath(file).catch(() => undefined);
    if (!real || !this.isInWorkspace(real)) {
      this.target.log(`not indexed: ${file} lies outside the workspace folders`);
      return undefined;
    }
    return text;
  }

  private async readBuildFileFromDisk(file: string): Promise<string | undefined> {
    try {
      if ((await fs.stat(file)).size > MAX_BUILD_FILE_BYTES) return undefined;
    } catch {
      return undefined;
    }
    return readText(file);
  }

  /**
   * workspace/didChangeWatchedFiles: re-read what changed; deleted files leave the index. Returns
   * the YAML files touched, and whether a Dockerfile changed (compose files built from it need
   * analysing again).
   */
  async filesChanged(changes: readonly FileEvent[]): Promise<{ touched: string[]; buildFilesChanged: boolean }> {
    const touched: string[] = [];
    let buildFilesChanged = false;
    for (const change of changes) {
      const file = typeof change?.uri === 'string' ? uriToPath(change.uri) : undefined;
      if (!file) continue;
      const uri = pathToUri(file);
      if (BUILD_FILE.test(path.basename(file))) {
        if (!this.isInWorkspace(file) || this.isIgnored(file)) continue;
        const text = change.type === FileChangeType.Deleted ? undefined : await this.readBuildFileFromDisk(file);
        if (text === undefined) this.buildFiles.delete(file);
        else this.buildFiles.set(file, text);
        buildFilesChanged = true;
        continue;
      }
      if (isConfigUri(uri)) {
        if (this.isProjectConfig(uri)) this.target.configChanged(uri, change.type === FileChangeType.Deleted ? undefined : await readText(file));
        continue;
      }
      if (!YAML_FILE.test(file) || !this.isInWorkspace(file) || this.isIgnored(file)) continue;
      if (change.type === FileChangeType.Deleted) this.target.removeDiskText(uri);
      else {
        const text = await this.readIfSmall(file);
        if (text === undefined) this.target.removeDiskText(uri);
        else this.target.setDiskText(uri, text);
      }
      touched.push(uri);
    }
    return { touched, buildFilesChanged };
  }
}

/** `.sbd.yaml` is read with the same care as any file, within the configuration's own size limit. */
async function readText(file: string): Promise<string | undefined> {
  // Up to 16 times the limit is read so that the configuration reader can say it is too big.
  return readRegularText(file, CONFIG_LIMITS.textBytes * 16, () => undefined);
}

/**
 * The UTF-8 text of a regular file of at most `maxBytes` bytes; undefined (with `skipped` told why)
 * for a symbolic link, a pipe, a device, a bigger file or one that cannot be read. Opened without
 * following links and without blocking, so a FIFO never stalls the server.
 */
async function readRegularText(file: string, maxBytes: number, skipped: (reason: string) => void): Promise<string | undefined> {
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await fs.open(file, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
    const stat = await handle.stat();
    if (!stat.isFile()) return void skipped('is not a regular file');
    if (stat.size > maxBytes) return void skipped(`is ${stat.size} bytes, over the maxFileBytes limit of ${maxBytes}`);
    const buffer = Buffer.alloc(maxBytes + 1 > stat.size + 1 ? stat.size + 1 : maxBytes + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      // It grew while being read: past the limit it is not read at all.
      if (total > maxBytes) return void skipped(`grew over the maxFileBytes limit of ${maxBytes}`);
      if (total === buffer.length) break;
    }
    return buffer.subarray(0, total).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    skipped(code === 'ELOOP' ? 'is a symbolic link' : `cannot be read (${code ?? String(error)})`);
    return undefined;
  } finally {
    await handle?.close();
  }
}
