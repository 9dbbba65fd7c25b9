import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';
import type { Node } from '../../core/yaml';

export const permissiveMtls = defineRule({
  id: 'FF007',
  pattern: 'FF',
  alsoPattern: 'ZT',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Mesh mTLS not enforced (PERMISSIVE or DISABLE)',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: [],
  guidance: {
    why: 'An Istio PeerAuthentication in PERMISSIVE mode accepts plain-text connections next to mTLS, and DISABLE accepts nothing else: a workload without a sidecar, or an attacker inside the cluster, talks to the service with no identity at all, and nothing fails to tell you. PERMISSIVE is meant for a migration window; STRICT makes an unauthenticated connection fail. DISABLE is an error, PERMISSIVE a warning.',
    fix: 'Set `mtls.mode: STRICT` (and every `portLevelMtls` entry); move clients without a sidecar into the mesh rather than opening the port to plain text.',
    bad: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: PERMISSIVE',
    good: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: STRICT',
  },
  checkKubernetes(object, context) {
    if (object.kind !== 'PeerAuthentication' || !object.apiVersion.startsWith('security.istio.io/')) return;
    const tree = object.tree;
    const spec = tree.map(object.root, 'spec');
    if (!spec) return;
    const where = `PeerAuthentication "${object.name ?? '?'}"${object.namespace ? ` in namespace "${object.namespace}"` : ''}`;
    const scope = tree.map(spec, 'selector') ? 'the selected workloads' : object.namespace === 'istio-system' ? 'all workloads of the mesh' : 'all workloads of its namespace';
    const check = (modeNode: Node | undefined, what: string) => {
      const mode = scalarText(modeNode)?.trim().toUpperCase();
      if (mode !== 'PERMISSIVE' && mode !== 'DISABLE') return;
      context.report({
        range: valueTextRange(tree.text, modeNode)!,
        severity: mode === 'PERMISSIVE' ? 'warning' : undefined,
        message:
          mode === 'DISABLE'
            ? `${where} sets ${what} DISABLE: ${scope} accept only plain-text connections, with no peer identity to verify.`
            : `${where} sets ${what} PERMISSIVE: ${scope} also accept plain-text connections with no peer identity, and nothing fails when a client skips mTLS.`,
        fixes: fix(`Set ${what} STRICT`, [replaceNode(modeNode, 'STRICT')], false),
      });
    };
    check(tree.get(tree.map(spec, 'mtls'), 'mode'), 'mtls.mode');
    for (const [port, settings] of tree.entries(tree.map(spec, 'portLevelMtls'))) check(tree.get(settings, 'mode'), `portLevelMtls ${String(port.value)} mode`);
  },
});
