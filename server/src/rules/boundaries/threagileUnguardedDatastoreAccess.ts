import { defineRule } from '../rule';
import { ciaWord, type ThreagileTechnicalAsset } from '../../model/threagile';
import type { ThreagileIndex } from '../../model/threagileIndex';
import { CONFIDENTIAL, CRITICAL, MISSION_CRITICAL, STRICTLY_CONFIDENTIAL, threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Customers:\n    id: customers\n    confidentiality: confidential\ntechnical_assets:\n  Reports:\n    id: reports\n    type: process\n    communication_links:\n      Read Customers:\n        target: customer-db\n        protocol: jdbc-encrypted\n        authentication: credentials\n        authorization: technical-user\n        data_assets_received: [customers]\n  Customer DB:\n    id: customer-db\n    type: datastore\n    technology: database\n    confidentiality: confidential\n    data_assets_stored: [customers]\ntrust_boundaries:\n  Office:\n    id: office\n    type: network-on-prem\n    technical_assets_inside: [REPORTS_IN_OFFICE]\n  Data Center:\n    id: data-center\n    type: network-on-prem\n    technical_assets_inside: [customer-db, REPORTS_IN_DC]\n';

export const threagileUnguardedDatastoreAccess = defineRule({
  id: 'BND108',
  pattern: 'BND',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Sensitive datastore reached directly across a network boundary',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile unguarded-direct-datastore-access'],
  guidance: {
    why: 'A datastore is the innermost tier: only the service that owns the data, next to it, should reach it. A caller in another network segment that talks to the database directly turns the network boundary between them into a hole straight to the data.',
    fix: 'Put a service that owns the data in the datastore\'s segment and have remote callers use its API, or move the caller into the datastore\'s boundary if it really is part of it. Devops access (backups, migrations) is not counted.',
    bad: MODEL.replace('REPORTS_IN_OFFICE', 'reports').replace(', REPORTS_IN_DC', ''),
    good: MODEL.replace('[REPORTS_IN_OFFICE]', '[]').replace(', REPORTS_IN_DC', ', reports'),
    threagile:
      'Follows Threagile\'s unguarded-direct-datastore-access: an in-scope datastore rated confidential or critical-integrity (its own rating) with a non-devops link across a network boundary, where the two ends share no enclosing boundary; identity stores called by their identity provider and file servers reached over FTP-like protocols are exempt. Severity: warning for strictly-confidential or mission-critical datastores, info otherwise (Threagile\'s medium and low).',
  },
  /**
   * Threagile's unguarded-direct-datastore-access: an in-scope datastore rated confidential or
   * critical-integrity (its own rating) with a non-devops link from across a network boundary,
   * where the two share no enclosing boundary; identity stores called by their identity provider
   * and file servers reached over FTP-like protocols are exempt.
   */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const datastore of index.assets.values()) {
      if (!index.inScope(datastore) || !index.isDatastore(datastore)) continue;
      const confidentiality = index.ownRating(datastore, 'confidentiality');
      const integrity = index.ownRating(datastore, 'integrity');
      if (confidentiality < CONFIDENTIAL && integrity < CRITICAL) continue;
      for (const link of index.incoming(datastore.id)) {
        const source = index.source(link);
        if (!source || link.usage?.value === 'devops') continue;
        if (datastore.attributes.has('identity_store') && source.attributes.has('identity-provider')) continue;
        if (datastore.attributes.has('file-server') && ['ftp', 'ftps', 'sftp'].includes(link.protocol?.value ?? '')) continue;
        if (!index.isAcrossNetworkBoundary(link) || shareEnclosingBoundary(index, datastore, source)) continue;
        const rating = confidentiality >= CONFIDENTIAL ? `${ciaWord('confidentiality', confidentiality)}` : `${ciaWord('integrity', integrity)}-integrity`;
        const from = index.boundaryOf(source.id);
        context.report({
          tree: link.tree,
          range: link.range,
          message: `Link "${link.title}" reaches ${rating} datastore "${datastore.id}" directly from "${source.id}" ${from ? `in trust boundary "${from.id}"` : 'outside every trust boundary'}, across a network boundary with no service of the datastore's segment in between.`,
          severity: confidentiality >= STRICTLY_CONFIDENTIAL || integrity >= MISSION_CRITICAL ? 'warning' : 'info',
          threagileRiskId: `unguarded-direct-datastore-access@${link.id}@${source.id}@${datastore.id}`,
        });
      }
    }
  },
});

/** Both outside every boundary, in the same one, or nested under a common one (`isSharingSameParentTrustBoundary`). */
function shareEnclosingBoundary(index: ThreagileIndex, left: ThreagileTechnicalAsset, right: ThreagileTechnicalAsset): boolean {
  const a = index.boundaryOf(left.id);
  const b = index.boundaryOf(right.id);
  if (!a || !b) return !a && !b;
  const chainA = [a, ...index.parentsOf(a)].map((boundary) => boundary.id);
  return [b, ...index.parentsOf(b)].some((boundary) => chainA.includes(boundary.id));
}
