import { joinPath, normalizePath, type SourceFiles } from '../files';
import { KUSTOMIZATION_FILE_NAMES, type FileRole, type KustomizeBuild } from './build';

/** Whether a file name (the last path segment) is one Kustomize reads as a kustomization. */
export function isKustomizationFileName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(name);
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', '.terraform']);

/**
 * Folders under `root` that hold a kustomization file, sorted, found breadth-first without
 * entering version-control, dependency or hidden folders. Bounded: at most `maxFolders` folders
 * are listed (a huge tree yields the kustomizations found so far).
 */
export function findKustomizations(files: SourceFiles, root: string, maxFolders = 20_000): string[] {
  const found: string[] = [];
  const queue = [normalizePath(root)];
  let listed = 0;
  while (queue.length > 0 && listed < maxFolders) {
    const folder = queue.shift()!;
    const entries = files.list(folder);
    listed++;
    if (!entries) continue;
    if (entries.some((entry) => isKustomizationFileName(entry))) found.push(folder);
    for (const entry of entries) {
      if (!entry.endsWith('/')) continue;
      const name = entry.slice(0, -1);
      if (SKIPPED_FOLDERS.has(name) || name.startsWith('.')) continue;
      queue.push(joinPath(folder, name));
    }
  }
  return found.sort();
}

/** What each file is to the kustomizations built: every role it plays, and the builds it plays it in. */
export type FileRoles = ReadonlyMap<string, { readonly roles: readonly FileRole[]; readonly builds: readonly string[] }>;

/**
 * Merges the roles of several builds. The analysis skips, as standalone input, files that are a
 * `patch`, a `kustomization`/`component` or a `generator-input` anywhere; a `resource` file is a
 * plain manifest of a base and may still be analysed on its own (its findings then also appear,
 * mapped to the same lines, in every build that includes it).
 */
export function kustomizeFileRoles(builds: readonly KustomizeBuild[]): FileRoles {
  const out = new Map<string, { roles: Set<FileRole>; builds: Set<string> }>();
  for (const build of builds) {
    for (const [path, roles] of build.roles) {
      const entry = out.get(path) ?? { roles: new Set<FileRole>(), builds: new Set<string>() };
      for (const role of roles) entry.roles.add(role);
      entry.builds.add(build.folder);
      out.set(path, entry);
    }
  }
  return new Map([...out].map(([path, entry]) => [path, { roles: [...entry.roles].sort(), builds: [...entry.builds].sort() }]));
}
