/**
 * Kustomize front end: builds kustomization folders in-process and returns the built objects as
 * YAML with a source map back to the base, patch and kustomization lines that produced them.
 *
 * How the analysis uses it (see README.md beside this file):
 *   const builder = new KustomizeBuilder(files);            // one per workspace; it caches
 *   const roots = findKustomizations(files, workspaceRoot).filter((f) => builder.kindOf(f) !== 'Component');
 *   const roles = kustomizeFileRoles(roots.map((r) => builder.build(r)));
 *   // analyse each build's `source` like a file, map findings with mapGeneratedRange;
 *   // skip files whose roles say patch / kustomization / generator-input as standalone input.
 *   // On an edit to file F: rebuild builder.dependentsOf(F) (unchanged bases come from the cache).
 */
export { KustomizeBuilder, DEFAULT_LIMITS, KUSTOMIZATION_FILE_NAMES, isRemote } from './build';
export type { BuildLimits, BuiltObject, FileRole, KustomizeBuild } from './build';
export type { KustomizeProblem, KustomizeProblemCode } from './problems';
export { findKustomizations, kustomizeFileRoles, isKustomizationFileName } from './workspace';
export type { FileRoles } from './workspace';
