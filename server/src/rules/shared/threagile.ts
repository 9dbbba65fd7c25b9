import type { ArchitectureModel } from '../../model/architecture';
import { PROCESS_LOCAL_PROTOCOLS, ciaWord, type CiaDimension, type ThreagileLink, type ThreagileModel, type ThreagileTechnicalAsset } from '../../model/threagile';
import { ThreagileIndex, threagileIndex } from '../../model/threagileIndex';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import type { Severity } from '../../core/types';

/**
 * Threagile's risk conditions shared by our rules, each with the rule it follows
 * (`pkg/risks/builtin/*_rule.go`) and, where we judge differently, why. Rules stay one per file;
 * what two rules must agree on (a link's missing authentication, say) is decided here once.
 */

export const CONFIDENTIAL = 3;
export const CRITICAL = 3;
export const STRICTLY_CONFIDENTIAL = 4;
export const MISSION_CRITICAL = 4;

/** The Threagile model and its index, when the architecture model was read from one. */
export function threagileOf(model: ArchitectureModel): { model: ThreagileModel; index: ThreagileIndex } | undefined {
  return model.threagile ? { model: model.threagile, index: threagileIndex(model.threagile) } : undefined;
}

export function isProcessLocal(link: ThreagileLink): boolean {
  return link.protocol !== undefined && PROCESS_LOCAL_PROTOCOLS.has(link.protocol.value);
}

/** The data a link names (sent and received); empty when it names none. */
export function linkData(link: ThreagileLink): string[] {
  return [...new Set([...link.dataAssetsSent, ...link.dataAssetsReceived].map((data) => data.value))];
}

/**
 * A read-only link that names its data, all of it public: fetching a public key set, pulling a
 * public image, downloading a UI bundle. Nothing on it needs an identity to protect it.
 */
export function onlyReadsPublicData(index: ThreagileIndex, link: ThreagileLink): boolean {
  const data = linkData(link);
  return link.readonly?.value === true && data.length > 0 && data.every((id) => index.dataRating(id, 'confidentiality') === 0 && index.dataAssets.has(id));
}

/** "confidential data", "mission-critical integrity": what makes an asset or a link sensitive, in words. */
export function sensitivityWords(ratings: Partial<Record<CiaDimension, number>>): string {
  const words: string[] = [];
  if ((ratings.confidentiality ?? 0) >= CONFIDENTIAL) words.push(`${ciaWord('confidentiality', ratings.confidentiality!)} data`);
  if ((ratings.integrity ?? 0) >= CRITICAL) words.push(`${ciaWord('integrity', ratings.integrity!)} integrity`);
  if ((ratings.availability ?? 0) >= CRITICAL) words.push(`${ciaWord('availability', ratings.availability!)} availability`);
  return words.join(', ');
}

export function processedRatings(index: ThreagileIndex, asset: ThreagileTechnicalAsset): Record<CiaDimension, number> {
  return { confidentiality: index.highestProcessed(asset, 'confidentiality'), integrity: index.highestProcessed(asset, 'integrity'), availability: index.highestProcessed(asset, 'availability') };
}

export function ownRatings(index: ThreagileIndex, asset: ThreagileTechnicalAsset): Record<CiaDimension, number> {
  return { confidentiality: index.ownRating(asset, 'confidentiality'), integrity: index.ownRating(asset, 'integrity'), availability: index.ownRating(asset, 'availability') };
}

export interface AuthenticationGap {
  /** `none`: nothing authenticates the caller; `location`: only a VPN or an IP filter does. */
  readonly kind: 'none' | 'location';
  readonly severity: Severity;
  /** Why the target needs it: "it processes strictly-confidential data". */
  readonly because: string;
  readonly riskId: string;
}

/**
 * Threagile's missing-authentication: an in-scope target that processes sensitive data (or is
 * multi-tenant) and is not a technology that needs no authentication (load balancer, reverse
 * proxy, WAF, service registry, IDS/IPS) receives a link with `authentication: none` that is not
 * process-local, from a caller that is neither a monitoring-like tool nor a datastore.
 *
 * Where we differ: a read-only link that names its data, all public, is not reported (nothing on
 * it is protected by an identity); Threagile reports it because of what else the target holds.
 */
export function missingAuthentication(index: ThreagileIndex, link: ThreagileLink): AuthenticationGap | undefined {
  if (link.authentication?.value !== 'none' || isProcessLocal(link)) return undefined;
  const target = index.target(link);
  const caller = index.source(link);
  if (!index.inScope(target) || index.has(target, ATTRIBUTE.noAuthenticationRequired)) return undefined;
  if (!caller || index.has(caller, ATTRIBUTE.unprotectedCommunicationsTolerated) || index.isDatastore(caller)) return undefined;
  const ratings = processedRatings(index, target);
  const sensitive = sensitivityWords(ratings);
  const multiTenant = target.multiTenant?.value === true;
  if (!sensitive && !multiTenant) return undefined;
  if (onlyReadsPublicData(index, link)) return undefined;
  const kind = link.vpn?.value || link.ipFiltered?.value ? 'location' : 'none';
  const confidential = ratings.confidentiality >= CONFIDENTIAL || index.linkHighest(link, 'confidentiality') >= CONFIDENTIAL;
  return {
    kind,
    severity: confidential ? 'error' : 'warning',
    because: sensitive ? `it processes ${sensitive}` : 'it is multi-tenant',
    riskId: `missing-authentication@${link.id}@${link.sourceId}@${target.id}`,
  };
}

export interface AuthorizationGap {
  /** `none`: no authorization; `technical-user`: the end user's identity is not propagated. */
  readonly kind: 'none' | 'technical-user';
  readonly data: string;
  readonly riskId: string;
}

/**
 * Sensitive data reached without authorization for the resource, judged by what the link itself
 * sends and receives (confidential or above). `authorization: none` is reported on any link that
 * is not process-local; `technical-user` where Threagile's missing-identity-propagation applies:
 * an authenticated link into a target that processes end-user requests, from a technology able
 * to propagate the user's identity (not a datastore), outside devops use. A target that forwards
 * traffic and needs no authentication of its own in Threagile (load balancer, reverse proxy, WAF,
 * service registry, IDS/IPS) holds no records to authorize: the link behind it is judged instead.
 */
export function missingAuthorization(index: ThreagileIndex, link: ThreagileLink): AuthorizationGap | undefined {
  if (isProcessLocal(link)) return undefined;
  const target = index.target(link);
  const caller = index.source(link);
  // A load balancer, reverse proxy or WAF forwards: the records sit, and are authorized, behind it.
  if (!index.inScope(target) || !caller || index.has(target, ATTRIBUTE.noAuthenticationRequired)) return undefined;
  const level = index.linkHighest(link, 'confidentiality');
  if (level < CONFIDENTIAL) return undefined;
  const authorization = link.authorization?.value;
  const data = `${ciaWord('confidentiality', level)} data`;
  const riskId = `missing-identity-propagation@${link.id}@${link.sourceId}@${target.id}`;
  if (authorization === 'none') return { kind: 'none', data, riskId };
  const authentication = link.authentication?.value;
  if (authorization !== 'technical-user' || !authentication || authentication === 'none' || link.usage?.value === 'devops' || index.isDatastore(caller)) return undefined;
  if (!index.has(target, ATTRIBUTE.processesEndUserRequests) || !index.has(caller, ATTRIBUTE.propagatesIdentity)) return undefined;
  return { kind: 'technical-user', data, riskId };
}
