import * as path from 'node:path';
import type { FrontEndHost, FrontEndSettings } from '../analysis/frontEnds';
import type { SourceFiles } from '../frontends/files';
import { confinedTo, listFolder, readRegularFile } from '../host/disk';
import { pathToUri, uriToPath } from './convert';

/**
 * What charts and overlays read in the editor: an open buffer's text first (a values edit
 * re-renders before it is saved), the disk second, and nothing outside the workspace folders (a
 * hostile chart's `.Files.Get "../../.ssh/id_rsa"` reads nothing). Ids are URIs, paths absolute.
 */
export function editorHost(openText: (uri: string) => string | undefined, roots: () => readonly string[], maxFileBytes: () => number): FrontEndHost {
  const inside = confinedTo(roots);
  const files: SourceFiles = {
    read(file) {
      const native = path.resolve(file);
      const open = openText(pathToUri(native));
      if (open !== undefined) return open;
      if (!inside(native)) return undefined;
      const result = readRegularFile(native, maxFileBytes());
      return result.ok && !result.overLimit ? result.text : undefined;
    },
    list(folder) {
      const native = path.resolve(folder);
      return inside(native) ? listFolder(native) : undefined;
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
