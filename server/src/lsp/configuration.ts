import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { applyOverlay, parseProjectConfig, type ConfigOverlay, type ConfigProblem } from '../core/configuration';
import { LineIndex } from '../core/positions';
import { defaultOptions, type AnalysisOptions } from '../core/options';
import { CONFIG_CONTEXT, withProfile } from '../rules';
import { describeWeakening, untrustedOverlay, weakeningOf } from '../rules/weakening';
import { DEFAULT_EDITOR_SETTINGS, validateEditorSettings, type EditorSettings } from './settings';
import { toRange } from './convert';

export const CONFIG_FILE_NAMES = ['.sbd.yaml', '.sbd.yml'];

export function isConfigUri(uri: string): boolean {
  return CONFIG_FILE_NAMES.some((name) => uri.endsWith(`/${name}`));
}

export interface ConfigState {
  readonly options: AnalysisOptions;
  readonly settings: EditorSettings;
  readonly ignore: readonly string[];
  /** What `.sbd.yaml` turns off and is in force; what it would turn off but does not (untrusted workspace). */
  readonly configurationOff?: string;
  readonly notApplied?: string;
  /** Problems to show: in the config file, and settings messages for the log/status. */
  readonly configProblems: readonly ConfigProblem[];
  readonly settingsProblems: readonly string[];
  /** How charts render: the editor's values files then the project's (`.sbd.yaml` paths are relative to its folder), the project's Kubernetes version first. */
  readonly helm: { readonly valuesFiles: readonly string[]; readonly kubeVersion?: string };
}

/**
 * Client settings plus `.sbd.yaml`. Each source is validated on its own, once per change; an
 * invalid one is reported and its last valid version stays in force, so a typo never silently turns
 * rules off. The project file wins over the user's settings: it is the team's reviewed decision.
 */
export class Configuration {
  private settings: EditorSettings = DEFAULT_EDITOR_SETTINGS;
  private settingsProblems: string[] = [];
  /** What the last `.sbd.yaml` that validated sets (re-applied on top of new settings). */
  private projectOverlay: ConfigOverlay | undefined;
  private configText: string | undefined;
  private configProblems: ConfigProblem[] = [];
  private current: ConfigState;
  /** The editor's workspace trust: untrusted, `.sbd.yaml` may make analysis stricter, never laxer. */
  private trusted = true;
  configUri: string | undefined;

  constructor() {
    this.current = this.compute();
  }

  get state(): ConfigState {
    return this.current;
  }

  /** Returns true when the effective configuration changed. */
  updateSettings(raw: unknown): boolean {
    const result = validateEditorSettings(raw);
    if (result.ok) {
      this.settings = result.settings;
      this.settingsProblems = [];
    } else this.settingsProblems = result.problems;
    return this.recompute();
  }

  /** Returns true when the effective configuration changed. */
  setTrusted(trusted: boolean): boolean {
    if (this.trusted === trusted) return false;
    this.trusted = trusted;
    return this.recompute();
  }

  /** `text` undefined: the file is gone, so no project configuration applies. */
  updateConfigFile(uri: string, text: string | undefined): boolean {
    this.configUri = text === undefined ? undefined : uri;
    this.configText = text;
    if (text === undefined) {
      this.projectOverlay = undefined;
      this.configProblems = [];
    } else {
      const result = parseProjectConfig(text, CONFIG_CONTEXT);
      if (result.ok) {
        this.projectOverlay = result.overlay;
        this.configProblems = [];
      } else this.configProblems = result.problems;
    }
    return this.recompute();
  }

  configDiagnostics(): Diagnostic[] {
    if (this.configText === undefined) return [];
    const lines = new LineIndex(this.configText);
    const kept = this.projectOverlay !== undefined ? 'the last valid configuration stays in force' : 'the defaults stay in force';
    return this.configProblems.map((problem) => ({
      range: toRange(lines, problem.range ?? { start: 0, end: 0 }),
      severity: DiagnosticSeverity.Error,
      source: 'sbd',
      code: 'config',
      message: `Invalid configuration: ${problem.message}; ${kept} until this is fixed.`,
    }));
  }

  private recompute(): boolean {
    const previous = this.current;
    this.current = this.compute();
    return previous.options !== this.current.options || previous.ignore.join('\n') !== this.current.ignore.join('\n') || JSON.stringify(previous.helm) !== JSON.stringify(this.current.helm) || previous.configurationOff !== this.current.configurationOff || previous.notApplied !== this.current.notApplied;
  }

  private compute(): ConfigState {
    const editor = applyOverlay(defaultOptions(), this.settings.overlay);
    const project = this.projectOverlay && !this.trusted ? untrustedOverlay(this.projectOverlay) : this.projectOverlay;
    // The profile lies under the settings' and the file's own rule choices, as in the CLI.
    let options = project ? withProfile(applyOverlay(editor, project), project.profile) : editor;
    const ignore = [...(this.settings.overlay.ignore ?? []), ...(project?.ignore ?? [])];
    const configurationOff = project ? describeWeakening(weakeningOf(project, editor), '.sbd.yaml') : undefined;
    const notApplied = project !== this.projectOverlay && this.projectOverlay ? describeWeakening(weakeningOf(this.projectOverlay, editor), '.sbd.yaml') : undefined;
    const previous = this.current as ConfigState | undefined;
    // Keep the same options object when nothing changed: the analyzer's cache is keyed by it.
    if (previous && sameOptions(previous.options, options)) options = previous.options;
    const helm = {
      valuesFiles: [...(this.settings.overlay.helm?.valuesFiles ?? []), ...(this.projectOverlay?.helm?.valuesFiles ?? [])],
      kubeVersion: this.projectOverlay?.helm?.kubeVersion ?? this.settings.overlay.helm?.kubeVersion,
    };
    return { options, settings: this.settings, ignore, configurationOff, notApplied, configProblems: this.configProblems, settingsProblems: this.settingsProblems, helm };
  }
}

function sameOptions(a: AnalysisOptions, b: AnalysisOptions): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
