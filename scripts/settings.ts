/**
 * Everything users read about settings, generated from the one configuration schema
 * (server/src/core/configuration.ts) and the rules' declared parameters: the extension manifest's
 * `contributes.configuration`, the client's commented `.sbd.yaml` template and the README's table.
 */
import { choicesOf, KUBE_VERSION_PATTERN, RULE_LEVEL_DESCRIPTIONS, RULE_LEVELS, SETTINGS, settingDefault, type SettingHost, type SettingSpec } from '../server/src/core/configuration';
import { TRUST_LEVELS } from '../server/src/core/options';
import { RULE_ID_PATTERN } from '../server/src/core/types';
import { SETTINGS_SECTION } from '../server/src/protocol';
import { RULE_PARAMETERS, ALL_RULES, CONFIG_CONTEXT } from '../server/src/rules';

/** Settings of the VS Code client itself, which the server never reads. */
const CLIENT_SETTINGS = {
  'trace.server': {
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    scope: 'window',
    enumDescriptions: ['No protocol trace.', 'Trace the names of messages.', 'Trace messages with their content.'],
    description: 'Traces the communication between VS Code and the Secure by Design language server in its output channel.',
  },
};

/** `contributes.configuration.properties` of package.json. */
export function manifestProperties(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const editor = SETTINGS.filter((spec) => spec.hosts.includes('editor'));
  editor.forEach((spec, order) => (properties[`${SETTINGS_SECTION}.${spec.key}`] = manifestProperty(spec, order)));
  for (const [key, property] of Object.entries(CLIENT_SETTINGS)) properties[`${SETTINGS_SECTION}.${key}`] = { ...property, order: Object.keys(properties).length };
  return properties;
}

function manifestProperty(spec: SettingSpec, order: number): Record<string, unknown> {
  const markdownDescription = spec.description;
  switch (spec.type) {
    case 'boolean':
      return { type: 'boolean', default: spec.default, order, markdownDescription };
    case 'integer':
    case 'number':
      return { type: spec.type, default: settingDefault(spec, 'editor'), minimum: spec.minimum, maximum: spec.maximum, order, markdownDescription };
    case 'rules':
      return {
        type: 'object',
        default: {},
        order,
        markdownDescription,
        propertyNames: { pattern: RULE_ID_PATTERN, patternErrorMessage: 'A rule id such as TCB001.' },
        additionalProperties: { type: 'string', enum: RULE_LEVELS, enumDescriptions: RULE_LEVELS.map((level) => RULE_LEVEL_DESCRIPTIONS[level]) },
      };
    case 'thresholds':
      return {
        type: 'object',
        default: {},
        order,
        markdownDescription,
        additionalProperties: false,
        properties: Object.fromEntries(
          RULE_PARAMETERS.map((parameter) => [parameter.name, { type: 'integer', minimum: parameter.minimum, maximum: parameter.maximum, default: parameter.default, description: parameter.description }]),
        ),
      };
    case 'zones':
      return {
        type: 'object',
        default: { namespaces: {}, networks: {} },
        order,
        markdownDescription,
        additionalProperties: false,
        properties: Object.fromEntries(
          Object.entries(spec.groups).map(([group, description]) => [group, { type: 'object', default: {}, description, additionalProperties: { type: 'string', enum: TRUST_LEVELS } }]),
        ),
      };
    case 'strings':
      return { type: 'array', default: [], order, maxItems: spec.maxItems, items: { type: 'string', minLength: 1, maxLength: spec.maxLength }, markdownDescription };
    case 'helm':
      return {
        type: 'object',
        default: {},
        order,
        markdownDescription,
        additionalProperties: false,
        properties: {
          valuesFiles: { type: 'array', default: [], maxItems: spec.maxItems, items: { type: 'string', minLength: 1, maxLength: spec.maxLength }, markdownDescription: spec.fields.valuesFiles },
          kubeVersion: { type: 'string', pattern: KUBE_VERSION_PATTERN, markdownDescription: spec.fields.kubeVersion },
        },
      };
    case 'choice': {
      const choices = choicesOf(spec, CONFIG_CONTEXT);
      return { type: 'string', enum: choices.map((choice) => choice.value), default: spec.default, order, enumDescriptions: choices.map((choice) => choice.description), markdownDescription };
    }
  }
}

/** The commented `.sbd.yaml` the client creates: every key an example in a comment, so creating it changes nothing. */
export function configTemplate(): string {
  const lines = [
    '# Secure by Design project configuration. It applies on top of the editor settings and is',
    '# what the sbd CLI uses in CI, so the team reviews one file. Invalid entries are reported here.',
  ];
  for (const spec of SETTINGS.filter((candidate) => candidate.hosts.includes('project'))) {
    lines.push('', ...wrap(plain(spec.description), 98).map((line) => `# ${line}`));
    const example = spec.type === 'thresholds' ? thresholdsExample() : spec.example;
    if (example === undefined) throw new Error(`setting ${spec.key} has no example for the template`);
    lines.push(...`${spec.key}:${example}`.split('\n').map((line) => `# ${line}`));
  }
  return `/** A commented \`.sbd.yaml\`: every setting is an example in a comment, so creating the file changes nothing. Generated by \`npm run docs\`. */\nexport const CONFIG_TEMPLATE = ${JSON.stringify(lines.join('\n') + '\n')};\n`;
}

function thresholdsExample(): string {
  const width = Math.max(...RULE_PARAMETERS.map((parameter) => `${parameter.name}: ${parameter.default}`.length));
  return RULE_PARAMETERS.map((parameter) => `\n  ${`${parameter.name}: ${parameter.default}`.padEnd(width)}  # ${usedBy(parameter.name)}`).join('');
}

function usedBy(name: string): string {
  return `${ALL_RULES.filter((rule) => rule.parameters?.some((parameter) => parameter.name === name)).map((rule) => rule.id).join(', ')}`;
}

/** The README's table of settings. */
export function settingsTable(): string {
  const rows = SETTINGS.map((spec) => `| \`${spec.key}\` | ${hostsLabel(spec.hosts)} | ${typeLabel(spec)} | ${defaultLabel(spec)} | ${spec.description} |`);
  for (const parameter of RULE_PARAMETERS) {
    rows.push(`| \`thresholds.${parameter.name}\` | ${hostsLabel(['project', 'editor'])} | whole number of ${parameter.unit}, ${parameter.minimum}–${parameter.maximum} | ${parameter.default} | ${parameter.description} |`);
  }
  return ['| Key | Where | Value | Default | Meaning |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

function hostsLabel(hosts: readonly SettingHost[]): string {
  return hosts.map((host) => (host === 'project' ? '`.sbd.yaml`' : `\`${SETTINGS_SECTION}.*\``)).join(', ');
}

function typeLabel(spec: SettingSpec): string {
  switch (spec.type) {
    case 'boolean':
      return 'true or false';
    case 'integer':
    case 'number':
      return `${spec.type === 'integer' ? 'whole number' : 'number'} of ${spec.unit}, ${spec.minimum}–${spec.maximum}`;
    case 'rules':
      return `rule id → ${RULE_LEVELS.join(', ')}`;
    case 'thresholds':
      return 'map of the parameters below';
    case 'zones':
      return `\`namespaces\`, \`networks\`: name → ${TRUST_LEVELS.join(', ')}`;
    case 'strings':
      return `${spec.orOne ? 'a path or a list' : 'list'} of at most ${spec.maxItems}, each up to ${spec.maxLength} characters${spec.maxWildcards ? ` and ${spec.maxWildcards} wildcards` : ''}`;
    case 'helm':
      return `\`valuesFiles\`: list of paths; \`kubeVersion\`: a version such as \`"1.30"\``;
    case 'choice':
      return `one of ${choicesOf(spec, CONFIG_CONTEXT).map((choice) => `\`${choice.value}\``).join(', ')}`;
  }
}

function defaultLabel(spec: SettingSpec): string {
  switch (spec.type) {
    case 'boolean':
      return String(spec.default);
    case 'integer':
    case 'number':
      return spec.editorDefault !== undefined && spec.editorDefault !== spec.default ? `${spec.default} (editor: ${spec.editorDefault})` : String(spec.default);
    case 'choice':
      return spec.default !== undefined ? `\`${spec.default}\`` : 'none';
    default:
      return 'none';
  }
}

/** Markdown as plain comment text. */
function plain(markdown: string): string {
  return markdown.split('`').join('');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
