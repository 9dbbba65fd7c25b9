import { isMap, isScalar, isSeq, parseDocument, type Node } from './yaml';
import { rangeOf } from './tree';
import { utf8ByteLength } from './utf8';
import { DEFAULT_MAX_FILE_BYTES, TRUST_LEVELS, type AnalysisOptions, type RuleSetting, type TrustLevel } from './options';
import type { OffsetRange, Severity } from './types';

/**
 * The configuration schema: every key of `.sbd.yaml` and of the editor settings (`secureByDesign.*`)
 * described once — type, bounds, default, what a problem message says — and one reader that
 * applies that description to both sources. The extension manifest, the client's `.sbd.yaml`
 * template and the README's settings table are generated from it (`npm run docs`).
 *
 * Configuration comes from the repository, so reading it is bounded: text size, nesting, entries
 * per map, glob length and wildcards, and the number of problems reported.
 */

/** Where a key may be set: the project's `.sbd.yaml`, the editor's settings, or both. */
export type SettingHost = 'project' | 'editor';

/** A rule level as written: off, on (the rule's own severity) or a severity. */
export type RuleLevel = 'off' | 'on' | Severity;
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'on', 'error', 'warning', 'info'];
export const RULE_LEVEL_DESCRIPTIONS: Readonly<Record<RuleLevel, string>> = {
  off: 'Do not report this rule.',
  on: "Report with the rule's own severity.",
  error: 'Report as an error.',
  warning: 'Report as a warning.',
  info: 'Report as information.',
};

/**
 * A numeric threshold a rule declares (kube-linter's template parameters): the key under
 * `thresholds:`, its default and bounds, what it counts and what it means. Rules own these; the
 * configuration reader receives them through `ConfigContext`.
 */
export interface ThresholdParameter {
  readonly name: string;
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
  /** What is counted, plural: `holders`, `components`. */
  readonly unit: string;
  /** One sentence for settings UIs and docs. */
  readonly description: string;
}

/** One value a choice setting may take, with what it means (for settings UIs and docs). */
export interface Choice {
  readonly value: string;
  readonly description: string;
}

/** What the schema needs to know that only the rules know. */
export interface ConfigContext {
  readonly ruleIds: ReadonlySet<string>;
  readonly parameters: readonly ThresholdParameter[];
  /** The rule profiles (standards mapped to rules) a `profile:` may name. */
  readonly profiles: readonly Choice[];
}

interface SpecBase {
  readonly key: string;
  readonly hosts: readonly SettingHost[];
  /** Markdown, for the manifest and the README. */
  readonly description: string;
  /** The value as a `.sbd.yaml` example (YAML after `key:`), for the generated template; absent for editor-only keys. */
  readonly example?: string;
}

export type SettingSpec =
  | (SpecBase & { readonly type: 'boolean'; readonly default: boolean })
  | (SpecBase & { readonly type: 'integer' | 'number'; readonly default: number; readonly editorDefault?: number; readonly minimum: number; readonly maximum: number; readonly unit: string })
  | (SpecBase & { readonly type: 'rules' })
  | (SpecBase & { readonly type: 'thresholds' })
  | (SpecBase & { readonly type: 'zones'; readonly groups: Readonly<Record<'namespaces' | 'networks', string>> })
  | (SpecBase & { readonly type: 'strings'; readonly maxItems: number; readonly maxLength: number; readonly maxWildcards?: number; readonly globs?: boolean; readonly orOne?: boolean })
  /** One of a fixed list, or of the rules' profiles (`choices: 'profiles'`, known only to the rules). */
  | (SpecBase & { readonly type: 'choice'; readonly choices: readonly Choice[] | 'profiles'; readonly default?: string })
  /** How Helm charts are rendered: extra values files and the Kubernetes version `.Capabilities` reports. */
  | (SpecBase & { readonly type: 'helm'; readonly fields: Readonly<Record<keyof HelmSettings, string>>; readonly maxItems: number; readonly maxLength: number });

/** `helm:` — how charts are rendered (see the `helm` entry of SETTINGS). */
export interface HelmSettings {
  /** Values files merged over each chart's values.yaml in order, like `helm -f`; paths relative to the workspace root (`.sbd.yaml`'s folder). */
  readonly valuesFiles?: readonly string[];
  /** `.Capabilities.KubeVersion`, `v1.30.0` or `1.30`. */
  readonly kubeVersion?: string;
}

/** A Kubernetes version as `helm template --kube-version` takes it: `1.30`, `v1.30.2`. */
export const KUBE_VERSION_PATTERN = '^v?\\d+\\.\\d+(\\.\\d+)?$';

/** How much configuration may cost: beyond these a source is refused with a message saying so. */
export const CONFIG_LIMITS = {
  /** Bytes of `.sbd.yaml`. */
  textBytes: 64 * 1024,
  /** `[`/`{` nesting of the text (the YAML parser recurses per level). */
  flowDepth: 16,
  /** Entries of one map (zones of a group, rule overrides). */
  entries: 1000,
  /** Problems listed; the rest are counted. */
  problems: 50,
} as const;

const MIB = 1024 * 1024;

export const SETTINGS: readonly SettingSpec[] = [
  { key: 'enable', hosts: ['editor'], type: 'boolean', default: true, description: 'Analyse Docker Compose files, Kubernetes manifests and architecture models while you type. Turning it off stops the language server.' },
  {
    key: 'rules',
    hosts: ['project', 'editor'],
    type: 'rules',
    description: 'Per-rule overrides: rule id → `off`, `on`, `error`, `warning` or `info`, e.g. `{ "IMM001": "warning" }`. A project\'s `.sbd.yaml` applies on top of the editor\'s.',
    example: '\n  IMM001: warning\n  BND004: off',
  },
  { key: 'thresholds', hosts: ['project', 'editor'], type: 'thresholds', description: 'Limits behind the counting rules; unset ones keep their defaults.' },
  {
    key: 'zones',
    hosts: ['project', 'editor'],
    type: 'zones',
    groups: { namespaces: 'Kubernetes namespace → trust level.', networks: 'Compose network → trust level.' },
    example: '\n  networks:\n    frontend: semi-trusted\n    backend: trusted\n  namespaces:\n    ingress-nginx: semi-trusted\n    payments: highly-trusted',
    description: 'Trust level of each Kubernetes namespace (`namespaces`) and compose network (`networks`), for the trust-boundary view and the boundary rules: `untrusted`, `semi-trusted`, `trusted` or `highly-trusted`.',
  },
  { key: 'ignore', hosts: ['project', 'editor'], type: 'strings', maxItems: 256, maxLength: 512, maxWildcards: 16, globs: true, example: '\n  - "charts/**/templates/**"', description: 'Glob patterns of files not to analyse, relative to the workspace root, e.g. `charts/**/templates/**`.' },
  { key: 'architecture', hosts: ['project'], type: 'strings', maxItems: 64, maxLength: 1024, orOne: true, example: ' architecture.yaml', description: 'Where the architecture model lives, relative to `.sbd.yaml`: one path or a list.' },
  {
    key: 'maxFileBytes',
    hosts: ['project', 'editor'],
    type: 'integer',
    default: DEFAULT_MAX_FILE_BYTES,
    editorDefault: 3 * MIB,
    minimum: 1024,
    maximum: 100 * MIB,
    unit: 'bytes',
    example: ' 10485760',
    description: 'Files larger than this are not analysed (a message says so). The editor defaults to 3 MiB so that opening a file never stalls it; the `sbd` CLI to 10 MiB.',
  },
  { key: 'debounceMs', hosts: ['editor'], type: 'number', default: 150, minimum: 0, maximum: 10000, unit: 'milliseconds', description: 'Milliseconds of quiet typing before a document is analysed again.' },
  {
    key: 'profile',
    hosts: ['project'],
    type: 'choice',
    choices: 'profiles',
    example: ' pss-restricted',
    description: 'Check only the rules a standard maps (docs/profiles.md), switching the others off; `rules:` applies on top. The command line\'s `--profile` wins.',
  },
  {
    key: 'helm',
    hosts: ['project', 'editor'],
    type: 'helm',
    maxItems: 64,
    maxLength: 1024,
    fields: {
      valuesFiles:
        'Values files merged over the chart\'s `values.yaml` in order, like `helm -f`, relative to the workspace root. A file inside a chart applies to that chart only; a file outside every chart applies to every chart.',
      kubeVersion: 'The Kubernetes version templates see as `.Capabilities.KubeVersion`, e.g. `1.30` (default 1.32).',
    },
    example: '\n  valuesFiles:\n    - deploy/values-production.yaml\n  kubeVersion: "1.30"',
    description: 'How Helm charts (folders with `Chart.yaml`) are rendered before they are checked: `valuesFiles` merged over each chart\'s `values.yaml` (like `helm -f`; `sbd scan --values` adds more) and the `kubeVersion` templates see.',
  },
  {
    key: 'baselinedFindings',
    hosts: ['editor'],
    type: 'choice',
    choices: [
      { value: 'hint', description: 'Show them as hints, so new findings stand out.' },
      { value: 'hide', description: 'Do not show them.' },
    ],
    default: 'hint',
    description: "How findings recorded in the workspace's `.sbd-baseline.json` (written by `sbd baseline`) are shown. New findings are always shown as usual.",
  },
];

/** The default a host applies to a key it reads (the editor analyses smaller files by default). */
export function settingDefault(spec: SettingSpec & { type: 'integer' | 'number' }, host: SettingHost): number {
  return host === 'editor' ? (spec.editorDefault ?? spec.default) : spec.default;
}

/** The values a choice setting allows: its own list, or the profiles the rules define. */
export function choicesOf(spec: SettingSpec & { type: 'choice' }, context: ConfigContext): readonly Choice[] {
  return spec.choices === 'profiles' ? context.profiles : spec.choices;
}

/** How the editor shows findings the workspace's baseline records. */
export type BaselinedFindings = 'hint' | 'hide';

/** What one valid source sets; keys it does not set are absent. Apply it on top of other options. */
export interface ConfigOverlay {
  readonly enable?: boolean;
  readonly debounceMs?: number;
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly thresholds?: Readonly<Record<string, number>>;
  readonly namespaceZones?: Readonly<Record<string, TrustLevel>>;
  readonly networkZones?: Readonly<Record<string, TrustLevel>>;
  readonly ignore?: readonly string[];
  readonly architecture?: readonly string[];
  readonly maxFileBytes?: number;
  /** A rule profile id; the host applies it under the rule overrides (rules/standards.ts). */
  readonly profile?: string;
  readonly baselinedFindings?: BaselinedFindings;
  readonly helm?: HelmSettings;
}

/** A problem in a configuration source; its message names the key as users write it. */
export interface ConfigProblem {
  readonly message: string;
  /** Where in `.sbd.yaml`; absent for editor settings. */
  readonly range?: OffsetRange;
}

export type ConfigResult = { ok: true; overlay: ConfigOverlay } | { ok: false; problems: ConfigProblem[] };

/**
 * `base` with `overlay` on top: rule overrides, thresholds and zones are merged name by name,
 * `maxFileBytes` is replaced. Ignore globs and the architecture path are the host's to combine.
 */
export function applyOverlay(base: AnalysisOptions, overlay: ConfigOverlay): AnalysisOptions {
  return {
    ...base,
    rules: overlay.rules ? { ...base.rules, ...overlay.rules } : base.rules,
    thresholds: overlay.thresholds ? { ...base.thresholds, ...overlay.thresholds } : base.thresholds,
    namespaceZones: overlay.namespaceZones ? { ...base.namespaceZones, ...overlay.namespaceZones } : base.namespaceZones,
    networkZones: overlay.networkZones ? { ...base.networkZones, ...overlay.networkZones } : base.networkZones,
    maxFileBytes: overlay.maxFileBytes ?? base.maxFileBytes,
  };
}

/**
 * Parses and validates `.sbd.yaml`. Invalid configuration fails as a whole with every problem and
 * its place: a silently half-applied configuration would hide findings (Fail-Fast, for ourselves).
 */
export function parseProjectConfig(text: string, context: ConfigContext): ConfigResult {
  const bytes = utf8ByteLength(text);
  if (bytes > CONFIG_LIMITS.textBytes) {
    return { ok: false, problems: [{ message: `the configuration is ${Math.ceil(bytes / 1024)} KB, over the ${CONFIG_LIMITS.textBytes / 1024} KB a configuration may have`, range: { start: 0, end: 0 } }] };
  }
  const deep = tooDeep(text);
  if (deep !== undefined) return { ok: false, problems: [{ message: `the configuration is nested more than ${CONFIG_LIMITS.flowDepth} levels deep`, range: { start: deep, end: deep } }] };
  // uniqueKeys: the parser's own check is quadratic; duplicates are found below in linear time.
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  // The parser may place an error just past the end of the text (an unclosed `{`); keep ranges inside it.
  const parseProblems = document.errors.map((error) => ({ message: error.message.split('\n')[0], range: { start: Math.min(error.pos[0], text.length), end: Math.min(error.pos[1], text.length) } }));
  if (parseProblems.length > 0) return { ok: false, problems: capped(parseProblems) };
  const root = document.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return { ok: true, overlay: {} };
  return readConfiguration(fromYaml(root, 0), 'project', context);
}

/** Validates editor settings (`secureByDesign.*` as the client sends them); unset keys take the editor's defaults. */
export function readEditorSettings(raw: unknown, context: ConfigContext): ConfigResult {
  if (raw === undefined || raw === null) raw = {};
  return readConfiguration(fromJson(raw, 0), 'editor', context);
}

// ---- the reader -------------------------------------------------------------------------------

/** A configuration value from either source: YAML nodes keep their ranges. */
interface ConfigNode {
  readonly type: 'map' | 'list' | 'string' | 'number' | 'boolean' | 'null' | 'other';
  readonly value?: string | number | boolean;
  readonly entries?: ReadonlyArray<{ readonly key: string; readonly keyRange?: OffsetRange; readonly node: ConfigNode; readonly duplicate?: boolean }>;
  readonly items?: readonly ConfigNode[];
  readonly range?: OffsetRange;
}

/** Deeper than this the schema has nothing, so nothing is read there. */
const MAX_NODE_DEPTH = 6;

function fromYaml(node: unknown, depth: number): ConfigNode {
  const range = rangeOf(node);
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return { type: 'null', range };
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { type: typeof value as 'string' | 'number' | 'boolean', value, range };
    return { type: 'other', range };
  }
  if (depth >= MAX_NODE_DEPTH) return { type: 'other', range };
  if (isMap(node)) {
    const seen = new Set<string>();
    const entries = node.items.slice(0, CONFIG_LIMITS.entries + 1).map((pair) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const duplicate = seen.has(key);
      seen.add(key);
      return { key, keyRange: rangeOf(pair.key), node: fromYaml(pair.value, depth + 1), duplicate };
    });
    return { type: 'map', entries, range };
  }
  if (isSeq(node)) return { type: 'list', items: node.items.slice(0, CONFIG_LIMITS.entries + 1).map((item) => fromYaml(item, depth + 1)), range };
  return { type: 'other', range };
}

function fromJson(value: unknown, depth: number): ConfigNode {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { type: typeof value as 'string' | 'number' | 'boolean', value };
  if (depth >= MAX_NODE_DEPTH) return { type: 'other' };
  if (Array.isArray(value)) return { type: 'list', items: value.slice(0, CONFIG_LIMITS.entries + 1).map((item) => fromJson(item, depth + 1)) };
  if (typeof value === 'object') return { type: 'map', entries: Object.entries(value as Record<string, unknown>).slice(0, CONFIG_LIMITS.entries + 1).map(([key, item]) => ({ key, node: fromJson(item, depth + 1) })) };
  return { type: 'other' };
}

/**
 * Reads a source against the schema. `host` decides which keys are allowed and how paths are
 * named in messages (`thresholds.secretHolders` in `.sbd.yaml`, `secureByDesign.thresholds.secretHolders`
 * in the editor).
 */
function readConfiguration(root: ConfigNode, host: SettingHost, context: ConfigContext): ConfigResult {
  const problems: ConfigProblem[] = [];
  const prefix = host === 'editor' ? 'secureByDesign.' : '';
  const problem = (node: ConfigNode | undefined, message: string, range?: OffsetRange) => problems.push({ message, range: range ?? node?.range ?? { start: 0, end: 0 } });
  const expected = (node: ConfigNode, path: string, what: string) => problem(node, `${prefix}${path} must be ${what}, got ${describe(node)}`);
  const known = SETTINGS.filter((spec) => spec.hosts.includes(host));
  if (root.type !== 'map') {
    problem(root, `the configuration must be a map of settings (${known.map((spec) => spec.key).join(', ')})`);
    return { ok: false, problems };
  }
  const overlay: { -readonly [K in keyof ConfigOverlay]: ConfigOverlay[K] } = {};
  for (const entry of root.entries ?? []) {
    const spec = SETTINGS.find((candidate) => candidate.key === entry.key);
    if (entry.duplicate) {
      problem(entry.node, `${prefix}${entry.key} is set twice; the later value would silently win`, entry.keyRange);
      continue;
    }
    if (!spec || !spec.hosts.includes(host)) {
      // Editor settings carry keys of the client's own (`trace.server`) and of older versions: not ours to judge.
      if (host === 'project') problem(entry.node, `unknown setting "${entry.key}"; expected one of ${known.map((candidate) => candidate.key).join(', ')}`, entry.keyRange);
      continue;
    }
    const node = entry.node;
    if (host === 'editor' && node.type === 'null') continue;
    switch (spec.type) {
      case 'boolean':
        if (node.type === 'boolean') (overlay as Record<string, unknown>)[spec.key] = node.value;
        else expected(node, spec.key, 'true or false');
        break;
      case 'integer':
      case 'number': {
        const value = node.value;
        const whole = spec.type === 'integer';
        if (node.type === 'number' && Number.isFinite(value) && (!whole || Number.isInteger(value)) && (value as number) >= spec.minimum && (value as number) <= spec.maximum) {
          (overlay as Record<string, unknown>)[spec.key] = value;
        } else expected(node, spec.key, `${whole ? 'a whole number' : 'a number'} of ${spec.unit} from ${spec.minimum} to ${spec.maximum}`);
        break;
      }
      case 'rules':
        overlay.rules = readRules(node, context, `${prefix}${spec.key}`, problem);
        break;
      case 'thresholds':
        overlay.thresholds = readThresholds(node, context, `${prefix}${spec.key}`, problem);
        break;
      case 'zones': {
        const zones = readZones(node, `${prefix}${spec.key}`, problem);
        overlay.namespaceZones = zones.namespaces;
        overlay.networkZones = zones.networks;
        break;
      }
      case 'strings': {
        const strings = readStrings(node, spec, `${prefix}${spec.key}`, problem);
        if (spec.key === 'ignore') overlay.ignore = strings;
        else overlay.architecture = strings;
        break;
      }
      case 'helm':
        overlay.helm = readHelm(node, spec, `${prefix}${spec.key}`, problem);
        break;
      case 'choice': {
        const choices = choicesOf(spec, context).map((choice) => choice.value);
        if (node.type === 'string' && choices.includes(node.value as string)) (overlay as Record<string, unknown>)[spec.key] = node.value;
        else expected(node, spec.key, `one of ${choices.join(', ')}`);
        break;
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems: capped(problems) };
  return { ok: true, overlay };
}

type Report = (node: ConfigNode | undefined, message: string, range?: OffsetRange) => void;

function readRules(node: ConfigNode, context: ConfigContext, path: string, problem: Report): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = Object.create(null);
  if (node.type !== 'map') {
    problem(node, `${path} must map rule ids to ${RULE_LEVELS.join(', ')}, e.g. \`IMM003: off\`, got ${describe(node)}`);
    return rules;
  }
  if (tooMany(node, path, problem)) return rules;
  for (const entry of node.entries ?? []) {
    const id = entry.key.toUpperCase();
    if (!context.ruleIds.has(id)) {
      problem(entry.node, `${path}: unknown rule "${entry.key}" (run \`sbd rules\` for the list)`, entry.keyRange);
      continue;
    }
    // YAML reads an unquoted `off`/`on` as a string, but `false`/`true` as booleans: accept both spellings.
    const value = entry.node.value === false ? 'off' : entry.node.value === true ? 'on' : entry.node.value;
    const level = RULE_LEVELS.find((candidate) => candidate === value);
    if (entry.duplicate) problem(entry.node, `${path}.${entry.key} is set twice; the later value would silently win`, entry.keyRange);
    else if (!level) problem(entry.node, `${path}.${entry.key} must be one of ${RULE_LEVELS.join(', ')}, got ${describe(entry.node)}`);
    else rules[id] = level === 'off' ? { enabled: false } : level === 'on' ? { enabled: true } : { enabled: true, severity: level };
  }
  // Built without a prototype so that a key such as `__proto__` stays a key; returned as a plain object.
  return { ...rules };
}

function readThresholds(node: ConfigNode, context: ConfigContext, path: string, problem: Report): Record<string, number> {
  const thresholds: Record<string, number> = Object.create(null);
  const names = context.parameters.map((parameter) => parameter.name);
  if (node.type !== 'map') {
    problem(node, `${path} must be a map of ${names.join(', ')}, got ${describe(node)}`);
    return thresholds;
  }
  for (const entry of node.entries ?? []) {
    const parameter = context.parameters.find((candidate) => candidate.name === entry.key);
    if (!parameter) {
      problem(entry.node, `${path}: unknown threshold "${entry.key}"; expected one of ${names.join(', ')}`, entry.keyRange);
      continue;
    }
    const value = entry.node.value;
    if (entry.duplicate) problem(entry.node, `${path}.${entry.key} is set twice; the later value would silently win`, entry.keyRange);
    else if (entry.node.type === 'number' && Number.isInteger(value) && (value as number) >= parameter.minimum && (value as number) <= parameter.maximum) thresholds[parameter.name] = value as number;
    else problem(entry.node, `${path}.${entry.key} must be a whole number of ${parameter.unit} from ${parameter.minimum} to ${parameter.maximum}, got ${describe(entry.node)}`);
  }
  return { ...thresholds };
}

function readZones(node: ConfigNode, path: string, problem: Report): { namespaces: Record<string, TrustLevel>; networks: Record<string, TrustLevel> } {
  const zones = { namespaces: Object.create(null) as Record<string, TrustLevel>, networks: Object.create(null) as Record<string, TrustLevel> };
  if (node.type !== 'map') {
    problem(node, `${path} must be a map with \`namespaces:\` and/or \`networks:\`, each mapping a name to a trust level, got ${describe(node)}`);
    return zones;
  }
  for (const entry of node.entries ?? []) {
    const target = entry.key === 'namespaces' ? zones.namespaces : entry.key === 'networks' ? zones.networks : undefined;
    if (!target) {
      problem(entry.node, `${path}: unknown entry "${entry.key}"; expected namespaces or networks`, entry.keyRange);
      continue;
    }
    if (entry.node.type === 'null') continue;
    if (entry.node.type !== 'map') {
      problem(entry.node, `${path}.${entry.key} must map names to a trust level (${TRUST_LEVELS.join(', ')}), got ${describe(entry.node)}`);
      continue;
    }
    if (tooMany(entry.node, `${path}.${entry.key}`, problem)) continue;
    for (const zone of entry.node.entries ?? []) {
      const level = TRUST_LEVELS.find((candidate) => candidate === zone.node.value);
      if (zone.duplicate) problem(zone.node, `${path}.${entry.key}.${zone.key} is set twice; the later value would silently win`, zone.keyRange);
      else if (level) target[zone.key] = level;
      else problem(zone.node, `${path}.${entry.key}.${zone.key} must be one of ${TRUST_LEVELS.join(', ')}, got ${describe(zone.node)}`);
    }
  }
  return { namespaces: { ...zones.namespaces }, networks: { ...zones.networks } };
}

function readStrings(node: ConfigNode, spec: SettingSpec & { type: 'strings' }, path: string, problem: Report): string[] {
  if (spec.orOne && node.type === 'string') node = { type: 'list', items: [node], range: node.range };
  const what = `a list of at most ${spec.maxItems} non-empty strings of at most ${spec.maxLength} characters${spec.maxWildcards ? ` and ${spec.maxWildcards} wildcards` : ''}`;
  if (node.type !== 'list' || (node.items?.length ?? 0) > spec.maxItems) {
    problem(node, `${path} must be ${what}, got ${describe(node)}`);
    return [];
  }
  const strings: string[] = [];
  for (const item of node.items ?? []) {
    const text = item.type === 'string' ? (item.value as string) : undefined;
    if (text === undefined || text.trim() === '' || text.length > spec.maxLength || (spec.maxWildcards !== undefined && wildcards(text) > spec.maxWildcards)) {
      problem(item, `${path} entries must be non-empty strings of at most ${spec.maxLength} characters${spec.maxWildcards ? ` and ${spec.maxWildcards} wildcards` : ''}, got ${describe(item)}`);
    } else if (spec.globs && costlyGlob(text)) {
      problem(item, `${path} entry ${describe(item)} is too costly to match: at most ${MAX_STARS_PER_SEGMENT} \`*\` per path segment and no extglobs such as +(…)`);
    } else strings.push(text);
  }
  return strings;
}

function readHelm(node: ConfigNode, spec: SettingSpec & { type: 'helm' }, path: string, problem: Report): HelmSettings {
  if (node.type !== 'map') {
    problem(node, `${path} must be a map with \`valuesFiles:\` and/or \`kubeVersion:\`, got ${describe(node)}`);
    return {};
  }
  const helm: { valuesFiles?: string[]; kubeVersion?: string } = {};
  for (const entry of node.entries ?? []) {
    if (entry.duplicate) {
      problem(entry.node, `${path}.${entry.key} is set twice; the later value would silently win`, entry.keyRange);
    } else if (entry.key === 'valuesFiles') {
      helm.valuesFiles = readStrings(entry.node, { key: 'valuesFiles', hosts: spec.hosts, description: '', type: 'strings', maxItems: spec.maxItems, maxLength: spec.maxLength, orOne: true }, `${path}.valuesFiles`, problem);
    } else if (entry.key === 'kubeVersion') {
      // An unquoted 1.30 is the number 1.3: only a string says which version was meant.
      const text = entry.node.type === 'string' ? String(entry.node.value) : '';
      if (new RegExp(KUBE_VERSION_PATTERN).test(text)) helm.kubeVersion = text.startsWith('v') ? text : `v${text}`;
      else problem(entry.node, `${path}.kubeVersion must be a Kubernetes version such as "1.30" or "v1.30.2" (quote it: an unquoted 1.30 is a number), got ${describe(entry.node)}`);
    } else problem(entry.node, `${path}: unknown entry "${entry.key}"; expected valuesFiles or kubeVersion`, entry.keyRange);
  }
  return helm;
}

function tooMany(node: ConfigNode, path: string, problem: Report): boolean {
  if ((node.entries?.length ?? 0) <= CONFIG_LIMITS.entries) return false;
  problem(node, `${path} has more than ${CONFIG_LIMITS.entries} entries`);
  return true;
}

/**
 * Stars within one path segment backtrack against each other: `*a*a*a*b` costs the matcher n⁴ steps
 * on a name of n characters. Two keep every match linear-quadratic in a name's length.
 */
export const MAX_STARS_PER_SEGMENT = 2;

/** A glob whose matching could backtrack without bound: too many stars in a segment, or an extglob (nested quantifiers). */
function costlyGlob(glob: string): boolean {
  if (/[*?+@!]\(/.test(glob)) return true;
  return glob.split('/').some((segment) => segment !== '**' && (segment.match(/\*+/g) ?? []).length > MAX_STARS_PER_SEGMENT);
}

/** `*`, `**` and `?` runs: each one costs the glob matcher a backtracking point. */
function wildcards(glob: string): number {
  return (glob.match(/\*+|\?/g) ?? []).length;
}

/** Offset where `[`/`{` nesting first exceeds the limit (quoted text and comments skipped), else undefined. */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"') i++;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? text.length : newline;
    } else if (char === '[' || char === '{') {
      if (++depth > CONFIG_LIMITS.flowDepth) return i;
    } else if (char === ']' || char === '}') depth = Math.max(0, depth - 1);
    else if (char === '\n') quote = undefined;
  }
  return undefined;
}

function capped(problems: ConfigProblem[]): ConfigProblem[] {
  if (problems.length <= CONFIG_LIMITS.problems) return problems;
  const more = problems.length - CONFIG_LIMITS.problems;
  return [...problems.slice(0, CONFIG_LIMITS.problems), { message: `${more} more problems are not listed; fix the ones above first`, range: problems[CONFIG_LIMITS.problems].range }];
}

function describe(node: ConfigNode): string {
  switch (node.type) {
    case 'null':
      return 'nothing';
    case 'list':
      return 'a list';
    case 'map':
      return 'a map';
    case 'other':
      return 'an unsupported value';
    default: {
      const text = JSON.stringify(node.value) ?? String(node.value);
      return text.length > 40 ? `${text.slice(0, 40)}…` : text;
    }
  }
}
