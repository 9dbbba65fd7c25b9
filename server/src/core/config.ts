import { isMap, isScalar, isSeq, parseDocument, type Node } from './yaml';
import { rangeOf } from './tree';
import { defaultOptions, DEFAULT_THRESHOLDS, TRUST_LEVELS, SEVERITIES_AND_OFF, type AnalysisOptions, type RuleSetting, type Thresholds, type TrustLevel } from './options';
import type { OffsetRange, Severity } from './types';

/** A problem in `.sbd.yaml`, with where it is. */
export interface ConfigProblem {
  readonly message: string;
  readonly range: OffsetRange;
}

export interface ProjectConfig {
  readonly options: AnalysisOptions;
  /** Glob patterns of files not to analyse. */
  readonly ignore: readonly string[];
  /** Where the architecture model lives (relative to the config file). */
  readonly architecture: readonly string[];
  /** `profile:` — a rule profile id (rules/standards.ts); the command line's `--profile` wins. */
  readonly profile?: string;
}

export type ConfigResult = { ok: true; config: ProjectConfig } | { ok: false; problems: ConfigProblem[] };

const TOP_LEVEL_KEYS = ['rules', 'thresholds', 'zones', 'ignore', 'architecture', 'maxFileBytes', 'profile'];

/**
 * Parses and validates `.sbd.yaml`. Invalid configuration fails as a whole with every problem
 * and its place: a silently half-applied config would hide findings (Fail-Fast, for ourselves).
 */
export function parseConfig(text: string, knownRuleIds: ReadonlySet<string>, base: AnalysisOptions = defaultOptions(), knownProfiles: readonly string[] = []): ConfigResult {
  const problems: ConfigProblem[] = [];
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  // The parser may place an error just past the end of the text (an unclosed `{`); keep ranges inside it.
  for (const error of document.errors) problems.push({ message: error.message.split('\n')[0], range: { start: Math.min(error.pos[0], text.length), end: Math.min(error.pos[1], text.length) } });
  if (problems.length > 0) return { ok: false, problems };
  const root = document.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return { ok: true, config: { options: base, ignore: [], architecture: [] } };
  if (!isMap(root)) return { ok: false, problems: [{ message: 'the configuration must be a map of settings (rules, thresholds, zones, ignore, architecture, maxFileBytes)', range: rangeOf(root) ?? { start: 0, end: 0 } }] };

  const rules: Record<string, RuleSetting> = { ...base.rules };
  let thresholds: Thresholds = base.thresholds;
  const namespaceZones: Record<string, TrustLevel> = { ...base.namespaceZones };
  const networkZones: Record<string, TrustLevel> = { ...base.networkZones };
  const ignore: string[] = [];
  const architecture: string[] = [];
  let maxFileBytes = base.maxFileBytes;
  let profile: string | undefined;
  const problem = (node: unknown, message: string) => problems.push({ message, range: rangeOf(node) ?? { start: 0, end: 0 } });

  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    switch (key) {
      case 'rules':
        readRules(value, knownRuleIds, rules, problem);
        break;
      case 'thresholds':
        thresholds = readThresholds(value, thresholds, problem);
        break;
      case 'zones':
        readZones(value, namespaceZones, networkZones, problem);
        break;
      case 'ignore':
        readStrings(value, ignore, 'ignore', problem);
        break;
      case 'architecture':
        if (isScalar(value) && typeof value.value === 'string') architecture.push(value.value);
        else readStrings(value, architecture, 'architecture', problem);
        break;
      case 'maxFileBytes':
        if (isScalar(value) && typeof value.value === 'number' && Number.isInteger(value.value) && value.value > 0) maxFileBytes = value.value;
        else problem(value ?? pair.key, 'maxFileBytes must be a positive whole number of bytes, e.g. 10485760');
        break;
      case 'profile':
        if (isScalar(value) && typeof value.value === 'string' && knownProfiles.includes(value.value)) profile = value.value;
        else problem(value ?? pair.key, `profile must be one of ${knownProfiles.join(', ')}`);
        break;
      default:
        problem(pair.key, `unknown setting "${key}"; expected one of ${TOP_LEVEL_KEYS.join(', ')}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { options: { ...base, rules, thresholds, namespaceZones, networkZones, maxFileBytes }, ignore, architecture, profile } };
}

type Report = (node: unknown, message: string) => void;

function readRules(value: Node | null, known: ReadonlySet<string>, rules: Record<string, RuleSetting>, problem: Report): void {
  if (!isMap(value)) return problem(value, 'rules must map rule ids to off, error, warning or info, e.g. `IMM003: off`');
  for (const pair of value.items) {
    const id = isScalar(pair.key) ? String(pair.key.value).toUpperCase() : '';
    if (!known.has(id)) {
      problem(pair.key, `unknown rule "${isScalar(pair.key) ? String(pair.key.value) : '?'}" (run \`sbd rules\` for the list)`);
      continue;
    }
    const setting = pair.value as Node | null;
    const text = isScalar(setting) ? (setting.value === false ? 'off' : setting.value === true ? 'on' : String(setting.value)) : '';
    if (text === 'off') rules[id] = { enabled: false };
    else if (text === 'on') rules[id] = { enabled: true };
    else if ((SEVERITIES_AND_OFF as readonly string[]).includes(text)) rules[id] = { enabled: true, severity: text as Severity };
    else problem(setting ?? pair.key, `rule ${id}: "${text}" is not one of off, on, error, warning, info`);
  }
}

function readThresholds(value: Node | null, current: Thresholds, problem: Report): Thresholds {
  if (!isMap(value)) {
    problem(value, 'thresholds must be a map, e.g. `secretHolders: 3`');
    return current;
  }
  const next: Record<string, number> = { ...current };
  for (const pair of value.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const setting = pair.value as Node | null;
    if (!(key in DEFAULT_THRESHOLDS)) {
      problem(pair.key, `unknown threshold "${key}"; expected one of ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}`);
      continue;
    }
    if (isScalar(setting) && typeof setting.value === 'number' && Number.isInteger(setting.value) && setting.value >= 1) next[key] = setting.value;
    else problem(setting ?? pair.key, `threshold ${key} must be a whole number of at least 1`);
  }
  return next as unknown as Thresholds;
}

function readZones(value: Node | null, namespaces: Record<string, TrustLevel>, networks: Record<string, TrustLevel>, problem: Report): void {
  if (!isMap(value)) return problem(value, 'zones must be a map with `namespaces:` and/or `networks:`, each mapping a name to a trust level');
  for (const pair of value.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const target = key === 'namespaces' ? namespaces : key === 'networks' ? networks : undefined;
    if (!target) {
      problem(pair.key, `unknown zones entry "${key}"; expected namespaces or networks`);
      continue;
    }
    if (!isMap(pair.value)) {
      problem(pair.value ?? pair.key, `zones.${key} must map names to a trust level (${TRUST_LEVELS.join(', ')})`);
      continue;
    }
    for (const entry of pair.value.items) {
      const name = isScalar(entry.key) ? String(entry.key.value) : '';
      const level = isScalar(entry.value) ? String(entry.value.value) : '';
      if ((TRUST_LEVELS as readonly string[]).includes(level)) target[name] = level as TrustLevel;
      else problem(entry.value ?? entry.key, `trust level "${level}" for ${name} is not one of ${TRUST_LEVELS.join(', ')}`);
    }
  }
}

function readStrings(value: Node | null, into: string[], name: string, problem: Report): void {
  if (!isSeq(value)) return problem(value, `${name} must be a list of strings`);
  for (const item of value.items) {
    if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') into.push(item.value);
    else problem(item, `${name} entries must be non-empty strings`);
  }
}
