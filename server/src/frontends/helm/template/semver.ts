/**
 * Semantic versions and constraints as Sprig's `semver` and `semverCompare` read them
 * (Masterminds/semver v3): `v1.2.3-pre+meta`, partial versions (`1.2`), and constraints with
 * `= != > < >= <= ~ ~> ^`, wildcards (`1.2.x`, `*`), hyphen ranges (`1.2 - 1.4`), `,`/space for
 * AND and `||` for OR. A version with a pre-release matches only a comparator that has one
 * (which is why charts write `>=1.21-0`).
 */

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: string;
  readonly metadata: string;
  readonly original: string;
}

const VERSION = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses a version; `undefined` when it is not one ("Invalid Semantic Version"). */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), prerelease: m[4] ?? '', metadata: m[5] ?? '', original: text };
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      if (Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return comparePrerelease(a.prerelease, b.prerelease);
}

interface Comparator {
  readonly op: string;
  readonly version: Version;
  /** Which parts were wildcards or missing: 0 = major, 1 = minor, 2 = patch, 3 = none. */
  readonly wild: number;
}

const COMPARATOR = /^\s*(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?(x|X|\*|[0-9]+)(?:\.(x|X|\*|[0-9]+))?(?:\.(x|X|\*|[0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-.]+))?\s*$/;

function parseComparator(text: string): Comparator {
  const m = COMPARATOR.exec(text);
  if (!m) throw new Error(`improper constraint: ${text}`);
  const parts = [m[2], m[3], m[4]];
  let wild = 3;
  for (let i = 0; i < 3; i++) {
    if (parts[i] === undefined || /^[xX*]$/.test(parts[i]!)) {
      wild = i;
      break;
    }
  }
  const num = (i: number) => (i < wild ? Number(parts[i]) : 0);
  const op = m[1] === '=>' ? '>=' : m[1] === '=<' ? '<=' : m[1] === '~>' ? '~' : (m[1] ?? '=');
  return { op, wild, version: { major: num(0), minor: num(1), patch: num(2), prerelease: m[5] ?? '', metadata: m[6] ?? '', original: text } };
}

function matches(c: Comparator, v: Version): boolean {
  // A pre-release version only satisfies comparators that carry a pre-release themselves.
  if (v.prerelease !== '' && c.version.prerelease === '') return false;
  const cmp = compareVersions(v, c.version);
  const base = c.version;
  const upper = (level: number): Version => {
    if (level <= 0) return { ...base, major: base.major + 1, minor: 0, patch: 0, prerelease: '' };
    if (level === 1) return { ...base, minor: base.minor + 1, patch: 0, prerelease: '' };
    return { ...base, patch: base.patch + 1, prerelease: '' };
  };
  const lt = (a: Version, b: Version) => compareVersions(a, b) < 0;
  switch (c.op) {
    case '=':
      if (c.wild < 3) return !lt(v, base) && lt(v, upper(c.wild - 1));
      return cmp === 0;
    case '!=':
      if (c.wild < 3) return lt(v, base) || !lt(v, upper(c.wild - 1));
      return cmp !== 0;
    case '>':
      if (c.wild < 3) return !lt(v, upper(c.wild - 1));
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '<':
      return cmp < 0;
    case '<=':
      if (c.wild < 3) return lt(v, upper(c.wild - 1));
      return cmp <= 0;
    case '~':
      // ~1.2.3 is >=1.2.3 <1.3.0; ~1 is >=1 <2.
      return cmp >= 0 && lt(v, upper(c.wild <= 1 ? 0 : 1));
    case '^':
      // ^1.2.3 is >=1.2.3 <2.0.0; ^0.2.3 is >=0.2.3 <0.3.0; ^0.0.3 is >=0.0.3 <0.0.4.
      if (base.major > 0 || c.wild <= 1) return cmp >= 0 && lt(v, upper(0));
      if (base.minor > 0 || c.wild <= 2) return cmp >= 0 && lt(v, upper(1));
      return cmp >= 0 && lt(v, upper(2));
  }
  return false;
}

/** Whether `version` satisfies `constraint`; throws with Masterminds' wording when either does not parse. */
export function satisfies(constraint: string, version: string): boolean {
  const v = parseVersion(version);
  if (!v) throw new Error('Invalid Semantic Version');
  return constraint.split('||').some((group) => {
    let text = group.trim();
    // Hyphen ranges: "1.2 - 1.4" is ">=1.2 <=1.4".
    text = text.replace(/(\S+)\s+-\s+(\S+)/g, '>=$1 <=$2').replace(/(!=|>=|=>|<=|=<|~>|[=><~^])\s+/g, '$1');
    const parts = text
      .split(/\s*,\s*|\s+(?=[=!<>~^vx*0-9])/)
      .map((p) => p.trim())
      .filter((p) => p !== '');
    return parts.length > 0 && parts.every((p) => matches(parseComparator(p), v));
  });
}
