import type { OffsetRange } from '../core/types';
import type { ArchitectureFlow } from './architecture';
import type { AnalyzedDocument } from './documents';
import { componentsOf, componentsOfWorkload, type ModelPart, type SystemScope } from './systems';
import { meshContext, mtlsEnforcement, operationAuthorization, tokenRequirement, type Evidence } from './mesh';
import type { KubernetesObject } from './kubernetes';

/**
 * Model ↔ deployment for the controls a flow declares and a mesh enforces: mTLS (`authentication:
 * mtls`), a required token (`jwt`, `oauth2`, `oidc`, `signed-token`) and per-resource
 * authorization (`authorization: resource-level`), checked on every Kubernetes workload that
 * implements the flow's target. One reading for the drift rules (ZT106, ZT046, ZT047) and the
 * trust-boundary view.
 */

export type DriftControl = 'mtls' | 'token' | 'authorization';

export interface FlowDrift {
  readonly flow: ArchitectureFlow;
  readonly part: ModelPart;
  readonly control: DriftControl;
  /** Where the model declares the control. */
  readonly declared: OffsetRange;
  readonly document: AnalyzedDocument;
  readonly workload: KubernetesObject;
  /** What the deployment does instead, for messages: `accepts requests without a token`. */
  readonly deployed: string;
  readonly evidence?: Evidence;
}

const TOKEN_METHODS = new Set(['jwt', 'oauth2', 'oidc', 'signed-token']);

/** Every declared control of a scope's flows that a workload implementing the flow's target does not enforce. */
export function flowDrifts(scope: SystemScope): FlowDrift[] {
  const byId = new Set(componentsOf(scope).map((located) => located.component.id));
  const flows = scope.models.flatMap((part) => part.model.flows.filter((flow) => flow.to && byId.has(flow.to.value)).map((flow) => ({ flow, part })));
  if (flows.length === 0) return [];
  const mesh = meshContext(scope.kubernetes);
  const drifts: FlowDrift[] = [];
  for (const { document, object } of scope.kubernetes) {
    if (!object.podSpec) continue;
    const implemented = componentsOfWorkload(scope, object).map((located) => located.component.id);
    if (implemented.length === 0) continue;
    for (const { flow, part } of flows.filter(({ flow }) => implemented.includes(flow.to!.value))) {
      const base = { flow, part, document, workload: object };
      const mtls = flow.authentication.find((method) => method.value === 'mtls');
      if (mtls) {
        const enforced = mtlsEnforcement(document, object, mesh);
        if (!enforced.enforced) drifts.push({ ...base, control: 'mtls', declared: mtls.range, deployed: 'accepts plain-text callers', evidence: enforced.evidence });
      }
      const token = flow.authentication.find((method) => TOKEN_METHODS.has(method.value));
      if (token) {
        const requirement = tokenRequirement(object, mesh);
        // Without a RequestAuthentication the application may check tokens itself: only a mesh that validates but does not require them is proven to fail open.
        if (requirement.requirement === 'validated-only') drifts.push({ ...base, control: 'token', declared: token.range, deployed: 'validates tokens but accepts requests without one', evidence: requirement.evidence });
      }
      if (flow.authorization?.value === 'resource-level') {
        const authorization = operationAuthorization(object, mesh);
        // Only a mesh that authorizes, but coarsely, contradicts the model; without a policy the application may authorize per resource itself.
        if (!authorization.perResource && authorization.evidence) drifts.push({ ...base, control: 'authorization', declared: flow.authorization.range, deployed: 'lets the callers its ALLOW policy admits use every path and method', evidence: authorization.evidence });
      }
    }
  }
  return drifts;
}
