import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from '../../core/yaml';
import type { ReportInput, Rule, RuleContext } from '../rule';
import { rangeOf, scalarText, valueTextRange, type YamlTree } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import type { EnvVar } from '../../model/common';
import type { ComposeModel, ComposeService } from '../../model/compose';
import { declaredContainers, type KubernetesContainer, type KubernetesObject } from '../../model/kubernetes';
import { normalizeAbsolute } from '../../model/hostMounts';
import type { StartupFacts } from '../../model/authentication';

/**
 * One place that runs a process: a compose service or a Kubernetes container. Rules about what a
 * process runs with (environment, command, image) read both kinds through this one shape.
 */
export interface ProcessSite {
  readonly tree: YamlTree;
  /** `Service "api"` or `Container "api" in Deployment "shop"`: the start of a finding's sentence. */
  readonly label: string;
  readonly image?: string;
  readonly imageRange?: OffsetRange;
  readonly environment: readonly EnvVar[];
  /** The map holding the environment entries (compose `environment:` map or list, k8s `env:` list). */
  readonly environmentNode?: Node;
  /** Command, entrypoint and args scalars, in the order the runtime joins them. */
  readonly commandScalars: readonly Scalar[];
  /** Whether environment comes from somewhere we do not see (compose env_file, k8s envFrom). */
  readonly hasExternalEnvironment: boolean;
  /** Where findings about something missing point (service key, container name). */
  readonly subjectRange: OffsetRange;
  readonly service?: ComposeService;
  readonly container?: KubernetesContainer;
  readonly object?: KubernetesObject;
}

export function composeSites(model: ComposeModel): ProcessSite[] {
  const tree = model.tree;
  return model.services.map((service) => ({
    tree,
    label: `Service "${service.name}"`,
    image: service.image?.value,
    imageRange: service.image?.range,
    environment: service.environment,
    environmentNode: service.node ? tree.get(service.node, 'environment') : undefined,
    commandScalars: service.node ? [...commandScalars(tree, tree.get(service.node, 'entrypoint')), ...commandScalars(tree, tree.get(service.node, 'command'))] : [],
    hasExternalEnvironment: service.node !== undefined && tree.pair(service.node, 'env_file') !== undefined,
    subjectRange: service.keyRange,
    service,
  }));
}

export function kubernetesSites(object: KubernetesObject): ProcessSite[] {
  const tree = object.tree;
  return declaredContainers(object).map((container) => ({
    tree,
    label: containerLabel(object, container),
    image: container.image?.value,
    imageRange: container.image?.range,
    environment: container.env,
    environmentNode: tree.get(container.node, 'env'),
    commandScalars: [...commandScalars(tree, tree.get(container.node, 'command')), ...commandScalars(tree, tree.get(container.node, 'args'))],
    hasExternalEnvironment: tree.pair(container.node, 'envFrom') !== undefined,
    subjectRange: container.subjectRange,
    container,
    object,
  }));
}

export function containerLabel(object: KubernetesObject, container: KubernetesContainer): string {
  const role = container.kind === 'initContainer' ? 'Init container' : container.kind === 'ephemeralContainer' ? 'Ephemeral container' : 'Container';
  return `${role} "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}"`;
}

/** Scalars of a command: a string (`command: redis-server --x`) or a list of arguments. */
function commandScalars(tree: YamlTree, node: Node | undefined): Scalar[] {
  if (isScalar(node)) return scalarText(node) === undefined ? [] : [node];
  if (!isSeq(node)) return [];
  return tree.items(node).filter((item): item is Scalar => isScalar(item) && scalarText(item) !== undefined);
}

/** The whole command line as the shell would see it, one space between arguments. */
export function commandLine(site: ProcessSite): string {
  return site.commandScalars.map((scalar) => scalarText(scalar) ?? '').join(' ');
}

/** A match of `pattern` in one of `scalars`, with the exact source range where the text allows. */
export interface TextMatch {
  readonly text: string;
  readonly scalar: Scalar;
  readonly range: OffsetRange;
  readonly groups: readonly (string | undefined)[];
}

/** Finds `pattern` (global flag not needed) in each scalar's value. */
export function findInScalars(tree: YamlTree, scalars: readonly Scalar[], pattern: RegExp): TextMatch[] {
  const found: TextMatch[] = [];
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (const scalar of scalars) {
    const value = scalarText(scalar);
    if (value === undefined) continue;
    global.lastIndex = 0;
    for (let match = global.exec(value); match; match = global.exec(value)) {
      if (match[0] === '') {
        global.lastIndex++;
        continue;
      }
      found.push({ text: match[0], scalar, range: sourceRangeOf(tree, scalar, match[0], match.index), groups: match.slice(1) });
    }
  }
  return found;
}

/**
 * Range of `needle` inside a scalar's source. Plain, single-line quoted and block scalars keep
 * their text verbatim line by line; when the needle cannot be found as written (escapes, folding),
 * the whole scalar is the range.
 */
export function sourceRangeOf(tree: YamlTree, scalar: Scalar, needle: string, occurrenceAt = 0): OffsetRange {
  const whole = valueTextRange(tree.text, scalar) ?? rangeOf(scalar) ?? { start: 0, end: 0 };
  const source = tree.text.slice(whole.start, whole.end);
  const value = scalarText(scalar) ?? '';
  if (source === value && source.slice(occurrenceAt, occurrenceAt + needle.length) === needle) {
    return { start: whole.start + occurrenceAt, end: whole.start + occurrenceAt + needle.length };
  }
  const index = source.indexOf(needle);
  return index === -1 ? whole : { start: whole.start + index, end: whole.start + index + needle.length };
}

/** The `env:` list item of a Kubernetes container that defines `variable`. */
export function kubernetesEnvItem(tree: YamlTree, container: KubernetesContainer, variable: EnvVar): YAMLMap | undefined {
  for (const item of tree.items(tree.get(container.node, 'env'))) {
    if (!isMap(item)) continue;
    const range = valueTextRange(tree.text, tree.get(item, 'name'));
    if (range && range.start === variable.nameRange.start) return item;
  }
  return undefined;
}

/**
 * A context that reports each range once: services that pull the same `<<: *anchor` block
 * share its text, and one finding on it is enough.
 */
export function oncePerRange<T extends { report(input: ReportInput): void }>(context: T): T {
  const seen = new Set<string>();
  return {
    ...context,
    report(input: ReportInput) {
      const key = `${input.range.start}:${input.range.end}`;
      if (seen.has(key)) return;
      seen.add(key);
      context.report(input);
    },
  };
}

/**
 * The compose and Kubernetes checks of a rule that looks at every item of one kind (a process
 * site, a host mount) the same way: each item once, and each place reported once even when YAML
 * anchors share it between services.
 */
export function checkEvery<T>(composeItems: (model: ComposeModel) => readonly T[], kubernetesItems: (object: KubernetesObject) => readonly T[], check: (item: T, context: RuleContext) => void): Pick<Rule, 'checkCompose' | 'checkKubernetes'> {
  return {
    checkCompose(model, context) {
      const once = oncePerRange(context);
      for (const item of composeItems(model)) check(item, once);
    },
    checkKubernetes(object, context) {
      const once = oncePerRange(context);
      for (const item of kubernetesItems(object)) check(item, once);
    },
  };
}

/** `checkEvery` over process sites: compose services and Kubernetes containers. */
export function checkEveryProcessSite(check: (site: ProcessSite, context: RuleContext) => void): Pick<Rule, 'checkCompose' | 'checkKubernetes'> {
  return checkEvery(composeSites, kubernetesSites, check);
}

/** What a site shows of its start-up (environment names, command, mounts), for facts about its image's defaults. */
export function startupFacts(site: ProcessSite): StartupFacts {
  const tree = site.tree;
  const targets = site.service
    ? site.service.volumes.map((volume) => volume.target)
    : tree.items(tree.get(site.container?.node, 'volumeMounts')).map((mount) => tree.string(mount, 'mountPath'));
  return {
    image: site.image,
    environmentNames: new Set(site.environment.map((variable) => variable.name)),
    command: site.commandScalars.map((scalar) => String(scalar.value)).join(' '),
    mountTargets: targets.flatMap((target) => (target === undefined ? [] : [normalizeAbsolute(target) ?? target])),
    externalEnvironment: site.hasExternalEnvironment,
  };
}
