import type { OffsetRange } from '../../core/types';

/**
 * A problem found while building a kustomization. `error` means the build failed and yields no
 * objects (a partial build could hide what a patch hardened); `warning` means the build went on
 * without something it could not use (a remote base, a field this builder does not apply), so the
 * objects may differ from `kustomize build`.
 */
export interface KustomizeProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** The file the problem is about, and where in it (the kustomization line that named the missing file, the bad patch). */
  readonly file: string;
  readonly range: OffsetRange;
  readonly code: KustomizeProblemCode;
}

export type KustomizeProblemCode =
  | 'missing-file'
  | 'invalid-kustomization'
  | 'invalid-resource'
  | 'yaml-error'
  | 'cycle'
  | 'too-deep'
  | 'too-large'
  | 'patch-failed'
  | 'no-patch-target'
  | 'conflict'
  | 'remote-not-analysed'
  | 'not-supported'
  | 'outside-root';

/** A failure inside a transformer; the builder adds the file and range of the kustomization entry that caused it. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly code: KustomizeProblemCode = 'patch-failed',
    readonly at?: { readonly file: string; readonly range: OffsetRange },
  ) {
    super(message);
  }
}
