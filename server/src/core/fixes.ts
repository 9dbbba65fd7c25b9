import type { Finding, TextEdit } from './types';

/**
 * Choosing and applying quick fixes in bulk: the editor's "fix all safe findings" and `sbd fix`
 * use these same functions over the same rule-computed edits.
 */

/** Keeps fixes whose edits do not collide with an earlier kept fix (a fix is taken whole or not at all). */
export function nonOverlapping(fixes: ReadonlyArray<readonly TextEdit[]>): TextEdit[] {
  const kept: TextEdit[] = [];
  const collides = (a: TextEdit, b: TextEdit) => (a.start < b.end && b.start < a.end) || a.start === b.start || (a.start === a.end && a.start > b.start && a.start < b.end) || (b.start === b.end && b.start > a.start && b.start < a.end);
  for (const edits of fixes) {
    if (edits.some((edit) => kept.some((other) => collides(edit, other)))) continue;
    kept.push(...edits);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * The edits of every finding's first safe fix (optionally only for some rules), without
 * collisions. A fix is safe when its rule marks it so: it does not change what a correctly
 * configured workload does (README: sbd fix).
 */
export function safeFixEdits(findings: readonly Finding[], ruleIds?: ReadonlySet<string>): { edits: TextEdit[]; findings: Finding[] } {
  const chosen = findings.filter((finding) => (!ruleIds || ruleIds.has(finding.ruleId)) && finding.fixes?.some((fix) => fix.safe));
  const fixes = chosen.map((finding) => finding.fixes!.find((fix) => fix.safe)!.edits);
  return { edits: nonOverlapping(fixes), findings: chosen };
}

/** Applies non-overlapping offset edits to a text (offsets into the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}
