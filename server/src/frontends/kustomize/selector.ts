import { BuildError } from './problems';
import { currentId, effectiveNamespace, gvkOf, originalId, stringMap, type Resource } from './resource';

/** A patch `target`: each field is an anchored regular expression; empty fields match anything. */
export interface TargetSelector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

interface CompiledSelector {
  readonly group?: RegExp;
  readonly version?: RegExp;
  readonly kind?: RegExp;
  readonly name?: RegExp;
  readonly namespace?: RegExp;
  readonly labels?: Requirement[];
  readonly annotations?: Requirement[];
}

/**
 * The resources a target selects, in build order. Names and namespaces match the original or the
 * current id (so an overlay can target a base object by the name it has in the base), group,
 * version and kind the current object (Kustomize's `Select`). Throws `BuildError` for a pattern
 * that is not a valid regular expression, or one whose nested repetition could take exponential
 * time (Kustomize's Go regular expressions are linear; ours are not).
 */
export function selectResources(resources: readonly Resource[], selector: TargetSelector): Resource[] {
  const compiled = compileSelector(selector);
  return resources.filter((resource) => matches(resource, compiled));
}

function compileSelector(selector: TargetSelector): CompiledSelector {
  return {
    group: anchored(selector.group, 'group'),
    version: anchored(selector.version, 'version'),
    kind: anchored(selector.kind, 'kind'),
    name: anchored(selector.name, 'name'),
    namespace: anchored(selector.namespace, 'namespace'),
    labels: selector.labelSelector ? parseLabelSelector(selector.labelSelector) : undefined,
    annotations: selector.annotationSelector ? parseLabelSelector(selector.annotationSelector) : undefined,
  };
}

function matches(resource: Resource, selector: CompiledSelector): boolean {
  const original = originalId(resource);
  const current = currentId(resource);
  if (selector.namespace && !selector.namespace.test(effectiveNamespace(original)) && !selector.namespace.test(effectiveNamespace(current))) return false;
  if (selector.name && !selector.name.test(original.name) && !selector.name.test(current.name)) return false;
  const gvk = gvkOf(resource);
  if (selector.group && !selector.group.test(gvk.group)) return false;
  if (selector.version && !selector.version.test(gvk.version)) return false;
  if (selector.kind && !selector.kind.test(gvk.kind)) return false;
  if (selector.labels && !selectorMatches(selector.labels, stringMap(resource, 'labels'))) return false;
  if (selector.annotations && !selectorMatches(selector.annotations, stringMap(resource, 'annotations'))) return false;
  return true;
}

function anchored(pattern: string | undefined, field: string): RegExp | undefined {
  if (!pattern) return undefined;
  return compilePattern(`^(?:${pattern})$`, `target ${field} '${pattern}'`);
}

/** Compiles a user's regular expression, refusing ones that can backtrack exponentially. */
export function compilePattern(source: string, what: string): RegExp {
  if (/\([^()]*[+*][^()]*\)[+*{]/.test(source) || /\([^()]*\{\d+,\d*\}[^()]*\)[+*{]/.test(source)) {
    throw new BuildError(`${what} nests repetitions, which this builder does not evaluate (it could take exponential time)`, 'not-supported');
  }
  try {
    return new RegExp(source);
  } catch (error) {
    throw new BuildError(`${what} is not a valid regular expression: ${(error as Error).message}`);
  }
}

interface Requirement {
  readonly key: string;
  readonly operator: 'exists' | 'notExists' | 'equals' | 'notEquals' | 'in' | 'notIn' | 'gt' | 'lt';
  readonly values: readonly string[];
}

/**
 * Parses a Kubernetes label selector string (`app=web,tier!=db,env in (dev,test),!legacy`), the
 * syntax of `kubectl -l` and of Kustomize's labelSelector/annotationSelector. Throws `BuildError`
 * on malformed input.
 */
export function parseLabelSelector(text: string): Requirement[] {
  const requirements: Requirement[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if ((match = /^!\s*([^\s,!=()<>]+)\s*(?:,|$)/.exec(rest))) {
      requirements.push({ key: match[1], operator: 'notExists', values: [] });
    } else if ((match = /^([^\s,!=()<>]+)\s+(in|notin)\s*\(([^)]*)\)\s*(?:,|$)/.exec(rest))) {
      const values = match[3].split(',').map((value) => value.trim()).filter((value) => value !== '');
      requirements.push({ key: match[1], operator: match[2] === 'in' ? 'in' : 'notIn', values });
    } else if ((match = /^([^\s,!=()<>]+)\s*(==|=|!=|>|<)\s*([^\s,!=()<>]*)\s*(?:,|$)/.exec(rest))) {
      const operator = match[2] === '!=' ? 'notEquals' : match[2] === '>' ? 'gt' : match[2] === '<' ? 'lt' : 'equals';
      requirements.push({ key: match[1], operator, values: [match[3]] });
    } else if ((match = /^([^\s,!=()<>]+)\s*(?:,|$)/.exec(rest))) {
      requirements.push({ key: match[1], operator: 'exists', values: [] });
    } else {
      throw new BuildError(`cannot parse the selector '${text}' near '${rest}'`);
    }
    rest = rest.slice(match[0].length).trim();
  }
  return requirements;
}

export function selectorMatches(requirements: readonly Requirement[], labels: ReadonlyMap<string, string>): boolean {
  return requirements.every((requirement) => {
    const value = labels.get(requirement.key);
    switch (requirement.operator) {
      case 'exists':
        return value !== undefined;
      case 'notExists':
        return value === undefined;
      case 'equals':
        return value === requirement.values[0];
      case 'notEquals':
        return value !== requirement.values[0];
      case 'in':
        return value !== undefined && requirement.values.includes(value);
      case 'notIn':
        return value === undefined || !requirement.values.includes(value);
      case 'gt':
      case 'lt': {
        if (value === undefined) return false;
        const left = Number(value);
        const right = Number(requirement.values[0]);
        if (!Number.isFinite(left) || !Number.isFinite(right)) return false;
        return requirement.operator === 'gt' ? left > right : left < right;
      }
    }
  });
}
