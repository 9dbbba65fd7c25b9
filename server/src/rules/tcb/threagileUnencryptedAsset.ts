import { defineRule } from '../rule';
import { fix, insertIntoMap, replaceNode } from '../../core/edits';
import { ciaWord } from '../../model/threagile';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { CONFIDENTIAL, CRITICAL, MISSION_CRITICAL, STRICTLY_CONFIDENTIAL, threagileOf } from '../shared/threagile';

const END_USER_KEY = new Set(['data-with-end-user-individual-key', 'data-with-enduser-individual-key']);

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Contracts:\n    id: contracts\n    confidentiality: confidential\ntechnical_assets:\n  Contract Files:\n    id: contract-files\n    type: datastore\n    technology: file-server\n    encryption: ENCRYPTION\n    data_assets_stored: [contracts]\n';

export const threagileUnencryptedAsset = defineRule({
  id: 'TCB111',
  pattern: 'TCB',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Asset stores confidential data unencrypted',
  kinds: ['threagile'],
  hasFix: true,
  peers: ['Threagile unencrypted-asset'],
  guidance: {
    why: 'Data stored in the clear is readable by everyone who gets at the disk, the backup or the snapshot: the storage administrators, the backup system and every copy join the trusted computing base of that data. Encryption at rest keeps them out of it.',
    fix: 'Encrypt the asset\'s storage (`encryption: transparent` at least); for strictly-confidential end-user data, per-user keys (`encryption: data-with-end-user-individual-key`).',
    bad: MODEL.replace('ENCRYPTION', 'none'),
    good: MODEL.replace('ENCRYPTION', 'transparent'),
    threagile:
      'Follows Threagile\'s unencrypted-asset as its documentation states it: an in-scope asset that stores data (proxies, load balancers, WAFs, IDS/IPS and libraries store nothing at rest) whose stored data or own rating is confidential or critical-integrity, with `encryption: none` (or none stated); strictly-confidential or mission-critical end-user data without per-user keys is an info. Where we differ from Threagile 1.0: an asset that stores no data asset is not reported, whatever it processes.',
  },
  /**
   * Threagile's unencrypted-asset: an in-scope asset that stores data, with storage (not a proxy,
   * load balancer, WAF, IDS/IPS or library), whose stored data or own rating is confidential or
   * critical-integrity, and `encryption: none`; for strictly-confidential or mission-critical data
   * in a technology that stores end-user data, anything but per-user keys (an info: the data is
   * encrypted, not per user).
   */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const asset of index.assets.values()) {
      if (!index.inScope(asset) || asset.dataAssetsStored.length === 0) continue;
      if (asset.attributes.has(ATTRIBUTE.noStorageAtRest) || asset.attributes.has(ATTRIBUTE.embeddedComponent)) continue;
      const confidentiality = index.highestStored(asset, 'confidentiality');
      const integrity = index.highestStored(asset, 'integrity');
      if (confidentiality < CONFIDENTIAL && integrity < CRITICAL) continue;
      const verySensitive = confidentiality >= STRICTLY_CONFIDENTIAL || integrity >= MISSION_CRITICAL;
      const endUserKey = verySensitive && asset.attributes.has(ATTRIBUTE.storesEndUserData);
      const encryption = asset.encryption;
      const what = confidentiality >= CONFIDENTIAL ? `${ciaWord('confidentiality', confidentiality)} data` : `${ciaWord('integrity', integrity)}-integrity data`;
      const riskId = `unencrypted-asset@${asset.id}`;
      if (!encryption || encryption.value === 'none') {
        context.report({
          tree: asset.tree,
          range: encryption?.range ?? asset.range,
          message: `"${asset.id}" stores ${what} ${encryption ? 'with `encryption: none`' : 'and states no encryption'}: whoever gets the disk, a backup or a snapshot reads it.`,
          threagileRiskId: riskId,
          fixes: asset.node
            ? fix('Encrypt at rest (encryption: transparent)', [encryption ? replaceNode(asset.tree.get(asset.node, 'encryption'), 'transparent') : insertIntoMap(asset.tree, asset.node, ['encryption: transparent'])], false)
            : undefined,
        });
      } else if (endUserKey && !END_USER_KEY.has(encryption.value)) {
        context.report({
          tree: asset.tree,
          range: encryption.range,
          severity: 'info',
          message: `"${asset.id}" stores ${what} of end users with ${encryption.value}: one key opens every user's data; per-user keys (data-with-end-user-individual-key) keep a breach to one user.`,
          threagileRiskId: riskId,
        });
      }
    }
  },
});
