import * as fs from 'node:fs';
import * as path from 'node:path';
import { SKIPPED_DIRECTORIES } from '../core/ignore';

const YAML_FILE = /\.ya?ml$/i;
/** Our own configuration is validated, not scanned. */
const CONFIG_FILE = /^\.sbd\.ya?ml$/;

export interface CollectedFiles {
  readonly files: string[];
  readonly errors: string[];
}

/** Files named on the command line are taken as they are; folders are searched for YAML. */
export function collectFiles(paths: readonly string[], isIgnored: (relativePath: string) => boolean): CollectedFiles {
  const files: string[] = [];
  const errors: string[] = [];
  const ignored = (file: string) => isIgnored(toPosix(path.relative(process.cwd(), file)));
  const walk = (directory: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      errors.push(`${directory}: cannot read folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !ignored(full)) walk(full);
      } else if (entry.isFile() && YAML_FILE.test(entry.name) && !CONFIG_FILE.test(entry.name) && !ignored(full)) files.push(full);
    }
  };
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      errors.push(`${given}: ${code === 'ENOENT' ? 'no such file or folder' : `cannot read (${code ?? String(error)})`}`);
      continue;
    }
    if (stat.isDirectory()) walk(given);
    else files.push(given);
  }
  return { files, errors };
}

export function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

/** Sibling files read for context are capped: a folder of thousands of manifests is not one project. */
const MAX_SIBLINGS = 500;
/** Dockerfiles larger than this are not read (no real one is). */
const MAX_BUILD_FILE_BYTES = 1024 * 1024;

/**
 * The YAML files beside each file named on the command line (its folder, not below), which the
 * scan does not cover already: read for cross-file facts, reported on only through the named
 * files. Unreadable, ignored, oversized files and our own configuration are left out.
 */
export function siblingFiles(files: readonly string[], named: readonly string[], isIgnored: (relativePath: string) => boolean, maxFileBytes: number): string[] {
  const scanned = new Set(files.map((file) => path.resolve(file)));
  const folders = new Set<string>();
  for (const given of named) {
    try {
      if (fs.statSync(given).isFile()) folders.add(path.dirname(path.resolve(given)));
    } catch {
      // Reported by collectFiles already.
    }
  }
  const siblings: string[] = [];
  for (const folder of folders) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (siblings.length >= MAX_SIBLINGS) return siblings;
      if (!entry.isFile() || !YAML_FILE.test(entry.name) || CONFIG_FILE.test(entry.name) || scanned.has(full) || isIgnored(toPosix(path.relative(process.cwd(), full)))) continue;
      try {
        if (fs.statSync(full).size > maxFileBytes) continue;
        fs.accessSync(full, fs.constants.R_OK);
      } catch {
        continue;
      }
      siblings.push(full);
    }
  }
  return siblings;
}

/** A compose build's Dockerfile, read from disk relative to the compose file's folder; undefined when absent, not a file, or too large. */
export function readBuildFileFromDisk(composeFile: string, relativePath: string): string | undefined {
  const file = path.resolve(path.dirname(composeFile), relativePath);
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_BUILD_FILE_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
