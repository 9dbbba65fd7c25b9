/** Which workspace files are not analysed: shared by the CLI and the language server. */
import picomatch from 'picomatch';

/** Folders never searched for YAML: dependencies and version-control data. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * One predicate for a list of globs, compiled once. Globs use picomatch's (bash-like) syntax and
 * are matched against `/`-separated paths relative to the workspace root, dot files included; a
 * glob that matches a folder also matches everything below it (`vendor` ignores `vendor/a.yaml`).
 */
export function ignoreMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  if (globs.length === 0) return () => false;
  const matches = picomatch([...globs], { dot: true });
  return (relativePath) => {
    for (let candidate = relativePath; candidate.length > 0; candidate = candidate.slice(0, Math.max(0, candidate.lastIndexOf('/')))) {
      if (matches(candidate)) return true;
    }
    return false;
  };
}
