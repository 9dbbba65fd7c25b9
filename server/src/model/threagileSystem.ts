import type { Located } from './architecture';
import { combineDocuments, looksLikeWholeModel, type ThreagileDocument, type ThreagileModel } from './threagile';

/**
 * Threagile models assembled from their files the way Threagile's loader does it
 * (`pkg/input/model.go`, `Load` and `Merge`): a file's top-level `includes:` names files relative
 * to the including file's folder, included files may include further files, and the model is
 * the union of all of them. The same model given as one file or as parts reads the same.
 *
 * Threagile itself recurses without end on an include cycle; here a cycle is a problem on the
 * include that closes it. An include that is not among the analysed files makes the model
 * incomplete: rules then claim nothing is absent (a vault, an identity store, a definition).
 */

export interface ThreagilePart {
  /** File path or URI of the part; includes resolve against its folder. */
  readonly file: string;
  readonly document: ThreagileDocument;
}

export interface IncludeProblem<P extends ThreagilePart> {
  readonly part: P;
  readonly include: Located<string>;
  readonly kind: 'missing' | 'cycle';
  /** For a cycle: the files around it, starting and ending with the included one. */
  readonly cycle?: readonly string[];
}

export interface ThreagileSystem<P extends ThreagilePart> {
  /** The file the model is loaded from (Threagile's `-model` file). */
  readonly root: P;
  /** The root first, then included parts depth-first in include order, each once. */
  readonly parts: readonly P[];
  readonly model: ThreagileModel;
  readonly problems: ReadonlyArray<IncludeProblem<P>>;
}

/**
 * Assembles every model among the parts; parts no other part includes are the models' roots.
 * `otherFiles` are files that were analysed but hold no model section (an empty or comments-only
 * include): including one is not a missing include.
 */
export function assembleThreagileSystems<P extends ThreagilePart>(parts: readonly P[], otherFiles: readonly string[] = []): Array<ThreagileSystem<P>> {
  const byKey = new Map<string, P>();
  for (const part of parts) if (!byKey.has(fileKey(part.file))) byKey.set(fileKey(part.file), part);
  const known = new Set(otherFiles.map(fileKey));
  const resolved = new Map<P, Array<{ include: Located<string>; target?: P; known: boolean }>>();
  const included = new Set<P>();
  for (const part of parts) {
    const targets = part.document.includes.map((include) => {
      const key = fileKey(resolveInclude(part.file, include.value));
      return { include, target: byKey.get(key), known: known.has(key) };
    });
    resolved.set(part, targets);
    for (const { target } of targets) if (target && target !== part) included.add(target);
  }

  const systems: Array<ThreagileSystem<P>> = [];
  const reached = new Set<P>();
  const assemble = (root: P) => {
    const order: P[] = [];
    const problems: Array<IncludeProblem<P>> = [];
    const stack: P[] = [];
    const visit = (part: P) => {
      stack.push(part);
      order.push(part);
      reached.add(part);
      for (const { include, target, known } of resolved.get(part) ?? []) {
        if (!target) {
          if (!known) problems.push({ part, include, kind: 'missing' });
        } else if (stack.includes(target)) problems.push({ part, include, kind: 'cycle', cycle: [...stack.slice(stack.indexOf(target)), target].map((item) => item.file) });
        else if (!order.includes(target)) visit(target);
      }
      stack.pop();
    };
    visit(root);
    const complete = looksLikeWholeModel(root.document) && !problems.some((problem) => problem.kind === 'missing');
    systems.push({ root, parts: order, model: combineDocuments(order.map((part) => part.document), complete), problems });
  };
  for (const part of parts) if (!included.has(part)) assemble(part);
  // Parts only reachable through a cycle have no root; each unreached one starts a model of its own.
  for (const part of parts) if (!reached.has(part)) assemble(part);
  return systems;
}

/** The file an include names: relative to the including file's folder, `.` and `..` resolved. */
export function resolveInclude(from: string, include: string): string {
  const normalizedInclude = include.trim().replace(/\\/g, '/');
  if (/^([a-z][a-z0-9+.-]*:|\/)/i.test(normalizedInclude)) return normalizePath(normalizedInclude);
  const file = from.replace(/\\/g, '/');
  const slash = file.lastIndexOf('/');
  const folder = slash === -1 ? '' : file.slice(0, slash + 1);
  return normalizePath(folder + normalizedInclude);
}

function normalizePath(path: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path)?.[0] ?? '';
  const rest = path.slice(scheme.length);
  const absolute = rest.startsWith('/');
  const out: string[] = [];
  for (const segment of rest.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (segment === '..' && absolute) continue;
    else out.push(segment);
  }
  return scheme + (absolute ? '/' : '') + out.join('/');
}

/** One spelling per file: separators unified, `.`/`..` resolved, URI escapes decoded. */
function fileKey(file: string): string {
  let decoded = file.replace(/\\/g, '/');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(decoded)) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      // A malformed escape stays as written.
    }
  }
  return normalizePath(decoded);
}
