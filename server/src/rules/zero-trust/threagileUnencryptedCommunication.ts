import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { ENCRYPTED_PROTOCOLS, ciaWord } from '../../model/threagile';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { CONFIDENTIAL, CRITICAL, MISSION_CRITICAL, STRICTLY_CONFIDENTIAL, isProcessLocal, threagileOf } from '../shared/threagile';

/** The encrypted variant of each plain protocol Threagile knows. */
const ENCRYPTED_VARIANT: Record<string, string> = {
  http: 'https', ws: 'wss', ftp: 'ftps', ldap: 'ldaps', 'reverse-proxy-web-protocol': 'reverse-proxy-web-protocol-encrypted',
  jdbc: 'jdbc-encrypted', odbc: 'odbc-encrypted', 'sql-access-protocol': 'sql-access-protocol-encrypted', 'nosql-access-protocol': 'nosql-access-protocol-encrypted',
  binary: 'binary-encrypted', text: 'text-encrypted', smtp: 'smtp-encrypted', pop3: 'pop3-encrypted', imap: 'imap-encrypted', smb: 'smb-encrypted',
  iiop: 'iiop-encrypted', jrmp: 'jrmp-encrypted',
};

/** What a plain-text link gives away: credentials are replayed, secrets read, critical data altered on the way. */
function consequence(credentials: boolean, confidential: boolean): string {
  if (credentials) return 'anyone on the path reads and replays the credentials';
  return confidential ? 'anyone on the path reads it' : 'anyone on the path can alter it unnoticed';
}

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Orders:\n    id: orders\n    confidentiality: confidential\ntechnical_assets:\n  Shop:\n    id: shop\n    type: process\n    communication_links:\n      Orders DB:\n        target: db\n        protocol: PROTOCOL\n        authentication: credentials\n        authorization: technical-user\n        data_assets_sent: [orders]\n  DB:\n    id: db\n    type: datastore\n    technology: database\n    data_assets_stored: [orders]\n';

export const threagileUnencryptedCommunication = defineRule({
  id: 'ZT109',
  pattern: 'ZT',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Credentials or sensitive data sent unencrypted',
  kinds: ['threagile'],
  hasFix: true,
  peers: ['Threagile unencrypted-communication'],
  guidance: {
    why: 'Assume breach: anyone on the path of a plain-text link reads its credentials and data, and a replayed password is as good as the user. "It is on our internal network" is exactly the implicit trust Zero-Trust removes.',
    fix: 'Use the encrypted protocol (`https`, `jdbc-encrypted`, `ldaps`, …). A VPN protects confidential (not strictly-confidential) data in transit, never credentials.',
    bad: MODEL.replace('PROTOCOL', 'jdbc'),
    good: MODEL.replace('PROTOCOL', 'jdbc-encrypted'),
    threagile:
      'Follows Threagile\'s unencrypted-communication: a link with at least one in-scope end over a protocol that is neither encrypted nor process-local, between assets that are not monitoring-like tools, carrying strictly-confidential or mission-critical data or authentication data (any authentication but `none`), or, outside a VPN, confidential or critical data. Where we differ: credentials count even when the link names no data assets (Threagile only notices them while walking the link\'s data). Severity: error for credentials crossing a network trust boundary in clear, warning otherwise.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const link of index.allLinks()) {
      const source = index.source(link);
      const target = index.target(link);
      const protocol = link.protocol;
      if (!source || !target || !protocol || (!index.inScope(source) && !index.inScope(target))) continue;
      if (ENCRYPTED_PROTOCOLS.has(protocol.value) || isProcessLocal(link) || protocol.value === 'unknown-protocol') continue;
      if (index.has(source, ATTRIBUTE.unprotectedCommunicationsTolerated) || index.has(target, ATTRIBUTE.unprotectedCommunicationsTolerated)) continue;
      const confidentiality = index.linkHighest(link, 'confidentiality');
      const integrity = index.linkHighest(link, 'integrity');
      const credentials = link.authentication !== undefined && link.authentication.value !== 'none';
      const high = confidentiality >= STRICTLY_CONFIDENTIAL || integrity >= MISSION_CRITICAL;
      const medium = !link.vpn?.value && (confidentiality >= CONFIDENTIAL || integrity >= CRITICAL);
      if (!credentials && !high && !medium) continue;
      const across = index.isAcrossNetworkBoundary(link);
      const what = [
        ...(credentials ? [`authentication data (${link.authentication!.value})`] : []),
        ...(confidentiality >= CONFIDENTIAL ? [`${ciaWord('confidentiality', confidentiality)} data`] : integrity >= CRITICAL ? [`${ciaWord('integrity', integrity)}-integrity data`] : []),
      ].join(' and ');
      const variant = ENCRYPTED_VARIANT[protocol.value];
      context.report({
        tree: link.tree,
        range: protocol.range,
        severity: credentials && across ? 'error' : 'warning',
        message: `Link "${link.title}" (${source.id} → ${target.id}) sends ${what} over unencrypted ${protocol.value}${across ? ' across a network trust boundary' : ''}${link.vpn?.value ? ', even inside a VPN' : ''}: ${consequence(credentials, confidentiality >= CONFIDENTIAL)}.`,
        threagileRiskId: `unencrypted-communication@${link.id}@${source.id}@${target.id}`,
        fixes: variant ? fix(`Use ${variant}`, [replaceNode(link.tree.get(link.node, 'protocol'), variant)], false) : undefined,
      });
    }
  },
});
