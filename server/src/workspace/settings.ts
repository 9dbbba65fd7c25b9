import { defaultOptions, DEFAULT_MAX_FILE_BYTES, DEFAULT_THRESHOLDS, TRUST_LEVELS, type AnalysisOptions, type RuleSetting, type Thresholds, type TrustLevel } from '../core/options';
import type { Severity } from '../core/types';
import type { ClientSettings } from '../protocol';

export const DEFAULT_DEBOUNCE_MS = 150;
/**
 * The editor analyses smaller files than the CLI by default: opening must not stall the editor.
 * Measured: about 0.5 s per MB warm and up to 1.4 s per MB on a cold server; edits afterwards
 * re-analyse only the touched `---` document.
 */
export const DEFAULT_EDITOR_MAX_FILE_BYTES = 3 * 1024 * 1024;

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
  enable: true,
  rules: {},
  thresholds: {},
  zones: { namespaces: {}, networks: {} },
  ignore: [],
  maxFileBytes: DEFAULT_EDITOR_MAX_FILE_BYTES,
  debounceMs: DEFAULT_DEBOUNCE_MS,
  baselinedFindings: 'hint',
};

export type SettingsResult = { ok: true; settings: ClientSettings } | { ok: false; problems: string[] };

const RULE_LEVELS = ['off', 'on', 'error', 'warning', 'info'];

/**
 * Validates the `secureByDesign` settings a client sends. Missing values take defaults; a value
 * of the wrong shape is a problem, and the caller keeps the last valid settings rather than
 * guessing what was meant (Fail-Fast for our own configuration).
 */
export function validateClientSettings(raw: unknown, knownRuleIds: ReadonlySet<string>): SettingsResult {
  if (raw === undefined || raw === null) return { ok: true, settings: DEFAULT_CLIENT_SETTINGS };
  if (!isRecord(raw)) return { ok: false, problems: [`secureByDesign settings must be an object, got ${describe(raw)}`] };
  const problems: string[] = [];
  const setting = (name: string) => raw[name];

  const enable = setting('enable') ?? true;
  if (typeof enable !== 'boolean') problems.push(`secureByDesign.enable must be true or false, got ${describe(enable)}`);

  const rules: Record<string, string> = {};
  const rawRules = setting('rules') ?? {};
  if (!isRecord(rawRules)) problems.push(`secureByDesign.rules must map rule ids to off, error, warning or info, got ${describe(rawRules)}`);
  else {
    for (const [id, level] of Object.entries(rawRules)) {
      const upper = id.toUpperCase();
      if (!knownRuleIds.has(upper)) problems.push(`secureByDesign.rules: unknown rule "${id}"`);
      else if (typeof level !== 'string' || !RULE_LEVELS.includes(level)) problems.push(`secureByDesign.rules.${id} must be one of ${RULE_LEVELS.join(', ')}, got ${describe(level)}`);
      else rules[upper] = level;
    }
  }

  const thresholds: Record<string, number> = {};
  const rawThresholds = setting('thresholds') ?? {};
  if (!isRecord(rawThresholds)) problems.push(`secureByDesign.thresholds must be an object, got ${describe(rawThresholds)}`);
  else {
    for (const [name, value] of Object.entries(rawThresholds)) {
      if (!(name in DEFAULT_THRESHOLDS)) problems.push(`secureByDesign.thresholds: unknown threshold "${name}"; expected one of ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}`);
      else if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) problems.push(`secureByDesign.thresholds.${name} must be a whole number of at least 1, got ${describe(value)}`);
      else thresholds[name] = value;
    }
  }

  const zones = { namespaces: {} as Record<string, string>, networks: {} as Record<string, string> };
  const rawZones = setting('zones') ?? {};
  if (!isRecord(rawZones)) problems.push(`secureByDesign.zones must be an object with namespaces and networks, got ${describe(rawZones)}`);
  else {
    for (const group of ['namespaces', 'networks'] as const) {
      const mapping = rawZones[group] ?? {};
      if (!isRecord(mapping)) {
        problems.push(`secureByDesign.zones.${group} must map names to a trust level, got ${describe(mapping)}`);
        continue;
      }
      for (const [name, level] of Object.entries(mapping)) {
        if (typeof level !== 'string' || !(TRUST_LEVELS as readonly string[]).includes(level)) {
          problems.push(`secureByDesign.zones.${group}.${name} must be one of ${TRUST_LEVELS.join(', ')}, got ${describe(level)}`);
        } else zones[group][name] = level;
      }
    }
  }

  const ignore = setting('ignore') ?? [];
  if (!Array.isArray(ignore) || ignore.some((glob) => typeof glob !== 'string' || glob.trim() === '')) {
    problems.push(`secureByDesign.ignore must be a list of non-empty glob strings, got ${describe(ignore)}`);
  }

  const maxFileBytes = setting('maxFileBytes') ?? DEFAULT_EDITOR_MAX_FILE_BYTES;
  if (typeof maxFileBytes !== 'number' || !Number.isInteger(maxFileBytes) || maxFileBytes < 1024 || maxFileBytes > DEFAULT_MAX_FILE_BYTES * 10) {
    problems.push(`secureByDesign.maxFileBytes must be a whole number of bytes between 1024 and ${DEFAULT_MAX_FILE_BYTES * 10}, got ${describe(maxFileBytes)}`);
  }

  const debounceMs = setting('debounceMs') ?? DEFAULT_DEBOUNCE_MS;
  if (typeof debounceMs !== 'number' || !Number.isFinite(debounceMs) || debounceMs < 0 || debounceMs > 10000) {
    problems.push(`secureByDesign.debounceMs must be a number of milliseconds between 0 and 10000, got ${describe(debounceMs)}`);
  }

  const baselinedFindings = setting('baselinedFindings') ?? 'hint';
  if (baselinedFindings !== 'hint' && baselinedFindings !== 'hide') problems.push(`secureByDesign.baselinedFindings must be hint or hide, got ${describe(baselinedFindings)}`);

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    settings: { enable: enable as boolean, rules, thresholds, zones, ignore: ignore as string[], maxFileBytes: maxFileBytes as number, debounceMs: debounceMs as number, baselinedFindings: baselinedFindings as 'hint' | 'hide' },
  };
}

/** Analysis options from validated client settings; `.sbd.yaml` is applied on top of these. */
export function optionsFromSettings(settings: ClientSettings, base: AnalysisOptions = defaultOptions()): AnalysisOptions {
  const rules: Record<string, RuleSetting> = {};
  for (const [id, level] of Object.entries(settings.rules)) {
    rules[id] = level === 'off' ? { enabled: false } : level === 'on' ? { enabled: true } : { enabled: true, severity: level as Severity };
  }
  return {
    ...base,
    rules,
    thresholds: { ...DEFAULT_THRESHOLDS, ...settings.thresholds } as Thresholds,
    namespaceZones: settings.zones.namespaces as Record<string, TrustLevel>,
    networkZones: settings.zones.networks as Record<string, TrustLevel>,
    maxFileBytes: settings.maxFileBytes,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
