import { TRUST_LEVELS, type AnalysisOptions, type TrustLevel } from '../../core/options';
import { placeIn, type AnalyzedDocument, type Place } from '../../model/documents';
import { heldSecrets, overBudget, type SecretHolder } from '../../model/secrets';
import { parameterValue } from '../../rules/rule';
import { SECRET_HOLDERS } from '../../rules/tcb/secretHolders';
import { architectureComponentId, architectureZones, type ArchitectureFlowView, type ArchitectureZoneView } from './architecture';
import { composeComponentId, deploymentZones, workloadComponentId, type BoundaryFlow, type BoundaryZone } from './deployment';

export type { Place };

/** A flow between two components, deployed or modelled. */
export type ViewedFlow = BoundaryFlow | ArchitectureFlowView;

/** What the view shows of a component, whether deployed (compose, Kubernetes) or modelled. */
export interface ViewedComponent {
  readonly id: string;
  readonly label: string;
  /** service, workload, datastore, gateway, vault, … */
  readonly type: string;
  /** The name to reveal. */
  readonly place: Place;
  /** The whole definition: findings inside it count for the component. */
  readonly extent: Place;
  readonly inbound: readonly ViewedFlow[];
  readonly outbound: readonly ViewedFlow[];
  readonly secrets: string[];
}

/** A trust zone: a compose network, a Kubernetes namespace or a model's zone. */
export interface ViewedZone {
  readonly id: string;
  readonly label: string;
  readonly source: BoundaryZone['source'] | ArchitectureZoneView['source'];
  readonly trust?: TrustLevel;
  readonly place?: Place;
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
  /** Deployed and modelled zones in one list, least trusted first (zones without a level lead). */
  readonly zones: readonly ViewedZone[];
  /** Most held first. */
  readonly secrets: readonly SecretHoldersView[];
}

/**
 * The trust-boundary view of a workspace: zones from compose networks, Kubernetes namespaces and
 * architecture models, their components and flows, and who holds which secret. Places are file
 * offsets; the host turns them into locations.
 */
export function trustBoundaryView(documents: readonly AnalyzedDocument[], options: AnalysisOptions): TrustBoundaryView {
  const secretHolderBudget = parameterValue(options, SECRET_HOLDERS);
  const rank = (trust: TrustLevel | undefined) => (trust === undefined ? -1 : TRUST_LEVELS.indexOf(trust));
  const zones: ViewedZone[] = [...deploymentZones(documents, options), ...architectureZones(documents)].sort((a, b) => rank(a.trust) - rank(b.trust) || a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
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
  return { zones, secrets: secrets.sort((a, b) => b.holders.length - a.holders.length || a.secret.localeCompare(b.secret)) };
}

function componentIdOf(holder: SecretHolder): string {
  if (holder.service) return composeComponentId(holder.document.file, holder.service.name);
  if (holder.object) return workloadComponentId(holder.object);
  return architectureComponentId(holder.document.file, holder.component?.id ?? '');
}
