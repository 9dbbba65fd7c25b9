import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFiles } from '../../../server/src/frontends/files';

/** A `SourceFiles` over the disk, confined to `root` (what the CLI host will provide). */
export function diskFiles(root: string, overrides: Map<string, string> = new Map()): SourceFiles & { reads: number } {
  const base = path.resolve(root);
  const inside = (p: string) => path.resolve(p) === base || path.resolve(p).startsWith(base + path.sep);
  const host = {
    reads: 0,
    read(p: string): string | undefined {
      host.reads++;
      if (overrides.has(p)) return overrides.get(p);
      if (!inside(p)) return undefined;
      try {
        return fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    list(folder: string): readonly string[] | undefined {
      if (!inside(folder)) return undefined;
      try {
        return fs
          .readdirSync(folder, { withFileTypes: true })
          .map((d) => (d.isDirectory() ? d.name + '/' : d.name))
          .sort();
      } catch {
        return undefined;
      }
    },
  };
  return host;
}
