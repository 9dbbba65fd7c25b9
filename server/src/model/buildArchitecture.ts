import { isMap, isScalar, isSeq, type YAMLMap } from '../core/yaml';
import { asBoolean, rangeOf, scalarText, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import type { TrustLevel } from '../core/options';
import {
  COMPONENT_TYPES,
  CONTROLS,
  type ArchitectureComponent,
  type ArchitectureDeployment,
  type ArchitectureFlow,
  type ArchitectureModel,
  type ArchitecturePipeline,
  type ArchitectureReference,
  type ArchitectureZone,
  type ComponentType,
  type Control,
  type DataLevel,
  type Located,
  isDataLevel,
  isTrustLevel,
} from './architecture';
import { buildThreagileModel } from './threagileArchitecture';
import { keyRangeOf, locatedBoolean, locatedList, locatedString, sectionKeys } from './architectureRead';

/** Builds the architecture model from our format or from a Threagile model. */
export function buildArchitectureModel(tree: YamlTree, kind: 'architecture' | 'threagile'): ArchitectureModel | undefined {
  const root = tree.root;
  if (!isMap(root)) return undefined;
  return kind === 'architecture' ? fromOwnFormat(tree, root) : buildThreagileModel(tree, root);
}

const TCB_TYPES: readonly ComponentType[] = ['vault', 'auth-service', 'audit-log'];

/** Authentication methods that are a control; `none` and network location are not. */
const NOT_AUTHENTICATION = new Set(['none', 'anonymous', 'ip-allowlist', 'internal', 'network', 'network-location', 'same-network', 'vpc', 'vpn']);

function dataLevel(located: Located<string> | undefined): Located<DataLevel> | undefined {
  return located && isDataLevel(located.value) ? (located as Located<DataLevel>) : undefined;
}

// ---- our format ----

function fromOwnFormat(tree: YamlTree, root: YAMLMap): ArchitectureModel {
  const zones: ArchitectureZone[] = [];
  const components: ArchitectureComponent[] = [];
  const flows: ArchitectureFlow[] = [];
  const pipelines: ArchitecturePipeline[] = [];
  const deployments: ArchitectureDeployment[] = [];
  const references: ArchitectureReference[] = [];
  const refer = (kind: ArchitectureReference['kind'], located: Located<string> | undefined, from: string) => {
    if (located) references.push({ kind, name: located.value, range: located.range, from });
  };

  for (const [key, value] of tree.entries(tree.get(root, 'zones'))) {
    const id = String(key.value);
    const node = isMap(value) ? value : undefined;
    const trust = locatedString(tree, node, 'trust');
    const parent = locatedString(tree, node, 'parent');
    refer('zone', parent, `zone "${id}"`);
    zones.push({ id, range: rangeOf(key)!, node, trust: trust && isTrustLevel(trust.value) ? (trust as Located<TrustLevel>) : undefined, parent, label: tree.string(node, 'name') });
  }

  for (const [key, value] of tree.entries(tree.get(root, 'components'))) {
    const id = String(key.value);
    const node = isMap(value) ? value : undefined;
    const type = locatedString(tree, node, 'type');
    const componentType: ComponentType = type && (COMPONENT_TYPES as readonly string[]).includes(type.value) ? (type.value as ComponentType) : 'service';
    const tcb = locatedBoolean(tree, node, 'tcb');
    const zone = locatedString(tree, node, 'zone');
    refer('zone', zone, `component "${id}"`);
    const implementedBy = tree.get(node, 'implementedBy');
    components.push({
      id,
      range: rangeOf(key)!,
      node,
      label: tree.string(node, 'name'),
      type,
      componentType,
      zone,
      identity: locatedString(tree, node, 'identity'),
      privileges: locatedList(tree, node, 'privileges'),
      tcb,
      inTcb: tcb?.value ?? TCB_TYPES.includes(componentType),
      secrets: locatedList(tree, node, 'secrets'),
      egress: readEgress(tree, node),
      startupValidation: readStartupValidation(tree, node),
      terminatesTls: locatedBoolean(tree, node, 'terminatesTls'),
      dataLevel: dataLevel(locatedString(tree, node, 'data')),
      maxDataLevel: dataLevel(locatedString(tree, node, 'maxData')),
      implementedBy: {
        compose: locatedList(tree, implementedBy, 'compose'),
        kubernetes: locatedList(tree, implementedBy, 'kubernetes'),
        keyRange: keyRangeOf(tree, node, 'implementedBy'),
      },
      sharedRuntimes: [],
    });
    const deployment = readDeployment(tree, node, id);
    if (deployment) deployments.push(deployment);
  }

  for (const [key, value] of tree.entries(tree.get(root, 'flows'))) {
    const id = String(key.value);
    const node = isMap(value) ? value : undefined;
    const flow = readFlow(tree, id, rangeOf(key)!, node);
    refer('component', flow.from, `flow "${id}"`);
    refer('component', flow.to, `flow "${id}"`);
    flows.push(flow);
  }

  for (const [key, value] of tree.entries(tree.get(root, 'pipelines'))) {
    const id = String(key.value);
    const node = isMap(value) ? value : undefined;
    const pipeline: ArchitecturePipeline = {
      id,
      range: rangeOf(key)!,
      node,
      source: locatedString(tree, node, 'source'),
      sink: locatedString(tree, node, 'sink'),
      sourceLevel: dataLevel(locatedString(tree, node, 'sourceLevel')),
      sinkMaxLevel: dataLevel(locatedString(tree, node, 'sinkMaxLevel')),
    };
    refer('component', pipeline.source, `pipeline "${id}"`);
    refer('component', pipeline.sink, `pipeline "${id}"`);
    pipelines.push(pipeline);
  }

  const modelDeployment = readDeployment(tree, root, undefined);
  if (modelDeployment) deployments.unshift(modelDeployment);

  return {
    kind: 'architecture',
    dialect: 'securebydesign',
    tree,
    root,
    zones,
    components,
    flows,
    pipelines,
    deployments,
    dataAssets: new Map(),
    references,
    sectionKeys: sectionKeys(tree, root, ['kind', 'zones', 'components', 'flows', 'pipelines', 'deployment']),
  };
}

function readFlow(tree: YamlTree, id: string, range: OffsetRange, node: YAMLMap | undefined): ArchitectureFlow {
  const authentication = locatedList(tree, node, 'authentication');
  const authorization = locatedString(tree, node, 'authorization');
  const controls = locatedList(tree, node, 'controls');
  const applied = new Set<Control>();
  for (const control of controls) if ((CONTROLS as readonly string[]).includes(control.value)) applied.add(control.value as Control);
  if (authentication.some((method) => !NOT_AUTHENTICATION.has(method.value))) applied.add('authenticate');
  if (authorization && authorization.value !== 'none') applied.add('authorize');
  return {
    id,
    range,
    node,
    from: locatedString(tree, node, 'from'),
    to: locatedString(tree, node, 'to'),
    protocol: locatedString(tree, node, 'protocol'),
    authentication,
    authenticationKey: keyRangeOf(tree, node, 'authentication'),
    authorization,
    controls,
    controlsKey: keyRangeOf(tree, node, 'controls'),
    expressibleControls: CONTROLS,
    appliedControls: applied,
  };
}

function readEgress(tree: YamlTree, node: unknown): Located<boolean> | undefined {
  const value = tree.get(node, 'egress');
  const range = rangeOf(value);
  if (!range) return undefined;
  if (isSeq(value)) return { value: value.items.length > 0, range };
  const flag = asBoolean(value);
  if (flag !== undefined) return { value: flag, range };
  // `egress: api.stripe.com` names a destination.
  return isScalar(value) && scalarText(value) ? { value: true, range } : undefined;
}

/** `startupValidation: true` or a list of what is checked at startup (non-empty = declared). */
function readStartupValidation(tree: YamlTree, node: unknown): Located<boolean> | undefined {
  const value = tree.get(node, 'startupValidation');
  const range = rangeOf(value);
  if (!range) return undefined;
  if (isSeq(value) || isMap(value)) return { value: value.items.length > 0, range };
  const flag = asBoolean(value);
  return flag === undefined ? undefined : { value: flag, range };
}

function readDeployment(tree: YamlTree, owner: unknown, component: string | undefined): ArchitectureDeployment | undefined {
  const pair = tree.pair(owner, 'deployment');
  const node = tree.get(owner, 'deployment');
  if (!pair || !isMap(node)) return undefined;
  const artifacts = tree.map(node, 'artifacts');
  return {
    component,
    node,
    keyRange: rangeOf(pair.key)!,
    strategy: locatedString(tree, node, 'strategy'),
    configuration: locatedString(tree, node, 'configuration'),
    artifactsNode: artifacts,
    pinned: locatedBoolean(tree, artifacts, 'pinned'),
    signed: locatedBoolean(tree, artifacts, 'signed'),
  };
}
