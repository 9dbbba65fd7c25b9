import type { OffsetRange } from '../../core/types';
import { dirname, joinPath, normalizePath, type SourceFiles } from '../files';
import type { GeneratedSource, SourceSpan } from '../sourceMap';
import { embeddedText, fileStart, parseDocuments, type ParsedDocuments } from './documents';
import { YamlWriter } from './emit';
import { absorbGenerated, contentHash, generate } from './generators';
import { applyJsonPatch, readJsonPatch, type JsonPatchOperation } from './jsonPatch';
import { readKustomization, type Kustomization, type PatchEntry, type Spanned } from './kustomization';
import { fixNameReferences } from './nameReferences';
import { cloneNode, entryOf, mapAt, scalarString, stringAt, type KMap, type KNode, type KScalar } from './nodes';
import { BuildError, type KustomizeProblem, type KustomizeProblemCode } from './problems';
import {
  allIds,
  cloneResource,
  currentId,
  idEquals,
  idKey,
  idString,
  hadName,
  kindOf,
  nameOf,
  namespaceOf,
  newResource,
  parseGroupVersion,
  setName,
  storePreviousId,
  stringMap,
  type ResId,
  type Resource,
} from './resource';
import { selectResources, type TargetSelector } from './selector';
import { finishPatchOrigins, PatchTracker, strategicMerge } from './strategicMerge';
import { applyCommonAnnotations, applyCommonLabels, applyImages, applyLabelSet, applyNameAffix, applyNamespace, applyReplicas } from './transformers';

/** What a file is to the kustomizations that read it. */
export type FileRole = 'kustomization' | 'component' | 'resource' | 'patch' | 'generator-input';

export interface BuildLimits {
  /** Kustomizations nested deeper than this (bases of bases of ...) are an error. */
  readonly maxDepth: number;
  /** Objects in one build. */
  readonly maxObjects: number;
  /** UTF-16 code units of built YAML for one kustomization. */
  readonly maxOutputLength: number;
  /** Nodes one file may expand to (aliases included). */
  readonly maxNodesPerFile: number;
}

export const DEFAULT_LIMITS: BuildLimits = { maxDepth: 32, maxObjects: 10_000, maxOutputLength: 32 * 1024 * 1024, maxNodesPerFile: 1_000_000 };

/** One object of a build, and where its text sits in the build's generated source. */
export interface BuiltObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The file the object was read from, or the kustomization that generated it. */
  readonly file: string;
  readonly generated: boolean;
  /** The object's document in `source.text`. */
  readonly range: OffsetRange;
}

/** The result of building one kustomization folder. */
export interface KustomizeBuild {
  readonly folder: string;
  /** The kustomization file, when one was found. */
  readonly kustomizationFile?: string;
  readonly kind?: 'Kustomization' | 'Component';
  /** False when an error stopped the build: then there are no objects and no source. */
  readonly ok: boolean;
  readonly source?: GeneratedSource;
  readonly objects: readonly BuiltObject[];
  /** Errors (the build failed) and warnings (what was left out), each at the file and line it is about. */
  readonly problems: readonly KustomizeProblem[];
  /** Every file the build read or looked for, bases' files included: an edit to one of them changes the build. */
  readonly dependencies: readonly string[];
  /** What each file read by the build is to it. */
  readonly roles: ReadonlyMap<string, readonly FileRole[]>;
}

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** Files and folders a build looked at, with what it saw, so a cached result can be checked cheaply. */
class Recorder {
  readonly files = new Map<string, string | undefined>();
  readonly folders = new Map<string, string | undefined>();
  readonly roles = new Map<string, Set<FileRole>>();
  /** Warnings, and errors at the lines that lead to an error elsewhere (an overlay's line naming a broken base). */
  readonly notes: KustomizeProblem[] = [];
  remote = false;

  role(path: string, role: FileRole): void {
    const set = this.roles.get(path) ?? new Set<FileRole>();
    set.add(role);
    this.roles.set(path, set);
  }

  absorb(other: Recorder): void {
    for (const [path, text] of other.files) this.files.set(path, text);
    for (const [path, listing] of other.folders) this.folders.set(path, listing);
    for (const [path, roles] of other.roles) for (const role of roles) this.role(path, role);
    for (const note of other.notes) if (!this.notes.some((seen) => sameProblem(seen, note))) this.notes.push(note);
    this.remote ||= other.remote;
  }
}

function sameProblem(a: KustomizeProblem, b: KustomizeProblem): boolean {
  return a.file === b.file && a.range.start === b.range.start && a.message === b.message;
}

interface Accumulation {
  readonly kustomization: Kustomization;
  readonly resources: Resource[];
}

interface CachedAccumulation {
  readonly recorder: Recorder;
  readonly kustomization: Kustomization;
  readonly resources: readonly Resource[];
}

interface CachedBuild {
  readonly recorder: Recorder;
  readonly result: KustomizeBuild;
}

/**
 * Builds kustomization folders in-process with Kustomize 5.x semantics (see the README beside this
 * module for what is and is not applied), reading files only through the host's `SourceFiles`.
 *
 * Parsed files, each folder's accumulated objects and each finished build are cached; a cached
 * entry is reused only after every file and folder it read is read again and found unchanged, so
 * after an edit to one patch only the kustomizations that read it run again, and their bases come
 * from the cache. Pure and synchronous; never throws for bad input (errors are `problems`).
 */
export class KustomizeBuilder {
  private readonly limits: BuildLimits;
  private readonly parsed = new Map<string, ParsedDocuments>();
  private readonly accumulations = new Map<string, CachedAccumulation>();
  private readonly builds = new Map<string, CachedBuild>();

  constructor(
    private readonly files: SourceFiles,
    limits: Partial<BuildLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Builds a folder, or returns the cached build when nothing it read has changed. */
  build(folder: string): KustomizeBuild {
    const root = normalizePath(folder);
    const cached = this.builds.get(root);
    if (cached && this.unchanged(cached.recorder)) return cached.result;
    const recorder = new Recorder();
    let result: KustomizeBuild;
    try {
      const accumulated = this.accumulate(root, recorder, [], true);
      result = this.finish(root, accumulated, recorder);
    } catch (error) {
      result = this.failed(root, recorder, error);
    }
    this.builds.set(root, { recorder, result });
    this.prune();
    return result;
  }

  /**
   * Whether a folder holds a Kustomization (a root the analysis builds) or a Component (built only
   * through the kustomizations that list it); undefined without a readable kustomization file.
   */
  kindOf(folder: string): 'Kustomization' | 'Component' | undefined {
    try {
      return this.loadKustomization(normalizePath(folder), new Recorder(), undefined).kustomization.kind;
    } catch {
      return undefined;
    }
  }

  /** Folders with a cached build that read `path` (directly or through a base or component). */
  dependentsOf(path: string): string[] {
    const target = normalizePath(path);
    const out: string[] = [];
    for (const [folder, cached] of this.builds) if (cached.recorder.files.has(target) || cached.recorder.folders.has(target)) out.push(folder);
    return out.sort();
  }

  /** Forgets everything cached (the host's view of the files changed wholesale). */
  clear(): void {
    this.parsed.clear();
    this.accumulations.clear();
    this.builds.clear();
  }

  private unchanged(recorder: Recorder): boolean {
    for (const [path, text] of recorder.files) if (this.files.read(path) !== text) return false;
    for (const [path, listing] of recorder.folders) if (listingOf(this.files.list(path)) !== listing) return false;
    return true;
  }

  /** Parsed files no cached build read any more are dropped, so the cache follows the workspace. */
  private prune(): void {
    if (this.parsed.size < 512) return;
    const live = new Set<string>();
    for (const cached of this.builds.values()) for (const path of cached.recorder.files.keys()) live.add(path);
    for (const key of this.parsed.keys()) if (!live.has(key.split('\u0000')[0])) this.parsed.delete(key);
  }

  private read(path: string, recorder: Recorder): string | undefined {
    const text = this.files.read(path);
    recorder.files.set(path, text);
    return text;
  }

  private isFolder(path: string, recorder: Recorder): boolean {
    const listing = this.files.list(path);
    recorder.folders.set(path, listingOf(listing));
    return listing !== undefined;
  }

  private parse(path: string, text: string, key: string, options: { toFileOffset?: (offset: number) => number; plainScalars?: 'yaml-v3' | 'yaml-1.1' } = {}): ParsedDocuments {
    const cacheKey = `${path}\u0000${key}`;
    const cached = this.parsed.get(cacheKey);
    if (cached && cached.text === text) return cached;
    const parsed = parseDocuments(text, { file: path, maxNodes: this.limits.maxNodesPerFile, ...options });
    this.parsed.set(cacheKey, parsed);
    return parsed;
  }

  /** Finds and reads the kustomization of a folder. */
  private loadKustomization(folder: string, recorder: Recorder, namedAt: SourceSpan | undefined): { kustomization: Kustomization; text: string } {
    const found: Array<{ path: string; text: string }> = [];
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const path = joinPath(folder, name);
      const text = this.read(path, recorder);
      if (text !== undefined) found.push({ path, text });
    }
    if (found.length === 0) {
      throw new BuildError(`no kustomization.yaml, kustomization.yml or Kustomization in ${folder}`, 'missing-file', namedAt ?? fileStart(joinPath(folder, 'kustomization.yaml')));
    }
    if (found.length > 1) throw new BuildError(`${folder} has more than one kustomization file (${found.map((file) => file.path.slice(folder.length + 1)).join(', ')})`, 'invalid-kustomization', fileStart(found[0].path));
    const { path, text } = found[0];
    const documents = this.parse(path, text, 'kustomization', { plainScalars: 'yaml-1.1' }).documents.filter((document) => document !== null);
    if (documents.length > 1) throw new BuildError('a kustomization file must hold one YAML document', 'invalid-kustomization', fileStart(path));
    const kustomization = readKustomization(documents[0] ? cloneNode(documents[0]) : undefined, path);
    recorder.role(path, kustomization.kind === 'Component' ? 'component' : 'kustomization');
    for (const unsupported of kustomization.unsupported) {
      recorder.notes.push(problem('warning', 'not-supported', `${unsupported.field} is not applied by this builder; the built objects may differ from kustomize build`, unsupported.span ?? fileStart(path)));
    }
    return { kustomization, text };
  }

  /**
   * A kustomization folder's objects before the steps Kustomize runs once at the end (Kustomize's
   * AccumulateTarget on a fresh accumulator). Cached per folder; callers get their own copies.
   */
  private accumulate(folder: string, parent: Recorder, stack: readonly string[], top: boolean, namedAt?: SourceSpan): Accumulation {
    if (stack.includes(folder)) throw new BuildError(`kustomizations include each other: ${[...stack, folder].join(' → ')}`, 'cycle', namedAt);
    if (stack.length >= this.limits.maxDepth) throw new BuildError(`kustomizations are nested more than ${this.limits.maxDepth} deep`, 'too-deep', namedAt);
    const notAComponent = (kustomization: Kustomization) => {
      if (kustomization.kind === 'Component' && !top) throw new BuildError(`${folder} is a Component; list it under components, not resources`, 'invalid-kustomization', namedAt);
    };
    const cached = this.accumulations.get(folder);
    if (cached && this.unchanged(cached.recorder)) {
      parent.absorb(cached.recorder);
      notAComponent(cached.kustomization);
      return { kustomization: cached.kustomization, resources: cached.resources.map(cloneResource) };
    }
    const recorder = new Recorder();
    try {
      const { kustomization, text } = this.loadKustomization(folder, recorder, namedAt);
      notAComponent(kustomization);
      const resources: Resource[] = [];
      this.accumulateTarget(kustomization, text, folder, resources, recorder, [...stack, folder]);
      this.accumulations.set(folder, { recorder, kustomization, resources: resources.map(cloneResource) });
      return { kustomization, resources };
    } finally {
      parent.absorb(recorder);
    }
  }

  /** Resources, generators, components, then the transformers, in Kustomize's order. */
  private accumulateTarget(kustomization: Kustomization, kustomizationText: string, folder: string, resources: Resource[], recorder: Recorder, stack: readonly string[]): void {
    for (const entry of kustomization.resources) this.addResource(entry, folder, resources, recorder, stack);

    const read = (path: string, named: Spanned<string>) => this.readInside(folder, path, named, recorder, 'generator-input');
    for (const args of kustomization.configMapGenerator) withSpan(args.node.origin, () => this.absorb(resources, generate(args, 'ConfigMap', kustomization, read)));
    for (const args of kustomization.secretGenerator) withSpan(args.node.origin, () => this.absorb(resources, generate(args, 'Secret', kustomization, read)));

    for (const entry of kustomization.components) {
      if (isRemote(entry.value) && !this.isFolder(joinPath(folder, entry.value), recorder)) {
        this.remoteNotAnalysed(entry, recorder);
        continue;
      }
      const path = joinPath(folder, entry.value);
      if (stack.includes(path)) throw new BuildError(`kustomizations include each other: ${[...stack, path].join(' → ')}`, 'cycle', entry.node.origin);
      if (stack.length >= this.limits.maxDepth) throw new BuildError(`kustomizations are nested more than ${this.limits.maxDepth} deep`, 'too-deep', entry.node.origin);
      if (!this.isFolder(path, recorder)) throw new BuildError(`the component ${entry.value} is not a folder`, 'missing-file', entry.node.origin);
      const { kustomization: component, text } = this.loadKustomization(path, recorder, entry.node.origin);
      if (component.kind !== 'Component') throw new BuildError(`${entry.value} is listed as a component but its kind is ${component.kind}`, 'invalid-kustomization', entry.node.origin);
      this.accumulateTarget(component, text, path, resources, recorder, [...stack, path]);
    }

    this.transform(kustomization, kustomizationText, folder, resources, recorder);
    if (resources.length > this.limits.maxObjects) throw new BuildError(`the build has more than ${this.limits.maxObjects} objects`, 'too-large', fileStart(kustomization.file));
  }

  private addResource(entry: Spanned<string>, folder: string, resources: Resource[], recorder: Recorder, stack: readonly string[]): void {
    const path = joinPath(folder, entry.value);
    const text = this.read(path, recorder);
    if (text !== undefined) {
      if (!isInside(path, folder)) throw new BuildError(`${entry.value} is outside ${folder}; Kustomize only reads resource files in or below the kustomization's folder (a folder with its own kustomization can be anywhere)`, 'outside-root', entry.node.origin);
      recorder.role(path, 'resource');
      this.append(resources, this.objectsOf(path, text).map((object) => newResource(object, path)), entry.node.origin);
      return;
    }
    if (this.isFolder(path, recorder)) {
      let base: Accumulation;
      try {
        base = this.accumulate(path, recorder, stack, false, entry.node.origin);
      } catch (error) {
        // The error sits in the base; the overlay's line naming the base says why the overlay fails too.
        if (error instanceof BuildError && error.at && entry.node.origin && error.at.file !== entry.node.origin.file) {
          recorder.notes.push(problem('error', error.code, `${entry.value} does not build: ${error.message}`, entry.node.origin));
        }
        throw error;
      }
      this.append(resources, base.resources, entry.node.origin);
      return;
    }
    if (isRemote(entry.value)) {
      this.remoteNotAnalysed(entry, recorder);
      return;
    }
    throw new BuildError(`${entry.value} does not exist or cannot be read`, 'missing-file', entry.node.origin);
  }

  private remoteNotAnalysed(entry: Spanned<string>, recorder: Recorder): void {
    recorder.remote = true;
    recorder.notes.push(
      problem('warning', 'remote-not-analysed', `${entry.value} is remote and is not fetched or analysed: the objects it adds are missing from this build`, entry.node.origin ?? fileStart('')),
    );
  }

  /** Objects of a resource file: Lists expanded; each needs a kind and a name, as Kustomize requires. */
  private objectsOf(path: string, text: string): KMap[] {
    const out: KMap[] = [];
    for (const document of this.parse(path, text, 'file').documents) {
      if (document === null) continue;
      const object = cloneNode(document);
      for (const item of expandList(object, path)) {
        const kind = stringAt(item, 'kind');
        if (!kind) throw new BuildError('an object without a kind', 'invalid-resource', item.origin ?? fileStart(path));
        if (!stringAt(item, 'metadata', 'name')) throw new BuildError(`a ${kind} without metadata.name`, 'invalid-resource', item.origin ?? fileStart(path));
        out.push(item);
      }
    }
    return out;
  }

  /** Appends, refusing a second object with the same id (Kustomize: "may not add resource with an already registered id"). */
  private append(resources: Resource[], incoming: readonly Resource[], at: SourceSpan | undefined): void {
    const seen = new Set(resources.map((resource) => idKey(currentId(resource))));
    for (const resource of incoming) {
      const id = currentId(resource);
      const key = idKey(id);
      if (seen.has(key)) throw new BuildError(`${idString(id)} is included twice`, 'conflict', at);
      seen.add(key);
      resources.push(resource);
    }
  }

  private absorb(resources: Resource[], generated: Resource): void {
    const id = currentId(generated);
    absorbGenerated(resources, generated, (candidate) => hadName(candidate, id.name) && allIds(candidate).some((other) => idEquals(id, other)), idString(id));
  }

  /** Reads a file a kustomization names (patch, env file, config file): it must be in or below the kustomization's folder. */
  private readInside(folder: string, relative: string, named: Spanned<string>, recorder: Recorder, role: FileRole): { path: string; text: string } {
    const path = joinPath(folder, relative);
    if (!isInside(path, folder)) throw new BuildError(`${relative} is outside ${folder}; Kustomize only reads files in or below the kustomization's folder`, 'outside-root', named.node.origin);
    const text = this.read(path, recorder);
    if (text === undefined) throw new BuildError(`${relative} does not exist or cannot be read`, 'missing-file', named.node.origin);
    recorder.role(path, role);
    return { path, text };
  }

  private transform(kustomization: Kustomization, kustomizationText: string, folder: string, resources: Resource[], recorder: Recorder): void {
    const dropEmpties = () => {
      for (let i = resources.length - 1; i >= 0; i--) if (resources[i].object.entries.length === 0) resources.splice(i, 1);
    };
    for (const entry of kustomization.patchesStrategicMerge) {
      const patches = this.strategicPatchesOf(entry, kustomizationText, folder, recorder);
      for (const patch of patches) this.patchById(resources, patch, entry.node.origin, recorder, { allowNameChange: false, allowKindChange: false }, true);
      dropEmpties();
    }
    for (const entry of kustomization.patches) {
      this.applyPatchEntry(entry, kustomizationText, folder, resources, recorder);
      dropEmpties();
    }
    const { namespace, namePrefix, nameSuffix, commonLabels, commonAnnotations } = kustomization;
    if (namespace && namespace.value !== '') withSpan(namespace.node.origin, () => applyNamespace(resources, namespace));
    if (namePrefix && namePrefix.value !== '') withSpan(namePrefix.node.origin, () => applyNameAffix(resources, namePrefix, 'prefix'));
    if (nameSuffix && nameSuffix.value !== '') withSpan(nameSuffix.node.origin, () => applyNameAffix(resources, nameSuffix, 'suffix'));
    for (const labels of kustomization.labels) withSpan(labels.pairs[0]?.keySpan, () => applyLabelSet(resources, labels));
    if (commonLabels.length > 0) withSpan(commonLabels[0].keySpan, () => applyCommonLabels(resources, commonLabels));
    if (commonAnnotations.length > 0) withSpan(commonAnnotations[0].keySpan, () => applyCommonAnnotations(resources, commonAnnotations));
    for (const entry of kustomization.patchesJson6902) {
      this.applyJson6902Entry(entry, kustomizationText, folder, resources, recorder);
      dropEmpties();
    }
    for (const replica of kustomization.replicas) withSpan(replica.node.origin, () => applyReplicas(resources, replica));
    if (kustomization.images.length > 0) withSpan(kustomization.images[0].node.origin, () => applyImages(resources, kustomization.images));
  }

  /** A `patches` entry: strategic merge or JSON 6902, by path or inline, on its target or on the object it names. */
  private applyPatchEntry(entry: PatchEntry, kustomizationText: string, folder: string, resources: Resource[], recorder: Recorder): void {
    const at = entry.node.origin;
    if (!entry.path && !entry.patch) throw new BuildError('a patch needs a path or an inline patch', 'invalid-kustomization', at);
    if (entry.path && entry.patch) throw new BuildError('a patch cannot have both a path and an inline patch', 'invalid-kustomization', at);
    const parsed = this.patchDocuments(entry, kustomizationText, folder, recorder, true);
    if (parsed.kind === 'json') {
      if (!entry.target) throw new BuildError('a JSON patch needs a target', 'invalid-kustomization', at);
      const selected = this.select(resources, entry.target, at, recorder);
      for (const resource of selected) {
        storePreviousId(resource);
        withSpan(at, () => this.jsonPatch(resource, parsed.operations));
      }
      return;
    }
    const options = { allowNameChange: entry.allowNameChange, allowKindChange: entry.allowKindChange };
    if (entry.target) {
      if (parsed.patches.length > 1) throw new BuildError('a patches entry with a target can hold only one strategic merge patch', 'invalid-kustomization', at);
      const selected = this.select(resources, entry.target, at, recorder);
      for (const resource of selected) this.strategicPatch(resource, parsed.patches[0], options, true);
      return;
    }
    for (const patch of parsed.patches) this.patchById(resources, patch, at, recorder, options, false);
  }

  private applyJson6902Entry(entry: PatchEntry, kustomizationText: string, folder: string, resources: Resource[], recorder: Recorder): void {
    const at = entry.node.origin;
    if (!entry.target || !entry.target.name) throw new BuildError('patchesJson6902 needs a target with a name', 'invalid-kustomization', at);
    if (!entry.path && !entry.patch) throw new BuildError('patchesJson6902 needs a path or an inline patch', 'invalid-kustomization', at);
    if (entry.path && entry.patch) throw new BuildError('patchesJson6902 cannot have both a path and an inline patch', 'invalid-kustomization', at);
    const parsed = this.patchDocuments(entry, kustomizationText, folder, recorder, false);
    if (parsed.kind !== 'json') throw new BuildError('patchesJson6902 needs a list of JSON patch operations', 'patch-failed', at);
    for (const resource of this.select(resources, entry.target, at, recorder)) withSpan(at, () => this.jsonPatch(resource, parsed.operations));
  }

  private select(resources: readonly Resource[], target: TargetSelector, at: SourceSpan | undefined, recorder: Recorder): Resource[] {
    const selected = withSpan(at, () => selectResources(resources, target));
    if (selected.length === 0) {
      const why = recorder.remote ? ' (it may be in a remote base, which is not analysed)' : '';
      recorder.notes.push(problem('warning', 'no-patch-target', `the patch's target matches no object${why}; Kustomize applies it to nothing`, at ?? fileStart('')));
    }
    return selected;
  }

  private jsonPatch(resource: Resource, operations: readonly JsonPatchOperation[]): void {
    const tracker = new PatchTracker();
    resource.object = applyJsonPatch(resource.object, operations, tracker);
    finishPatchOrigins(resource.object, tracker);
  }

  /** A strategic merge patch without a target patches the object with its apiVersion, kind, name and namespace. */
  private patchById(resources: Resource[], patch: KMap, at: SourceSpan | undefined, recorder: Recorder, options: { allowNameChange: boolean; allowKindChange: boolean }, setGvk: boolean): void {
    const { group, version } = parseGroupVersion(stringAt(patch, 'apiVersion') ?? '');
    const id: ResId = { gvk: { group, version, kind: stringAt(patch, 'kind') ?? '' }, name: stringAt(patch, 'metadata', 'name') ?? '', namespace: stringAt(patch, 'metadata', 'namespace') ?? '' };
    const matches = resources.filter((resource) => hadName(resource, id.name) && allIds(resource).some((other) => idEquals(id, other)));
    if (matches.length === 0) {
      const message = `no object matches the strategic merge patch for ${idString(id)}`;
      if (recorder.remote) {
        recorder.notes.push(problem('warning', 'no-patch-target', `${message} (it may be in a remote base, which is not analysed)`, patch.origin ?? at ?? fileStart('')));
        return;
      }
      throw new BuildError(message, 'no-patch-target', patch.origin ?? at);
    }
    if (matches.length > 1) throw new BuildError(`several objects match the strategic merge patch for ${idString(id)}`, 'no-patch-target', patch.origin ?? at);
    this.strategicPatch(matches[0], patch, options, setGvk);
  }

  private strategicPatch(resource: Resource, patchMaster: KMap, options: { allowNameChange: boolean; allowKindChange: boolean }, setGvk: boolean): void {
    const patch = cloneNode(patchMaster);
    const object = resource.object;
    if (setGvk) {
      const apiVersion = entryOf(object, 'apiVersion');
      const patchApiVersion = entryOf(patch, 'apiVersion');
      if (apiVersion && patchApiVersion) patchApiVersion.value = cloneNode(apiVersion.value);
      stringifyPatchMetadata(patch);
    }
    const tracker = new PatchTracker();
    tracker.track(patch);
    const metadata = mapAt(object, 'metadata');
    const kept = {
      apiVersion: entryOf(object, 'apiVersion')?.value,
      kind: entryOf(object, 'kind')?.value,
      name: metadata ? entryOf(metadata, 'name')?.value : undefined,
      namespace: metadata ? entryOf(metadata, 'namespace')?.value : undefined,
    };
    if (options.allowNameChange || options.allowKindChange) storePreviousId(resource);
    const merged = withSpan(patch.origin, () => strategicMerge(object, patch, tracker));
    if (!merged) {
      resource.object = { kind: 'map', entries: [], origin: object.origin };
      return;
    }
    finishPatchOrigins(merged, tracker);
    resource.object = merged;
    restore(merged, 'apiVersion', kept.apiVersion);
    if (!options.allowKindChange) restore(merged, 'kind', kept.kind, true);
    const mergedMetadata = mapAt(merged, 'metadata');
    if (mergedMetadata) {
      if (!options.allowNameChange) restore(mergedMetadata, 'name', kept.name, true);
      restore(mergedMetadata, 'namespace', kept.namespace, true);
    } else if (kept.name) setName(resource, scalarString(kept.name) ?? '', kept.name.origin);
  }

  /** The documents of a patch (file or inline), as strategic merge patches or JSON 6902 operations. */
  private patchDocuments(
    entry: PatchEntry,
    kustomizationText: string,
    folder: string,
    recorder: Recorder,
    trim: boolean,
  ): { kind: 'strategic'; patches: KMap[] } | { kind: 'json'; operations: JsonPatchOperation[] } {
    const at = entry.node.origin;
    let file: string;
    let text: string;
    let documents: ReadonlyArray<KNode | null>;
    let looksJson: boolean;
    if (entry.path) {
      ({ path: file, text } = this.readInside(folder, entry.path.value, entry.path, recorder, 'patch'));
      looksJson = text.replace(/^\s+/, '').startsWith('[');
      const scalars = firstDocumentIsList(text) ? 'yaml-1.1' : 'yaml-v3';
      documents = withSpan(at, () => this.parse(file, text, `file:${scalars}`, { plainScalars: scalars }).documents);
    } else {
      const node = entry.patch!.node as KScalar;
      file = node.origin?.file ?? folder;
      const embedded = embeddedText(kustomizationText, node, trim);
      text = embedded.text;
      looksJson = text.startsWith('[');
      const scalars = looksJson || /^\s*-/.test(text) ? 'yaml-1.1' : 'yaml-v3';
      documents = withSpan(at, () => this.parse(file, text, `inline:${node.origin?.range.start ?? 0}:${scalars}`, { toFileOffset: embedded.toFileOffset, plainScalars: scalars }).documents);
    }
    const present = documents.filter((document): document is KNode => document !== null);
    if (present.length === 0) throw new BuildError('the patch is empty', 'patch-failed', at);
    if (looksJson || present[0].kind === 'seq') return { kind: 'json', operations: withSpan(at, () => readJsonPatch(present[0])) };
    const patches: KMap[] = [];
    for (const document of present) {
      for (const object of expandList(document as KMap, file)) {
        if (object.kind !== 'map' || !stringAt(object, 'kind') || !stringAt(object, 'metadata', 'name')) {
          throw new BuildError('unable to parse the patch: a strategic merge patch needs apiVersion, kind and metadata.name; a JSON patch is a list of operations', 'patch-failed', object.origin ?? at);
        }
        patches.push(object);
      }
    }
    return { kind: 'strategic', patches };
  }


  /** An entry of the deprecated patchesStrategicMerge: inline patch text, or a file path. */
  private strategicPatchesOf(entry: Spanned<string>, kustomizationText: string, folder: string, recorder: Recorder): KMap[] {
    const node = entry.node as KScalar;
    const inline = entry.value.includes('\n') || /^\s*(apiVersion|kind|metadata)\s*:/.test(entry.value);
    let documents: ReadonlyArray<KNode | null>;
    let file: string;
    if (inline) {
      const embedded = embeddedText(kustomizationText, node, false);
      file = node.origin?.file ?? folder;
      documents = this.parse(file, embedded.text, `inline:${node.origin?.range.start ?? 0}:yaml-v3`, { toFileOffset: embedded.toFileOffset }).documents;
    } else {
      const read = this.readInside(folder, entry.value, entry, recorder, 'patch');
      file = read.path;
      documents = this.parse(file, read.text, 'file:yaml-v3').documents;
    }
    const out: KMap[] = [];
    for (const document of documents) {
      if (document === null) continue;
      for (const object of expandList(document as KMap, file)) {
        if (object.kind !== 'map' || !stringAt(object, 'kind') || !stringAt(object, 'metadata', 'name')) {
          throw new BuildError('a strategic merge patch needs apiVersion, kind and metadata.name', 'patch-failed', object.origin ?? entry.node.origin);
        }
        out.push(object);
      }
    }
    if (out.length === 0) throw new BuildError('the patch is empty', 'patch-failed', entry.node.origin);
    return out;
  }

  /** The steps Kustomize runs once, on the whole result: name hashes, references, local-config objects, order; then the YAML. */
  private finish(folder: string, accumulated: Accumulation, recorder: Recorder): KustomizeBuild {
    const { kustomization } = accumulated;
    let resources = accumulated.resources;
    for (const resource of resources) {
      if (!resource.needsHash) continue;
      const hash = contentHash(resource.object);
      storePreviousId(resource);
      const nameNode = mapAt(resource.object, 'metadata') ? entryOf(mapAt(resource.object, 'metadata')!, 'name')?.value : undefined;
      setName(resource, `${nameOf(resource)}-${hash}`, nameNode?.origin, nameNode?.value);
    }
    withSpan(fileStart(kustomization.file), () => fixNameReferences(resources));
    resources = resources.filter((resource) => {
      const local = stringMap(resource, 'annotations').get('config.kubernetes.io/local-config');
      return local === undefined || local === 'false';
    });
    resources = sortResources(resources, kustomization);
    const writer = new YamlWriter();
    const objects: BuiltObject[] = [];
    for (const resource of resources) {
      const range = writer.document(resource.object);
      if (writer.size > this.limits.maxOutputLength) throw new BuildError(`the built YAML is longer than ${this.limits.maxOutputLength} characters`, 'too-large', fileStart(kustomization.file));
      const namespace = namespaceOf(resource);
      objects.push({
        apiVersion: stringAt(resource.object, 'apiVersion') ?? '',
        kind: kindOf(resource),
        name: nameOf(resource),
        ...(namespace ? { namespace } : {}),
        file: resource.file,
        generated: resource.generatedBy !== undefined,
        range,
      });
    }
    const source: GeneratedSource = { name: `${folder} (kustomize build)`, owner: kustomization.file, text: writer.text, segments: writer.segments };
    return {
      folder,
      kustomizationFile: kustomization.file,
      kind: kustomization.kind,
      ok: true,
      source,
      objects,
      problems: recorder.notes,
      dependencies: [...recorder.files.keys()].sort(),
      roles: rolesOf(recorder),
    };
  }

  private failed(folder: string, recorder: Recorder, error: unknown): KustomizeBuild {
    const kustomizationFile = [...recorder.roles].find(([path, roles]) => dirname(path) === folder && (roles.has('kustomization') || roles.has('component')))?.[0];
    const at = error instanceof BuildError && error.at ? error.at : fileStart(kustomizationFile ?? joinPath(folder, 'kustomization.yaml'));
    const message = error instanceof BuildError ? error.message : `the build failed unexpectedly: ${(error as Error)?.message ?? String(error)}`;
    const code: KustomizeProblemCode = error instanceof BuildError ? error.code : 'patch-failed';
    const problems = [...recorder.notes, problem('error', code, message, at)];
    return { folder, kustomizationFile, ok: false, objects: [], problems, dependencies: [...recorder.files.keys()].sort(), roles: rolesOf(recorder) };
  }
}

function rolesOf(recorder: Recorder): Map<string, FileRole[]> {
  return new Map([...recorder.roles].map(([path, roles]) => [path, [...roles].sort()]));
}

function problem(severity: 'error' | 'warning', code: KustomizeProblemCode, message: string, at: SourceSpan): KustomizeProblem {
  return { severity, code, message, file: at.file, range: at.range };
}

function listingOf(listing: readonly string[] | undefined): string | undefined {
  return listing === undefined ? undefined : listing.join('\n');
}

/**
 * Kustomize copies a targeted or patchesStrategicMerge patch's labels and annotations through a
 * string map before merging (CopyMergeMetaDataFieldsFrom): every value becomes its text (`null`
 * becomes the string "null", so it sets rather than deletes), and an empty or non-map field goes.
 */
function stringifyPatchMetadata(patch: KMap): void {
  const metadata = mapAt(patch, 'metadata');
  if (!metadata) return;
  for (const field of ['labels', 'annotations']) {
    const index = metadata.entries.findIndex((entry) => entry.key === field);
    if (index < 0) continue;
    const value = metadata.entries[index].value;
    const pairs = value.kind === 'map' ? value.entries.filter((entry) => entry.value.kind === 'scalar') : [];
    if (pairs.length === 0) {
      metadata.entries.splice(index, 1);
      continue;
    }
    for (const entry of pairs) {
      const scalar = entry.value as KScalar;
      if (typeof scalar.data !== 'string') entry.value = { ...scalar, data: scalar.data === null ? (scalar.empty ? '' : 'null') : String(scalar.data) };
    }
  }
}

/** Whether a patch file's first content line starts a list (JSON 6902 operations) rather than an object. */
function firstDocumentIsList(text: string): boolean {
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---') continue;
    return trimmed.startsWith('-') || trimmed.startsWith('[');
  }
  return false;
}

/** Puts back the node a patch may not change (kind, name, namespace), or removes one the patch added. */
function restore(map: KMap, key: string, node: KNode | undefined, removeWhenMissing = false): void {
  const index = map.entries.findIndex((entry) => entry.key === key);
  if (node === undefined) {
    if (removeWhenMissing && index >= 0) map.entries.splice(index, 1);
    return;
  }
  if (index >= 0) {
    if (scalarString(map.entries[index].value) === scalarString(node) || key !== 'apiVersion') map.entries[index].value = node;
  } else if (key !== 'apiVersion') map.entries.push({ key, keyOrigin: node.origin, value: node });
}

/** Runs `work`, giving a `BuildError` without a place the span of the entry being applied. */
function withSpan<T>(at: SourceSpan | undefined, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof BuildError && !error.at && at) throw new BuildError(error.message, error.code, at);
    throw error;
  }
}

/** A `FooList` with `items` stands for its items (Kustomize inlines such lists). */
function expandList(object: KNode, file: string): KMap[] {
  if (object.kind !== 'map') throw new BuildError('a YAML document that is not an object', 'invalid-resource', object.origin ?? fileStart(file));
  const kind = stringAt(object, 'kind') ?? '';
  const items = entryOf(object, 'items')?.value;
  if (!kind.endsWith('List') || items === undefined) return [object];
  if (items.kind === 'scalar' && items.data === null) return [];
  if (items.kind !== 'seq') throw new BuildError(`expected a list in ${kind}.items`, 'invalid-resource', items.origin ?? fileStart(file));
  return items.items.flatMap((item) => expandList(item, file));
}

/** Whether `path` is `folder` or below it. */
function isInside(path: string, folder: string): boolean {
  const root = folder.endsWith('/') ? folder : `${folder}/`;
  return path === folder || path.startsWith(root);
}

/** A resource or component Kustomize would fetch: a URL, a git address, or a repository path with a ref. */
export function isRemote(spec: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) || /^git@/.test(spec) || /^(github\.com|gitlab\.com|bitbucket\.org)[/:]/.test(spec) || /\?(ref|version|submodules|timeout)=/.test(spec) || /\.git(\/\/|$)/.test(spec);
}

const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/**
 * Kustomize's output order: `sortOptions` when the kustomization sets it (fifo keeps build order),
 * else the legacy order — kinds in a fixed priority (Namespaces and RBAC first, webhooks last),
 * then by group/version/kind, namespace and name.
 */
function sortResources(resources: Resource[], kustomization: Kustomization): Resource[] {
  const options = kustomization.sortOptions;
  if (options?.order === 'fifo') return resources;
  const first = options?.orderFirst ?? ORDER_FIRST;
  const last = options?.orderLast ?? ORDER_LAST;
  const rank = new Map<string, number>();
  first.forEach((kind, i) => rank.set(kind, -first.length + i));
  last.forEach((kind, i) => rank.set(kind, 1 + i));
  const keyed = resources.map((resource) => {
    const id = currentId(resource);
    const gvk = id.gvk;
    return {
      resource,
      rank: rank.get(gvk.kind) ?? 0,
      kind: gvk.kind,
      group: gvk.group,
      gvkKey: `${gvk.group || '~G'}_${gvk.version || '~V'}_${gvk.kind || '~K'}`,
      idKey: `${gvk.kind || '[noKind]'}.${gvk.version || '[noVer]'}.${gvk.group || '[noGrp]'}|${id.namespace || '~X'}|${id.name || '~N'}`,
    };
  });
  keyed.sort((a, b) => {
    if (a.gvkKey !== b.gvkKey) {
      if (a.rank !== b.rank) return a.rank - b.rank;
      if (a.kind === 'Namespace' && b.kind === 'Namespace' && (a.group === '' || b.group === '')) return compare(b.gvkKey, a.gvkKey);
      return compare(a.gvkKey, b.gvkKey);
    }
    return compare(a.idKey, b.idKey);
  });
  return keyed.map((item) => item.resource);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
