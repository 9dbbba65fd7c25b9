/** Which workspace files are not analysed: shared by the CLI and the language server. */
import picomatch from 'picomatch';

/** Folders never searched for YAML: dependencies and version-control data. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * One predicate for a list of globs, compiled once. Globs use picomatch's (bash-like) syntax and
 * are matched against `/`-separated paths relative to the workspace root, dot files included; a
 * glob that matches a folder also matches everything below it (`vendor` ignores `vendor/a.yaml`).
 * Globs must have passed the configuration reader (at most two `*` per path segment, no extglobs),
 * which keeps matching cheap on any file name.
 */
export function ignoreMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  if (globs.length === 0) return () => false;
  // Extglobs nest quantifiers (catastrophic backtracking); the configuration refuses them, and so does the matcher.
  const matches = picomatch([...globs], { dot: true, noextglob: true });
  return (relativePath) => {
    for (let candidate = relativePath; candidate.length > 0; candidate = candidate.slice(0, Math.max(0, candidate.lastIndexOf('/')))) {
      if (matches(candidate)) return true;
    }
    return false;
  };
}
