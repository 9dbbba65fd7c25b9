import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { parseConfig, type ConfigProblem, type ProjectConfig } from '../core/config';
import { LineIndex } from '../core/positions';
import { ALL_RULES, KNOWN_RULE_IDS } from '../rules';
import { PROFILE_IDS, profileRuleSettings } from '../rules/standards';
import type { ClientSettings } from '../protocol';
import type { AnalysisOptions } from '../core/options';
import { DEFAULT_CLIENT_SETTINGS, optionsFromSettings, validateClientSettings } from '../workspace/settings';
import { toRange } from './convert';

export const CONFIG_FILE_NAMES = ['.sbd.yaml', '.sbd.yml'];

export function isConfigUri(uri: string): boolean {
  return CONFIG_FILE_NAMES.some((name) => uri.endsWith(`/${name}`));
}

export interface ConfigState {
  readonly options: AnalysisOptions;
  readonly settings: ClientSettings;
  readonly ignore: readonly string[];
  /** Problems to show: in the config file, and settings messages for the log/status. */
  readonly configProblems: readonly ConfigProblem[];
  readonly settingsProblems: readonly string[];
}

/**
 * Client settings plus `.sbd.yaml`. Each source is validated on its own; an invalid one is
 * reported and its last valid version stays in force, so a typo never silently turns rules off.
 * The project file wins over the user's settings: it is the team's reviewed decision.
 */
export class Configuration {
  private settings: ClientSettings = DEFAULT_CLIENT_SETTINGS;
  private settingsProblems: string[] = [];
  /** Text of the last `.sbd.yaml` that validated (re-applied on top of new settings). */
  private validConfigText: string | undefined;
  private configText: string | undefined;
  private configProblems: ConfigProblem[] = [];
  private current: ConfigState;
  configUri: string | undefined;

  constructor() {
    this.current = this.compute();
  }

  get state(): ConfigState {
    return this.current;
  }

  /** Returns true when the effective configuration changed. */
  updateSettings(raw: unknown): boolean {
    const result = validateClientSettings(raw, KNOWN_RULE_IDS);
    if (result.ok) {
      this.settings = result.settings;
      this.settingsProblems = [];
    } else this.settingsProblems = result.problems;
    return this.recompute();
  }

  /** `text` undefined: the file is gone, so no project configuration applies. */
  updateConfigFile(uri: string, text: string | undefined): boolean {
    this.configUri = text === undefined ? undefined : uri;
    this.configText = text;
    if (text === undefined) {
      this.validConfigText = undefined;
      this.configProblems = [];
    } else {
      const result = parseConfig(text, KNOWN_RULE_IDS, optionsFromSettings(this.settings), PROFILE_IDS);
      if (result.ok) {
        this.validConfigText = text;
        this.configProblems = [];
      } else this.configProblems = result.problems;
    }
    return this.recompute();
  }

  configDiagnostics(): Diagnostic[] {
    if (this.configText === undefined) return [];
    const lines = new LineIndex(this.configText);
    const kept = this.validConfigText !== undefined ? 'the last valid configuration stays in force' : 'the defaults stay in force';
    return this.configProblems.map((problem) => ({
      range: toRange(lines, problem.range),
      severity: DiagnosticSeverity.Error,
      source: 'sbd',
      code: 'config',
      message: `Invalid configuration: ${problem.message}; ${kept} until this is fixed.`,
    }));
  }

  private recompute(): boolean {
    const previous = this.current;
    this.current = this.compute();
    return previous.options !== this.current.options || previous.ignore.join('\n') !== this.current.ignore.join('\n');
  }

  private compute(): ConfigState {
    const base = optionsFromSettings(this.settings);
    let options = base;
    let ignore: readonly string[] = this.settings.ignore;
    if (this.validConfigText !== undefined) {
      const result = parseConfig(this.validConfigText, KNOWN_RULE_IDS, base, PROFILE_IDS);
      if (result.ok) {
        const profile = result.config.profile;
        // The profile lies under the settings' and the file's own rule choices, as in the CLI.
        options = profile ? { ...result.config.options, rules: { ...profileRuleSettings(profile, ALL_RULES), ...result.config.options.rules } } : result.config.options;
        ignore = [...ignore, ...result.config.ignore];
      }
    }
    const previous = this.current as ConfigState | undefined;
    // Keep the same options object when nothing changed: the analyzer's cache is keyed by it.
    if (previous && sameOptions(previous.options, options)) options = previous.options;
    return { options, settings: this.settings, ignore, configProblems: this.configProblems, settingsProblems: this.settingsProblems };
  }
}

function sameOptions(a: AnalysisOptions, b: AnalysisOptions): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type { ProjectConfig };
