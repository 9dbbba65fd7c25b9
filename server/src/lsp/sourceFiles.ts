import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrontEndHost, FrontEndSettings } from '../analysis/frontEnds';
import type { SourceFiles } from '../frontends/files';
import { pathToUri, uriToPath } from './convert';

/**
 * What charts and overlays read in the editor: an open buffer's text first (a values edit
 * re-renders before it is saved), the disk second, and nothing outside the workspace folders (a
 * hostile chart's `.Files.Get "../../.ssh/id_rsa"` reads nothing). Ids are URIs, paths absolute.
 */
export function editorHost(openText: (uri: string) => string | undefined, roots: () => readonly string[], maxFileBytes: () => number): FrontEndHost {
  // Confinement is judged on real paths: a symbolic link in the workspace must not read outside it
  // (the workspace index skips symbolic links for the same reason).
  const inside = (file: string) => {
    const real = realOr(file);
    return roots().some((given) => {
      const root = realOr(given);
      return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
    });
  };
  const files: SourceFiles = {
    read(file) {
      const native = path.resolve(file);
      const open = openText(pathToUri(native));
      if (open !== undefined) return open;
      if (!inside(native)) return undefined;
      try {
        const stat = fs.statSync(native);
        return stat.isFile() && stat.size <= maxFileBytes() ? fs.readFileSync(native, 'utf8').replace(/^\uFEFF/, '') : undefined;
      } catch {
        return undefined;
      }
    },
    list(folder) {
      const native = path.resolve(folder);
      if (!inside(native)) return undefined;
      try {
        return fs
          .readdirSync(native, { withFileTypes: true })
          .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
          .sort();
      } catch {
        return undefined;
      }
    },
  };
  return { files, toPath: (uri) => uriToPath(uri)?.split(path.sep).join('/'), toId: (file) => pathToUri(file) };
}

/** The chart settings as the front ends take them: values files as URIs, relative paths against the first workspace folder. */
export function frontEndSettings(helm: { readonly valuesFiles: readonly string[]; readonly kubeVersion?: string }, roots: readonly string[]): FrontEndSettings {
  const root = roots[0];
  const valuesFiles = helm.valuesFiles.flatMap((file) => (path.isAbsolute(file) ? [pathToUri(file)] : root ? [pathToUri(path.resolve(root, file))] : []));
  return { valuesFiles, kubeVersion: helm.kubeVersion };
}

/** The path with symbolic links resolved; the path itself when it does not exist (yet). */
function realOr(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
