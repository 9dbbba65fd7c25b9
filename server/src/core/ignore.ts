/** Which workspace files are not analysed: shared by the CLI and the language server. */

/** Folders never searched for YAML: dependencies and version-control data. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * `**`, `*` and `?` globs matched against `/`-separated paths relative to the workspace root;
 * a glob naming a folder also matches everything below it.
 */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      i++;
      // `**/` is any number of whole folders, so `**/templates` does not match `mytemplates`.
      if (glob[i + 1] === '/') {
        i++;
        pattern += '(?:.*/)?';
      } else pattern += '.*';
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^(?:${pattern})(?:/.*)?$`);
}

/** One predicate for a list of globs, compiled once. */
export function ignoreMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  const patterns = globs.map(globToRegExp);
  return (relativePath) => patterns.some((pattern) => pattern.test(relativePath));
}
