import { execFileSync } from 'node:child_process';

/**
 * The one place the product runs another program: `git`, for `sbd scan --changed`. It runs
 * read-only subcommands with fixed arguments, without a shell, in the working folder; the only
 * user input is the `--since` ref, which is refused when it could be read as an option and is
 * passed before `--`, where git reads it as a revision.
 */
export class GitError extends Error {}

const MAX_OUTPUT = 64 * 1024 * 1024;

function git(args: readonly string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', shell: false, maxBuffer: MAX_OUTPUT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new GitError('--changed needs git, and git is not installed');
    const reason = String(failure.stderr ?? failure.message).trim().split('\n')[0];
    throw new GitError(`git ${args[0]} failed: ${reason}`);
  }
}

/**
 * Files changed in the working folder's repository, relative to `cwd`, `/`-separated, deleted
 * ones left out. Without `since`: changes against HEAD (staged, unstaged) plus untracked files.
 * With `since`: everything that differs from the merge base of `since` and the working tree, as
 * a pull request shows it (`git diff --merge-base`; a shallow clone needs the base's history).
 */
export function changedFiles(cwd: string, since?: string): string[] {
  if (since !== undefined && (since === '' || since.startsWith('-') || /[\u0000-\u001f]/.test(since))) throw new GitError(`--since "${since}" is not a git revision`);
  const diff = since === undefined ? ['diff', '--name-only', '-z', '--relative', '--diff-filter=d', 'HEAD', '--'] : ['diff', '--name-only', '-z', '--relative', '--diff-filter=d', '--merge-base', since, '--'];
  const changed = git(diff, cwd).split('\u0000');
  const untracked = since === undefined ? git(['ls-files', '-z', '--others', '--exclude-standard'], cwd).split('\u0000') : [];
  return [...new Set([...changed, ...untracked].filter((file) => file !== ''))].sort();
}
