import type { OffsetRange } from '../core/types';

/** One `${…}` expression of compose interpolation. */
export interface Interpolation {
  readonly variable: string;
  /** `:-` `-` (default), `:?` `?` (required), `:+` `+` (alternative), or '' for a plain `${VAR}`. */
  readonly operator: '' | ':-' | '-' | ':?' | '?' | ':+' | '+';
  readonly argument: string;
  /** Range of the whole `${…}` in the text. */
  readonly range: OffsetRange;
}

const EXPRESSION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g;

/**
 * Finds interpolations in `source` (the raw text of a scalar as written) starting at `offset`.
 * `$${…}` is an escaped dollar and is skipped, as compose does.
 */
export function findInterpolations(source: string, offset: number): Interpolation[] {
  const found: Interpolation[] = [];
  EXPRESSION.lastIndex = 0;
  for (let match = EXPRESSION.exec(source); match; match = EXPRESSION.exec(source)) {
    if (match.index > 0 && source[match.index - 1] === '$') continue;
    found.push({
      variable: match[1],
      operator: (match[2] ?? '') as Interpolation['operator'],
      argument: match[3] ?? '',
      range: { start: offset + match.index, end: offset + match.index + match[0].length },
    });
  }
  return found;
}
