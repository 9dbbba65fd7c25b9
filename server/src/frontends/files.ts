/**
 * Read-only access to the files a front end needs beyond the one being analysed (a chart's
 * values.yaml, its subcharts, a kustomization's bases and patches). The host provides it: the CLI
 * from the disk, the language server from open buffers first and the disk second. Front ends never
 * touch Node's `fs`, so they stay host-independent and testable with an in-memory map.
 *
 * Paths are '/'-separated and absolute within the host's namespace. Implementations must refuse
 * to read outside the roots they were given (a chart's `../../etc/passwd` is not a file of the project).
 */
export interface SourceFiles {
  /** Text of a regular file, or `undefined` when it does not exist, is not a regular file, is too large or cannot be read. */
  read(path: string): string | undefined;
  /** Entries of a folder, sub-folders with a trailing '/', sorted; `undefined` when it is not a folder. */
  list(folder: string): readonly string[] | undefined;
}

/** An in-memory `SourceFiles` over a map of path → text (tests, and the editor's open buffers). */
export function sourceFilesFromMap(files: ReadonlyMap<string, string>): SourceFiles {
  return {
    read: (path) => files.get(normalizePath(path)),
    list: (folder) => {
      const prefix = normalizePath(folder).replace(/\/?$/, '/');
      const entries = new Set<string>();
      for (const path of files.keys()) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        const slash = rest.indexOf('/');
        entries.add(slash === -1 ? rest : rest.slice(0, slash + 1));
      }
      return entries.size > 0 ? [...entries].sort() : undefined;
    },
  };
}

/** Joins '/'-separated path pieces and resolves `.` and `..` (never above the first piece's root). */
export function joinPath(base: string, ...pieces: string[]): string {
  return normalizePath([base, ...pieces].join('/'));
}

/** Collapses `//`, `.` and `..` segments of a '/'-separated path; keeps a leading '/'. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}

/** The folder part of a path ('' for a bare name). */
export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? (slash === 0 ? '/' : '') : path.slice(0, slash);
}
