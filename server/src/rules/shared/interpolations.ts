import type { Scalar } from '../../core/yaml';
import { forEachScalar, rangeOf } from '../../core/tree';
import type { Fix } from '../../core/types';
import type { ComposeModel, ComposeService } from '../../model/compose';
import { findInterpolations, type Interpolation } from '../../model/interpolation';
import { isCredentialName } from '../../model/names';
import { perObject } from '../../model/perObject';

/** A `${VAR:-x}` or `${VAR-x}` in a compose file: what is used when the variable is unset. */
export interface DefaultedInterpolation {
  readonly interpolation: Interpolation;
  readonly scalar: Scalar;
  /** The key whose value holds it (`POSTGRES_PASSWORD` in `POSTGRES_PASSWORD: ${PG:-x}`, or in `- POSTGRES_PASSWORD=${PG:-x}`). */
  readonly key?: string;
  /** The scalar as written. */
  readonly source: string;
  /** The interpolation is the whole value, so the key names what it sets. */
  readonly wholeValue: boolean;
  /** The service whose definition holds it; undefined in an `x-` block or at the top level. */
  readonly service?: ComposeService;
}

/** Every interpolation with a default in a compose file, in document order (read once per model). */
export const defaultedInterpolations: (model: ComposeModel) => readonly DefaultedInterpolation[] = perObject(readDefaulted);

function readDefaulted(model: ComposeModel): DefaultedInterpolation[] {
  const text = model.tree.text;
  const found: DefaultedInterpolation[] = [];
  const serviceAt = serviceLocator(model.services);
  forEachScalarWithMark(model.root, text, (scalar, mapKey) => {
    const range = rangeOf(scalar);
    if (!range || typeof scalar.value !== 'string' || !scalar.value.includes('${')) return;
    let source = text.slice(range.start, range.end);
    let offset = range.start;
    let key = mapKey;
    // `- NAME=${VAR:-x}` in a list-form environment (or build args): the name is the key.
    const assignment = /^(["']?)([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(source);
    if (assignment) {
      key = assignment[2];
      offset += assignment[0].length;
      source = source.slice(assignment[0].length).replace(/["']$/, '');
    }
    for (const interpolation of findInterpolations(source, offset)) {
      if (interpolation.operator !== ':-' && interpolation.operator !== '-') continue;
      const wholeValue = source.trim() === text.slice(interpolation.range.start, interpolation.range.end);
      found.push({ interpolation, scalar, key, source, wholeValue, service: serviceAt(range.start) });
    }
  });
  return found;
}

/**
 * `forEachScalar` (core/tree.ts) over the scalars whose source text may hold `${`: a collection
 * whose text holds none is skipped whole. Interpolations are read from a scalar's source text, so
 * the scalars skipped are ones `readDefaulted` finds nothing in; the others are visited in the same
 * order, with the same keys. A keystroke in a 500-service file then walks the few collections with
 * an interpolation instead of every node.
 */
function forEachScalarWithMark(root: unknown, text: string, visit: (scalar: Scalar, key: string | undefined) => void): void {
  const marks: number[] = [];
  for (let at = text.indexOf('${'); at !== -1; at = text.indexOf('${', at + 1)) marks.push(at);
  if (marks.length === 0) return;
  /** Whether a mark starts in [start, end): the first mark at or after `start`, by binary search. */
  const holdsMark = (start: number, end: number) => {
    let low = 0;
    let high = marks.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (marks[middle] < start) low = middle + 1;
      else high = middle;
    }
    return low < marks.length && marks[low] < end;
  };
  const mayHold = (node: unknown) => {
    const range = (node as { range?: [number, number, number] | null } | null)?.range;
    return !range || holdsMark(range[0], range[2]);
  };
  forEachScalar(root, visit, mayHold);
}

/**
 * The first service (in `services` order) whose definition holds an offset. Definitions of a
 * plain file follow one another, so a binary search finds it; definitions that overlap (one
 * service's map reused by another through an alias) are searched in order.
 */
function serviceLocator(services: readonly ComposeService[]): (offset: number) => ComposeService | undefined {
  const linear = (offset: number) => services.find((service) => service.node?.range && offset >= service.node.range[0] && offset < service.node.range[2]);
  const spans = services.flatMap((service) => (service.node?.range ? [{ start: service.node.range[0], end: service.node.range[2], service }] : []));
  for (let i = 1; i < spans.length; i++) if (spans[i].start < spans[i - 1].end) return linear;
  return (offset) => {
    let low = 0;
    let high = spans.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const span = spans[middle];
      if (offset < span.start) high = middle - 1;
      else if (offset >= span.end) low = middle + 1;
      else return span.service;
    }
    return undefined;
  };
}

/** Every name set or interpolated in the file: the siblings that tell an access key id from a secret. */
export const namesInFile: (model: ComposeModel) => ReadonlySet<string> = perObject((model: ComposeModel) => {
  const names = new Set<string>();
  for (const service of model.services) for (const variable of service.environment) names.add(variable.name);
  for (const defaulted of defaultedInterpolations(model)) names.add(defaulted.interpolation.variable);
  return names;
});

/**
 * The default stands in for a credential: the variable, or the key it alone sets, names one
 * (`DB_PASSWORD`, not `PASSWORD_HASH_SCHEME`, `ALLOW_EMPTY_PASSWORD` or an access key id beside its
 * secret key). FF001's question; FF002 stays out of its way.
 */
export function defaultsASecret(defaulted: DefaultedInterpolation, siblings: ReadonlySet<string>): boolean {
  const { interpolation, key, wholeValue } = defaulted;
  if (isCredentialName(interpolation.variable, siblings)) return key === undefined || !wholeValue || isCredentialName(key, siblings) || !isSettingKey(key);
  return key !== undefined && wholeValue && isCredentialName(key, siblings);
}

/** A key that names a setting about a credential, whatever variable feeds it (`HASH_SCHEME=${PASSWORD_HASH_SCHEME:-…}`). */
function isSettingKey(key: string): boolean {
  return /(?:^|[_.-])(?:SCHEME|ALGORITHM|TYPE|MODE|METHOD|FORMAT|LENGTH|ENABLED?|DISABLED?|ALLOW\w*)(?:$|[_.-])/i.test(key);
}

/**
 * `${VAR:-x}` → `${VAR:?VAR must be set}` at every place given (one variable used by several
 * services is one finding): compose then refuses to start without it. It changes what happens when
 * the variable is missing, so it is offered one by one, never in bulk.
 */
export function requireVariable(interpolation: Interpolation, ...others: readonly Interpolation[]): Fix[] {
  const all = [interpolation, ...others];
  const names = [...new Set(all.map((each) => each.variable))];
  const edits = all.map((each) => ({ ...each.range, newText: `\${${each.variable}:?${each.variable} must be set}` }));
  return [{ title: `Require ${names.join(' and ')} (\${${names[0]}:?…})`, edits, safe: false }];
}
