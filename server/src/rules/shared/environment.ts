import { isMap, isScalar, isSeq } from '../../core/yaml';
import { deletePair, deleteSeqItem } from '../../core/edits';
import type { TextEdit } from '../../core/types';
import type { EnvVar } from '../../model/common';
import { kubernetesEnvItem, type ProcessSite } from './workloads';

/** Words YAML would read as a boolean, null or number: an environment value must stay a string. */
const NEEDS_QUOTES = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?\d[\d_.eE+-]*|0x[0-9a-f]+)$/i;

/**
 * Replaces an environment value with `newValue`, keeping it a string: compose rejects booleans
 * in `environment:` and Kubernetes rejects non-string `value:`.
 */
export function replaceEnvValue(site: ProcessSite, variable: EnvVar, newValue: string): TextEdit | undefined {
  const range = variable.valueRange;
  if (!range) return undefined;
  if (variable.form === 'list') return { ...range, newText: newValue };
  const node = variable.node;
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
  if (quoted) return { ...range, newText: newValue };
  if (range.start === range.end) return { ...range, newText: ` ${JSON.stringify(newValue)}` };
  if (!isScalar(node) || node.type !== 'PLAIN') return undefined;
  return { ...range, newText: NEEDS_QUOTES.test(newValue) || /[:#{}[\],&*!|>'"%@`]/.test(newValue) ? JSON.stringify(newValue) : newValue };
}

/** Removes an environment entry (compose map entry, `- KEY=value` item, Kubernetes `env` item). */
export function deleteEnvVar(site: ProcessSite, variable: EnvVar): TextEdit | undefined {
  const tree = site.tree;
  const holder = site.environmentNode;
  if (variable.form === 'map') return isMap(holder) ? deletePair(tree, holder, variable.name) : undefined;
  if (variable.form === 'list') return isSeq(holder) ? deleteSeqItem(tree, holder, variable.node) : undefined;
  const item = site.container ? kubernetesEnvItem(tree, site.container, variable) : undefined;
  return item && isSeq(holder) ? deleteSeqItem(tree, holder, item) : undefined;
}

/** Truthy spellings used by images' entrypoints (`is_boolean_yes` in bitnami, `yes` in the docs). */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(?:true|yes|on|1|y)$/i.test(value.trim());
}

export function isFalsy(value: string | undefined): boolean {
  return value !== undefined && /^(?:false|no|off|0|n)$/i.test(value.trim());
}

/** A value decided elsewhere: interpolated by compose, expanded by the kubelet, or templated. */
export function isIndirect(value: string | undefined): boolean {
  return value === undefined || /\$\{|\$[A-Za-z_]|\$\(|\{\{/.test(value);
}
