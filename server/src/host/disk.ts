import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * File access shared by the hosts (the CLI and the language server): reading a regular file under a
 * size limit, and confining what charts and overlays read to the folders the user gave. The
 * analysis itself never touches the disk; it is handed these readers.
 */

/** What `readRegularFile` read: the text (BOM removed) or, over the limit, only the size. */
export type ReadFile = { readonly ok: true; readonly text: string; readonly bom: boolean; readonly bytes: number; readonly overLimit: boolean } | { readonly ok: false; readonly error: string; readonly reason: string };

const CHUNK_BYTES = 64 * 1024;

function unreadable(error: unknown): { ok: false; error: string; reason: string } {
  const reason = (error as NodeJS.ErrnoException).code ?? String(error);
  return { ok: false, error: `cannot read (${reason})`, reason };
}

/**
 * Reads a regular file as UTF-8, at most `maxBytes` bytes: a named pipe, a device (`/dev/zero`) or
 * a folder is refused without reading, and a file that grows while it is read stops at the limit.
 * Over the limit, `text` is empty and `bytes` is the size (the analysis reports it, SBD006).
 * Errors: one line, `not a regular file` or `cannot read (CODE)`; `reason` is the part in brackets.
 */
export function readRegularFile(file: string, maxBytes: number): ReadFile {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (ignored for regular files).
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return unreadable(error);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, error: 'not a regular file', reason: 'not a regular file' };
    if (stat.size > maxBytes) return { ok: true, text: '', bom: false, bytes: stat.size, overLimit: true };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) return { ok: true, text: '', bom: false, bytes: Math.max(total, stat.size), overLimit: true };
    }
    const raw = Buffer.concat(chunks, total).toString('utf8');
    return { ok: true, text: raw.replace(/^\uFEFF/, ''), bom: raw.startsWith('\uFEFF'), bytes: total, overLimit: false };
  } catch (error) {
    return unreadable(error);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A predicate: whether an absolute path lies in one of `roots` (or is one), judged on real paths, so
 * a symbolic link inside a root does not read outside it (a chart's `.Files.Get "../../.ssh/id_rsa"`
 * or an overlay naming `/etc` reads nothing). `roots` is asked on each call (workspace folders change).
 */
export function confinedTo(roots: () => readonly string[]): (file: string) => boolean {
  return (file) => {
    const real = realPathOr(file);
    return roots().some((given) => {
      const root = realPathOr(given);
      return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
    });
  };
}

/** A folder's entries, sorted, folders with a trailing `/`; undefined when it cannot be listed. */
export function listFolder(folder: string): string[] | undefined {
  try {
    return fs
      .readdirSync(folder, { withFileTypes: true })
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
      .sort();
  } catch {
    return undefined;
  }
}

/** The path with symbolic links resolved; the path itself when it does not exist (yet). */
export function realPathOr(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
