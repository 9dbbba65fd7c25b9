import { isMap, isSeq, type Node, type YAMLMap } from '../../core/yaml';
import { appendToMap, appendToSeq, indentUnit, setMapValue } from '../../core/edits';
import type { YamlTree } from '../../core/tree';
import type { TextEdit } from '../../core/types';

/**
 * A setting a fix adds under a service or container map: a scalar at a nested path
 * (`deploy.resources.limits.memory: 512M`) or an item appended to a list (`cap_drop: [ALL]`).
 */
export type Setting =
  | { readonly path: readonly string[]; readonly value: string }
  | { readonly path: readonly string[]; readonly append: string };

/**
 * The edits that add several settings to one map at once, so that they never collide: settings
 * sharing a missing parent (`securityContext`) are written as one nested block, and all new
 * entries of one map go in one insertion. Undefined when a parent exists but cannot take the
 * setting (a scalar, or a flow or empty map holding other settings).
 */
export function settingsEdits(tree: YamlTree, map: YAMLMap, settings: readonly Setting[]): TextEdit[] | undefined {
  // The common case, one new top-level entry, needs no planning.
  if (settings.length === 1 && settings[0].path.length === 1 && 'value' in settings[0] && !tree.pair(map, settings[0].path[0])) {
    const edit = appendToMap(tree, map, [`${settings[0].path[0]}: ${settings[0].value}`]);
    return edit ? [edit] : undefined;
  }
  const edits: TextEdit[] = [];
  return plan(tree, map, settings, edits) ? joinInsertions(edits) : undefined;
}

/**
 * Insertions at one offset (the end of a nested map is often the end of its parent too) joined in
 * the order given, inner entries first, so that no editor has to guess their order.
 */
export function joinInsertions(edits: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const same = out.find((other) => other.start === other.end && edit.start === edit.end && other.start === edit.start);
    if (same) out[out.indexOf(same)] = { ...same, newText: same.newText + edit.newText };
    else out.push(edit);
  }
  return out;
}

function plan(tree: YamlTree, map: YAMLMap, settings: readonly Setting[], edits: TextEdit[]): boolean {
  const newLines: string[] = [];
  const unit = ' '.repeat(indentUnit(tree.text));
  for (const [key, group] of groupByFirst(settings)) {
    const pair = tree.pair(map, key);
    const value = pair ? tree.resolve(pair.value) : undefined;
    const leaves = group.filter((setting) => setting.path.length === 1);
    const deeper = group.filter((setting) => setting.path.length > 1).map((setting) => ({ ...setting, path: setting.path.slice(1) }));
    if (leaves.length > 0 && deeper.length > 0) return false;
    if (deeper.length > 0) {
      if (isMap(value) && value.items.length > 0 && !value.flow) {
        if (!plan(tree, value, deeper, edits)) return false;
      } else if (!pair) newLines.push(`${key}:`, ...blockLines(deeper, unit).map((line) => unit + line));
      else return false;
      continue;
    }
    const appends = leaves.flatMap((setting) => ('append' in setting ? [setting.append] : []));
    const scalar = leaves.find((setting): setting is { path: readonly string[]; value: string } => 'value' in setting);
    if (scalar && appends.length > 0) return false;
    if (scalar) {
      if (pair) {
        const edit = setMapValue(tree, map, key, scalar.value);
        if (!edit) return false;
        edits.push(edit);
      } else newLines.push(`${key}: ${scalar.value}`);
      continue;
    }
    if (isSeq(value) && value.items.length > 0) {
      for (const item of appends) {
        const edit = appendToSeq(tree, value as Node, item);
        if (!edit) return false;
        edits.push(edit);
      }
    } else if (!pair) newLines.push(`${key}:`, ...appends.map((item) => `${unit}- ${item}`));
    else return false;
  }
  if (newLines.length > 0) {
    const edit = appendToMap(tree, map, newLines);
    if (!edit) return false;
    edits.push(edit);
  }
  return true;
}

function groupByFirst(settings: readonly Setting[]): Map<string, Setting[]> {
  const groups = new Map<string, Setting[]>();
  for (const setting of settings) {
    const group = groups.get(setting.path[0]);
    if (group) group.push(setting);
    else groups.set(setting.path[0], [setting]);
  }
  return groups;
}

/** Nested block lines for settings under one new key, relative to that key's indentation. */
function blockLines(settings: readonly Setting[], unit: string): string[] {
  const lines: string[] = [];
  for (const [key, group] of groupByFirst(settings)) {
    const leaves = group.filter((setting) => setting.path.length === 1);
    const deeper = group.filter((setting) => setting.path.length > 1).map((setting) => ({ ...setting, path: setting.path.slice(1) }));
    const scalar = leaves.find((setting): setting is { path: readonly string[]; value: string } => 'value' in setting);
    if (scalar) lines.push(`${key}: ${scalar.value}`);
    else if (deeper.length > 0) lines.push(`${key}:`, ...blockLines(deeper, unit).map((line) => unit + line));
    else lines.push(`${key}:`, ...leaves.flatMap((setting) => ('append' in setting ? [`${unit}- ${setting.append}`] : [])));
  }
  return lines;
}
