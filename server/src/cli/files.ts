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

/**
 * Files named on the command line are taken as they are; folders are searched for YAML. Paths
 * stay as the user wrote them (relative to `cwd`), so reports name files the way they were asked for.
 */
export function collectFiles(paths: readonly string[], isIgnored: (relativePath: string) => boolean, cwd = process.cwd()): CollectedFiles {
  const files: string[] = [];
  const errors: string[] = [];
  const ignored = (file: string) => isIgnored(toPosix(path.relative(cwd, path.resolve(cwd, file))));
  const walk = (directory: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.resolve(cwd, directory), { withFileTypes: true });
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
      stat = fs.statSync(path.resolve(cwd, given));
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

/**
 * The YAML files beside each file named on the command line (its folder, not below), which the
 * scan does not cover already: read for cross-file facts, reported on only through the named
 * files. Ignored files and our own configuration are left out; paths are relative to `cwd` like
 * the named ones. At most 500.
 */
export function siblingFiles(files: readonly string[], named: readonly string[], isIgnored: (relativePath: string) => boolean, cwd = process.cwd()): string[] {
  const scanned = new Set(files.map((file) => path.resolve(cwd, file)));
  const folders = new Map<string, string>();
  for (const given of named) {
    try {
      if (fs.statSync(path.resolve(cwd, given)).isFile()) folders.set(path.dirname(path.resolve(cwd, given)), path.dirname(given));
    } catch {
      // Reported by collectFiles already.
    }
  }
  const siblings: string[] = [];
  for (const [folder, asNamed] of folders) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (siblings.length >= MAX_SIBLINGS) return siblings;
      const full = path.join(folder, entry.name);
      if (!entry.isFile() || !YAML_FILE.test(entry.name) || CONFIG_FILE.test(entry.name) || scanned.has(full) || isIgnored(toPosix(path.relative(cwd, full)))) continue;
      scanned.add(full);
      siblings.push(path.join(asNamed, entry.name));
    }
  }
  return siblings;
}

/**
 * Adds the files Threagile models include (top-level `includes:`, relative to the including file,
 * recursively) that were not given, so a model given by its main file is read whole, as Threagile
 * reads it. `includesOf` names a text's includes; files that do not exist are left to the
 * analysis, which reports the include.
 */
export function addIncludedFiles(
  inputs: Array<{ file: string; text: string }>,
  includesOf: (file: string, text: string) => readonly string[],
  read: (file: string) => string | undefined,
  cwd: string = process.cwd(),
): void {
  const known = new Set(inputs.map((input) => path.resolve(cwd, input.file)));
  for (let next = 0; next < inputs.length; next++) {
    const { file, text } = inputs[next];
    for (const include of includesOf(file, text)) {
      const target = path.resolve(cwd, path.dirname(file), include);
      if (known.has(target)) continue;
      known.add(target);
      const included = read(target);
      if (included !== undefined) inputs.push({ file: toPosix(path.relative(cwd, target)) || target, text: included });
    }
  }
}

