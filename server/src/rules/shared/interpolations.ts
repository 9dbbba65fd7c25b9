import type { Scalar } from '../../core/yaml';
import { forEachScalar, rangeOf } from '../../core/tree';
import type { Fix } from '../../core/types';
import type { ComposeModel } from '../../model/compose';
import { findInterpolations, type Interpolation } from '../../model/interpolation';
import { isSecretName } from '../../model/names';

/** A `${VAR:-x}` or `${VAR-x}` in a compose file: what is used when the variable is unset. */
export interface DefaultedInterpolation {
  readonly interpolation: Interpolation;
  readonly scalar: Scalar;
  /** The key whose value holds it (`POSTGRES_PASSWORD` in `POSTGRES_PASSWORD: ${PG:-x}`). */
  readonly key?: string;
  /** The scalar as written. */
  readonly source: string;
  /** The interpolation is the whole value, so the key names what it sets. */
  readonly wholeValue: boolean;
}

/** Every interpolation with a default in a compose file, in document order. */
export function defaultedInterpolations(model: ComposeModel): DefaultedInterpolation[] {
  const text = model.tree.text;
  const found: DefaultedInterpolation[] = [];
  forEachScalar(model.root, (scalar, key) => {
    const range = rangeOf(scalar);
    if (!range || typeof scalar.value !== 'string' || !scalar.value.includes('${')) return;
    const source = text.slice(range.start, range.end);
    for (const interpolation of findInterpolations(source, range.start)) {
      if (interpolation.operator !== ':-' && interpolation.operator !== '-') continue;
      const wholeValue = source.trim() === text.slice(interpolation.range.start, interpolation.range.end);
      found.push({ interpolation, scalar, key, source, wholeValue });
    }
  });
  return found;
}

/** The default stands in for a secret: the variable or the key it sets is named like one (FF001's). */
export function defaultsASecret({ interpolation, key, source }: DefaultedInterpolation): boolean {
  return isSecretName(interpolation.variable) || (key !== undefined && isSecretName(key) && source.trim().startsWith('${'));
}

/** `${VAR:-x}` → `${VAR:?VAR must be set}`: compose then refuses to start without it. */
export function requireVariable(interpolation: Interpolation): Fix[] {
  const { variable } = interpolation;
  return [{ title: `Require ${variable} (\${${variable}:?…})`, edits: [{ ...interpolation.range, newText: `\${${variable}:?${variable} must be set}` }], safe: true }];
}
