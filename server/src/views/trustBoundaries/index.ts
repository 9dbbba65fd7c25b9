import { TRUST_LEVELS, type AnalysisOptions, type TrustLevel } from '../../core/options';
import { placeIn, type AnalyzedDocument, type Place } from '../../model/documents';
import { heldSecrets, overBudget, type SecretHolder } from '../../model/secrets';
import { parameterValue } from '../../rules/rule';
import { SECRET_HOLDERS } from '../../rules/tcb/secretHolders';
import { architectureComponentId, architectureZones, driftByFlow, type ArchitectureFlowView, type ArchitectureZoneView } from './architecture';
import { composeComponentId, deploymentZones, workloadComponentId, type BoundaryExposure, type BoundaryFlow, type BoundaryZone } from './deployment';
import { viewedSystems, type ViewedSystem } from './systems';

export type { Place, ViewedSystem, BoundaryExposure };
export { chartTemplatesFolder, composeProjectFile, fileLabel, systemLabel } from './systems';

/** A flow between two components, deployed or modelled. */
export type ViewedFlow = BoundaryFlow | ArchitectureFlowView;

/** What the view shows of a component, whether deployed (compose, Kubernetes) or modelled. */
export interface ViewedComponent {
  readonly id: string;
  readonly label: string;
  /** A model component's title without its id (the label has both); drawings show it, the tooltip both. */
  readonly name?: string;
  /** service, workload, datastore, gateway, vault, … */
  readonly type: string;
  /** The name to reveal. */
  readonly place: Place;
  /** The whole definition: findings inside it count for the component. */
  readonly extent: Place;
  readonly inbound: readonly ViewedFlow[];
  readonly outbound: readonly ViewedFlow[];
  readonly secrets: string[];
  /** The image, the Kubernetes kind, the model's technology. */
  readonly detail?: string;
  /** Set when the component is part of the trusted computing base, with why. */
  readonly tcb?: { readonly reasons: readonly string[] };
  /** What reaches it from outside its system (deployed components only). */
  readonly exposures?: readonly BoundaryExposure[];
  /** Ids of the zones it is in, as the file lists them (a compose service's networks); model components are in one. */
  readonly zones?: readonly string[];
  /** The model's component type (model components only). */
  readonly componentType?: string;
  /** The images its containers run (deployed components only). */
  readonly images?: readonly string[];
}

/** A trust zone: a compose network, a Kubernetes namespace or a model's zone. */
export interface ViewedZone {
  readonly id: string;
  readonly label: string;
  readonly source: BoundaryZone['source'] | ArchitectureZoneView['source'];
  /** The id of the system (compose file, manifest folder or file, model file) it belongs to. */
  readonly system: string;
  /** The zone's name without how its level was derived (`detail`); the label otherwise. */
  readonly name?: string;
  readonly detail?: string;
  /** The enclosing zone of a nested model zone. */
  readonly parent?: string;
  readonly trust?: TrustLevel;
  readonly place?: Place;
  /** The zone's whole definition (model zones): findings inside it belong to the zone. */
  readonly extent?: Place;
  /** Names of a Kubernetes namespace's NetworkPolicies (none: the namespace separates no traffic). */
  readonly networkPolicies?: readonly string[];
  readonly components: readonly ViewedComponent[];
}

/** A secret and the components that hold it. */
export interface SecretHoldersView {
  /** The secret as messages name it: `secret "db"`, `${DB_PASSWORD}`, `Secret "api" (namespace "shop")`. */
  readonly secret: string;
  readonly holders: ReadonlyArray<{ readonly component: string; readonly place: Place }>;
  /** The same verdict TCB010 and TCB101 report on (see `heldSecrets`). */
  readonly overBudget: boolean;
}

export interface TrustBoundaryView {
  /** One per compose file, manifest folder (or file) and model file; see `viewedSystems`. */
  readonly systems: readonly ViewedSystem[];
  /** Deployed and modelled zones in one list, least trusted first, zones without a level last. */
  readonly zones: readonly ViewedZone[];
  /** Most held first. */
  readonly secrets: readonly SecretHoldersView[];
}

/**
 * The trust-boundary view of a workspace: zones from compose networks, Kubernetes namespaces and
 * architecture models, their components and flows, and who holds which secret, computed one
 * system at a time so that same-named services of two files stay two components. The tree view
 * and the diagram both read it. Places are file offsets; the host turns them into locations.
 */
export function trustBoundaryView(documents: readonly AnalyzedDocument[], options: AnalysisOptions): TrustBoundaryView {
  const secretHolderBudget = parameterValue(options, SECRET_HOLDERS);
  const rank = (trust: TrustLevel | undefined) => (trust === undefined ? TRUST_LEVELS.length : TRUST_LEVELS.indexOf(trust));
  const systems = viewedSystems(documents);
  // Models are drawn one file at a time, but their flows are deployed by the workspace: its drift once.
  const drift = systems.some((system) => system.kind !== 'compose' && system.kind !== 'kubernetes') ? driftByFlow(documents) : new Map();
  const zones: ViewedZone[] = systems
    .flatMap((system) => (system.kind === 'compose' || system.kind === 'kubernetes' ? deploymentZones(system, options) : architectureZones(system.documents, drift)).map((zone) => ({ ...zone, system: system.id })))
    .sort((a, b) => rank(a.trust) - rank(b.trust) || a.label.localeCompare(b.label) || a.system.localeCompare(b.system) || a.id.localeCompare(b.id));
  const systemOf = new Map<string, string>();
  // Which system a secret holder's file belongs to, per kind (one file may hold compose and manifests).
  for (const system of systems) for (const file of system.files) systemOf.set(`${system.kind}\u0000${file}`, system.id);
  const componentIdOf = (holder: SecretHolder): string => {
    const file = holder.document.file;
    if (holder.service) return composeComponentId(unitOf(systemOf.get(`compose\u0000${file}`)) ?? file, holder.service.name);
    if (holder.object) return workloadComponentId(unitOf(systemOf.get(`kubernetes\u0000${file}`)) ?? file, holder.object);
    return architectureComponentId(file, holder.component?.id ?? '');
  };
  const components = new Map<string, ViewedComponent>();
  for (const zone of zones) for (const component of zone.components) components.set(component.id, component);
  const secrets: SecretHoldersView[] = [];
  for (const secret of heldSecrets(documents)) {
    const holders: Array<{ component: string; place: Place }> = [];
    for (const holder of secret.holders) {
      const component = components.get(componentIdOf(holder));
      if (!component) continue;
      if (!component.secrets.includes(secret.label)) component.secrets.push(secret.label);
      if (!holders.some((other) => other.component === component.id)) holders.push({ component: component.id, place: placeIn(holder.document, holder.range) });
    }
    if (holders.length > 0) secrets.push({ secret: secret.label, holders, overBudget: overBudget(secret.weighed.length, secretHolderBudget) });
  }
  return { systems, zones, secrets: secrets.sort((a, b) => b.holders.length - a.holders.length || a.secret.localeCompare(b.secret)) };
}

/** `compose:FILE` → `FILE`: what component ids are qualified by. */
function unitOf(systemId: string | undefined): string | undefined {
  return systemId === undefined ? undefined : systemId.slice(systemId.indexOf(':') + 1);
}
