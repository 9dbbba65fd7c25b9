import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReadBuildFile } from '../analysis/analyze';
import type { FrontEndHost } from '../analysis/frontEnds';
import type { SourceFiles } from '../frontends/files';
import { confinedTo, listFolder, readRegularFile, realPathOr } from '../host/disk';
import { toPosix } from './files';

/** A file a chart or an overlay reads that is larger than this is treated as missing. */
const MAX_SOURCE_BYTES = 10 * 1024 * 1024;

/**
 * The front ends' view of the disk for one scan: ids are paths as the user named them (relative to
 * the working folder), front-end paths are absolute and '/'-separated. Reads are confined to
 * `roots` (the repositories of the scanned paths), so a chart's `.Files.Get "../../../etc/passwd"`
 * or an overlay naming `/etc` reads nothing. `texts` wins over the disk (`sbd fix` between rounds).
 */
export function diskHost(cwd: string, roots: readonly string[], texts: ReadonlyMap<string, string> = new Map()): FrontEndHost {
  const absolute = roots.map((root) => path.resolve(cwd, root));
  const inside = confinedTo(() => absolute);
  const byPath = new Map([...texts].map(([id, text]) => [path.resolve(cwd, id), text]));
  const idOf = new Map([...texts.keys()].map((id) => [toPosix(path.resolve(cwd, id)), id]));
  const files: SourceFiles = {
    read(file) {
      const native = path.resolve(file);
      if (byPath.has(native)) return byPath.get(native);
      if (!inside(native)) return undefined;
      // Regular files only, the limit enforced while reading, as for the files the scan names.
      const result = readRegularFile(native, MAX_SOURCE_BYTES);
      return result.ok && !result.overLimit ? result.text : undefined;
    },
    list(folder) {
      const native = path.resolve(folder);
      return inside(native) ? listFolder(native) : undefined;
    },
  };
  return {
    files,
    toPath: (id) => toPosix(path.resolve(cwd, id)),
    toId: (file) => idOf.get(file) ?? toPosix(path.relative(cwd, file) || '.'),
  };
}

/**
 * The folders a scan may read beyond the files it was given: the working folder, and for each
 * given file its git repository (a base outside the scanned overlay is part of the project), else
 * its own folder.
 */
export function scanRoots(cwd: string, files: readonly string[]): string[] {
  const roots = new Set<string>([path.resolve(cwd)]);
  const rootOf = new Map<string, string>();
  for (const file of files) {
    const start = path.dirname(path.resolve(cwd, file));
    let root = rootOf.get(start);
    if (root === undefined) {
      root = start;
      for (let folder = start, i = 0; i < 64; i++) {
        if (fs.existsSync(path.join(folder, '.git'))) {
          root = folder;
          break;
        }
        const parent = path.dirname(folder);
        if (parent === folder) break;
        folder = parent;
      }
      rootOf.set(start, root);
    }
    roots.add(root);
  }
  return [...roots];
}

/** Dockerfiles larger than this are not read (no real one is). */
const MAX_BUILD_FILE_BYTES = 1024 * 1024;

/**
 * Reads a compose build's Dockerfile (`relativePath` from the compose file's folder) for the
 * analysis, under the same policy as chart and overlay files: only inside the scan's roots (the
 * working folder and the compose file's repository), judged on the real path, regular files only,
 * at most 1 MiB. Undefined when any of that fails: the rule then says what it cannot see.
 */
export function buildFileReader(cwd: string): ReadBuildFile {
  // The roots of a compose file's folder, found once (real paths): every cache check of an analysis reads again.
  const insideByFolder = new Map<string, (file: string) => boolean>();
  return (composeFile, relativePath) => {
    const folder = path.dirname(path.resolve(cwd, composeFile));
    let inside = insideByFolder.get(folder);
    if (!inside) {
      const roots = scanRoots(cwd, [composeFile]).map(realPathOr);
      insideByFolder.set(folder, (inside = confinedTo(() => roots)));
    }
    const file = path.resolve(folder, relativePath);
    if (!inside(file)) return undefined;
    const result = readRegularFile(file, MAX_BUILD_FILE_BYTES);
    return result.ok && !result.overLimit ? result.text : undefined;
  };
}
