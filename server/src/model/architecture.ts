import type { YAMLMap } from '../core/yaml';
import type { YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { TRUST_LEVELS, type TrustLevel } from '../core/options';
import type { ThreagileLink, ThreagileModel, ThreagileTechnicalAsset } from './threagile';

/**
 * The architecture as the user states it: our `kind: Architecture` format, or a Threagile model
 * read into the same shape (threagile.ts). Every element keeps the range it was written at, so
 * rules can point at the exact key or value.
 */

/** A value read from the model together with where it was written. */
export interface Located<T> {
  readonly value: T;
  readonly range: OffsetRange;
}

export const COMPONENT_TYPES = ['service', 'gateway', 'datastore', 'queue', 'vault', 'auth-service', 'audit-log', 'external-system'] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

/** Controls a flow can apply where it crosses a boundary. */
export const CONTROLS = ['authenticate', 'authorize', 'validate', 'sanitize', 'log', 'rate-limit'] as const;
export type Control = (typeof CONTROLS)[number];
/** The controls every crossing into a more trusted zone needs (Security Boundaries). */
export const CROSSING_CONTROLS: readonly Control[] = ['authenticate', 'authorize', 'validate', 'log'];

/** Data classification, least to most sensitive (Threagile's confidentiality scale). */
export const DATA_LEVELS = ['public', 'internal', 'restricted', 'confidential', 'strictly-confidential'] as const;
export type DataLevel = (typeof DATA_LEVELS)[number];

/** Strong, identity-based authentication (Zero-Trust's "verify explicitly"). */
export const STRONG_AUTHENTICATION = ['mtls', 'jwt', 'oauth2', 'oidc', 'spiffe', 'signed-token', 'client-certificate', 'token', 'session', 'session-id', 'credentials', 'two-factor', 'externalized', 'api-key', 'basic'] as const;
/** "Authentication" that is really trust in where the caller sits. */
export const LOCATION_AUTHENTICATION = ['ip-allowlist', 'internal', 'network', 'network-location', 'same-network', 'vpc', 'vpn'] as const;

export const DEPLOYMENT_STRATEGIES = ['immutable', 'rolling', 'blue-green', 'canary', 'in-place', 'ssh', 'manual'] as const;
export const CONFIGURATION_SOURCES = ['version-control', 'on-server', 'manual'] as const;

export interface ArchitectureZone {
  readonly id: string;
  /** The document the element is written in, when the model spans several files (Threagile `includes:`). */
  readonly tree?: YamlTree;
  /** The zone's key (or Threagile `id` value); synthetic zones point at the model's first key. */
  readonly range: OffsetRange;
  readonly node?: YAMLMap;
  readonly trust?: Located<TrustLevel>;
  /** For trust levels the model does not state (Threagile): how the level was derived. */
  readonly derivedTrust?: { readonly level: TrustLevel; readonly reason: string };
  readonly parent?: Located<string>;
  /** Zones the reader made up (Threagile's "outside every boundary"). */
  readonly synthetic?: boolean;
  readonly label?: string;
}

export interface ImplementationRefs {
  readonly compose: readonly Located<string>[];
  /** `Kind/name`, `namespace/Kind/name` or a bare workload name. */
  readonly kubernetes: readonly Located<string>[];
  /** The `implementedBy` key, when written. */
  readonly keyRange?: OffsetRange;
}

export interface ArchitectureComponent {
  readonly id: string;
  /** The document the element is written in, when the model spans several files (Threagile `includes:`). */
  readonly tree?: YamlTree;
  /** The component's key (our format) or its `id` value (Threagile). */
  readonly range: OffsetRange;
  readonly node?: YAMLMap;
  readonly label?: string;
  readonly type?: Located<string>;
  /** The type as one of ours (Threagile technologies mapped onto it). */
  readonly componentType: ComponentType;
  readonly zone?: Located<string>;
  readonly identity?: Located<string>;
  readonly privileges: readonly Located<string>[];
  /** Explicit `tcb:` value. */
  readonly tcb?: Located<boolean>;
  /** Part of the trusted computing base: stated, or implied by the type (vault, auth service, audit log). */
  readonly inTcb: boolean;
  readonly secrets: readonly Located<string>[];
  /** `egress: true`, or a non-empty list of destinations. */
  readonly egress?: Located<boolean>;
  readonly startupValidation?: Located<boolean>;
  readonly terminatesTls?: Located<boolean>;
  /** Most sensitive data the component holds or processes. */
  readonly dataLevel?: Located<DataLevel>;
  /** Most sensitive data it may receive (a sink's maximum). */
  readonly maxDataLevel?: Located<DataLevel>;
  readonly implementedBy: ImplementationRefs;
  readonly sharedRuntimes: readonly string[];
  readonly threagile?: { readonly asset: ThreagileTechnicalAsset; readonly technology?: string; readonly internet?: boolean; readonly outOfScope?: boolean; readonly usage?: string };
}

export interface ArchitectureFlow {
  readonly id: string;
  /** The document the element is written in, when the model spans several files (Threagile `includes:`). */
  readonly tree?: YamlTree;
  readonly range: OffsetRange;
  readonly node?: YAMLMap;
  readonly from?: Located<string>;
  readonly to?: Located<string>;
  readonly protocol?: Located<string>;
  /** Methods as written (a scalar or a list); empty when none is stated. */
  readonly authentication: readonly Located<string>[];
  /** The `authentication` key, for "missing" and list edits. */
  readonly authenticationKey?: OffsetRange;
  readonly authorization?: Located<string>;
  readonly controls: readonly Located<string>[];
  readonly controlsKey?: OffsetRange;
  /** Controls this dialect can state (Threagile states only authentication and authorization). */
  readonly expressibleControls: readonly Control[];
  /** Controls the flow applies, including ones implied by its authentication/authorization. */
  readonly appliedControls: ReadonlySet<Control>;
  readonly threagile?: { readonly link: ThreagileLink; readonly vpn?: boolean; readonly ipFiltered?: boolean; readonly usage?: string; readonly authenticationText?: string };
}

export interface ArchitecturePipeline {
  readonly id: string;
  readonly range: OffsetRange;
  readonly node?: YAMLMap;
  readonly source?: Located<string>;
  readonly sink?: Located<string>;
  readonly sourceLevel?: Located<DataLevel>;
  readonly sinkMaxLevel?: Located<DataLevel>;
}

export interface ArchitectureDeployment {
  /** The component it applies to; undefined for the model-wide `deployment:`. */
  readonly component?: string;
  /** The Threagile communication link the deployment goes through. */
  readonly via?: string;
  readonly node: YAMLMap;
  readonly keyRange: OffsetRange;
  readonly strategy?: Located<string>;
  readonly configuration?: Located<string>;
  readonly artifactsNode?: YAMLMap;
  readonly pinned?: Located<boolean>;
  readonly signed?: Located<boolean>;
}

export type ReferenceKind = 'zone' | 'component' | 'data asset';

/** A name the model uses that must be defined somewhere in the model (maybe another file). */
export interface ArchitectureReference {
  readonly kind: ReferenceKind;
  readonly name: string;
  readonly range: OffsetRange;
  /** What refers: `flow "checkout"`, `component "orders"`. */
  readonly from: string;
  /** The document the reference is written in, when the model spans several files. */
  readonly tree?: YamlTree;
}

export interface ArchitectureModel {
  readonly kind: 'architecture';
  readonly dialect: 'securebydesign' | 'threagile';
  readonly tree: YamlTree;
  readonly root: YAMLMap;
  readonly zones: readonly ArchitectureZone[];
  readonly components: readonly ArchitectureComponent[];
  readonly flows: readonly ArchitectureFlow[];
  readonly pipelines: readonly ArchitecturePipeline[];
  readonly deployments: readonly ArchitectureDeployment[];
  /** Data asset id → classification (Threagile `data_assets`). */
  readonly dataAssets: ReadonlyMap<string, Located<DataLevel> | undefined>;
  readonly references: readonly ArchitectureReference[];
  /** Keys of the top-level sections, where model-wide findings point. */
  readonly sectionKeys: Readonly<Record<string, OffsetRange>>;
  /** The Threagile model as written, every field Threagile's rules read (Threagile dialect only). */
  readonly threagile?: ThreagileModel;
}

/** The syntax tree an element of the model is written in. */
export function treeOf(model: ArchitectureModel, element: { readonly tree?: YamlTree }): YamlTree {
  return element.tree ?? model.tree;
}

export function trustRank(level: TrustLevel | undefined): number {
  return level === undefined ? -1 : TRUST_LEVELS.indexOf(level);
}

export function dataRank(level: DataLevel | undefined): number {
  return level === undefined ? -1 : DATA_LEVELS.indexOf(level);
}

export function isDataLevel(value: string | undefined): value is DataLevel {
  return value !== undefined && (DATA_LEVELS as readonly string[]).includes(value);
}

export function isTrustLevel(value: string | undefined): value is TrustLevel {
  return value !== undefined && (TRUST_LEVELS as readonly string[]).includes(value);
}

/** Lookup tables over one model; rules skip references they cannot resolve (the reference rule reports them). */
export class ModelIndex {
  readonly zones = new Map<string, ArchitectureZone>();
  readonly components = new Map<string, ArchitectureComponent>();

  constructor(readonly model: ArchitectureModel) {
    for (const zone of model.zones) if (!this.zones.has(zone.id)) this.zones.set(zone.id, zone);
    for (const component of model.components) if (!this.components.has(component.id)) this.components.set(component.id, component);
  }

  zoneOf(component: ArchitectureComponent | undefined): ArchitectureZone | undefined {
    return component?.zone ? this.zones.get(component.zone.value) : undefined;
  }

  /** The zone's trust level, stated or derived, or inherited from its parent zone. */
  trustOf(zone: ArchitectureZone | undefined): TrustLevel | undefined {
    for (let current = zone, hops = 0; current && hops < 16; hops++) {
      const level = current.trust?.value ?? current.derivedTrust?.level;
      if (level) return level;
      current = current.parent ? this.zones.get(current.parent.value) : undefined;
    }
    return undefined;
  }

  componentTrust(component: ArchitectureComponent | undefined): TrustLevel | undefined {
    return this.trustOf(this.zoneOf(component));
  }

  endpoints(flow: ArchitectureFlow): { source?: ArchitectureComponent; target?: ArchitectureComponent } {
    return { source: flow.from ? this.components.get(flow.from.value) : undefined, target: flow.to ? this.components.get(flow.to.value) : undefined };
  }
}

/** Holds data whose exposure matters: confidential or above, or a vault. */
export function holdsSensitiveData(component: ArchitectureComponent): boolean {
  return component.componentType === 'vault' || dataRank(component.dataLevel?.value) >= dataRank('confidential');
}

export function flowLabel(flow: ArchitectureFlow): string {
  return `${flow.from?.value ?? '?'} → ${flow.to?.value ?? '?'}`;
}
