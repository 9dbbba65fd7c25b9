import { TRUST_LEVELS, type AnalysisOptions, type TrustLevel } from '../../core/options';
import type { AnalyzedDocument } from '../../model/documents';
import { architectureBoundaries, type ArchitectureComponentView, type ArchitectureSecretHolders, type ArchitectureZoneView } from './architecture';
import { computeTrustBoundaries, type BoundaryComponent, type BoundaryZone, type SecretHolders } from './deployment';

export type { Place, BoundaryFlow } from './deployment';

/** What the view shows of a component, whether deployed (compose, Kubernetes) or modelled. */
export type ViewedComponent = Pick<BoundaryComponent | ArchitectureComponentView, 'id' | 'label' | 'type' | 'place' | 'extent' | 'inbound' | 'outbound' | 'secrets'>;

export interface TrustBoundaryView {
  /** Deployed and modelled zones in one list, least trusted first (zones without a level lead). */
  readonly zones: ReadonlyArray<BoundaryZone | ArchitectureZoneView>;
  readonly secrets: ReadonlyArray<SecretHolders | ArchitectureSecretHolders>;
}

/**
 * The trust-boundary view of a workspace: zones from compose networks, Kubernetes namespaces and
 * architecture models, their components and flows, and who holds which secret. Places are file
 * offsets; the host turns them into locations.
 */
export function trustBoundaryView(documents: readonly AnalyzedDocument[], options: AnalysisOptions): TrustBoundaryView {
  const deployed = computeTrustBoundaries(documents, options);
  const modelled = architectureBoundaries(documents, options);
  const rank = (trust: TrustLevel | undefined) => (trust === undefined ? -1 : TRUST_LEVELS.indexOf(trust));
  return {
    zones: [...deployed.zones, ...modelled.zones].sort((a, b) => rank(a.trust) - rank(b.trust) || a.label.localeCompare(b.label) || a.id.localeCompare(b.id)),
    secrets: [...deployed.secrets, ...modelled.secrets],
  };
}
