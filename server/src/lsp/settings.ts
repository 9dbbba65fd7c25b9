import { readEditorSettings, SETTINGS, settingDefault, type BaselinedFindings, type ConfigOverlay, type SettingSpec } from '../core/configuration';
import { CONFIG_CONTEXT } from '../rules';

/** What the server itself does with the editor settings, besides the analysis options they set. */
export interface EditorSettings {
  readonly enable: boolean;
  /** Milliseconds of quiet typing before analysis. */
  readonly debounceMs: number;
  /** How findings recorded in the workspace's `.sbd-baseline.json` are shown: as hints, or not at all. */
  readonly baselinedFindings: BaselinedFindings;
  /** The analysis options and ignore globs the settings set (`.sbd.yaml` applies on top). */
  readonly overlay: ConfigOverlay;
}

function numeric(key: string): SettingSpec & { type: 'integer' | 'number' } {
  const spec = SETTINGS.find((candidate) => candidate.key === key);
  if (spec?.type !== 'integer' && spec?.type !== 'number') throw new Error(`no numeric setting ${key}`);
  return spec;
}

function choiceDefault(key: string): string {
  const spec = SETTINGS.find((candidate) => candidate.key === key);
  if (spec?.type !== 'choice' || spec.default === undefined) throw new Error(`no choice setting ${key} with a default`);
  return spec.default;
}

/** The editor's defaults: what applies before the client sends anything, and for keys it leaves unset. */
export const DEFAULT_EDITOR_SETTINGS: EditorSettings = {
  enable: true,
  debounceMs: settingDefault(numeric('debounceMs'), 'editor'),
  baselinedFindings: choiceDefault('baselinedFindings') as BaselinedFindings,
  overlay: { maxFileBytes: settingDefault(numeric('maxFileBytes'), 'editor') },
};

export type SettingsResult = { ok: true; settings: EditorSettings } | { ok: false; problems: string[] };

/**
 * Validates the `secureByDesign` settings a client sends against the configuration schema (the
 * same description `.sbd.yaml` is read with). A value of the wrong shape is a problem, and the
 * caller keeps the last valid settings rather than guessing what was meant.
 */
export function validateEditorSettings(raw: unknown): SettingsResult {
  const result = readEditorSettings(raw, CONFIG_CONTEXT);
  if (!result.ok) return { ok: false, problems: result.problems.map((problem) => problem.message) };
  const { enable, debounceMs, baselinedFindings, ...overlay } = result.overlay;
  return {
    ok: true,
    settings: {
      enable: enable ?? DEFAULT_EDITOR_SETTINGS.enable,
      debounceMs: debounceMs ?? DEFAULT_EDITOR_SETTINGS.debounceMs,
      baselinedFindings: baselinedFindings ?? DEFAULT_EDITOR_SETTINGS.baselinedFindings,
      overlay: { ...DEFAULT_EDITOR_SETTINGS.overlay, ...overlay },
    },
  };
}
