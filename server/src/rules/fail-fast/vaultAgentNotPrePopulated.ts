import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';

const INJECT = 'vault.hashicorp.com/agent-inject';
const PRE_POPULATE = 'vault.hashicorp.com/agent-pre-populate';

export const vaultAgentNotPrePopulated = defineRule({
  id: 'FF040',
  pattern: 'FF',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'Vault Agent injection lets the app start before its secrets',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: [],
  guidance: {
    why: 'Fail-Fast Security: validate security properties at start-up and refuse to run when they are missing. With Vault Agent injection, the init container (`agent-pre-populate`, on by default) renders the secrets before the application starts: if Vault is unreachable or the role is wrong, the pod does not start and says why. `vault.hashicorp.com/agent-pre-populate: "false"` drops that init container, so the application starts with its secret files missing or empty and finds out at runtime — or runs with a fallback.',
    fix: 'Remove the annotation (or set it to "true") so the init container renders the secrets first; keep `agent-pre-populate-only` if no sidecar is needed afterwards.',
    bad: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: orders\n  annotations:\n    vault.hashicorp.com/agent-inject: "true"\n    vault.hashicorp.com/role: orders\n    vault.hashicorp.com/agent-inject-secret-db: database/creds/orders\n    vault.hashicorp.com/agent-pre-populate: "false"\nspec:\n  containers:\n    - name: orders\n      image: example/orders:1.4.2',
    good: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: orders\n  annotations:\n    vault.hashicorp.com/agent-inject: "true"\n    vault.hashicorp.com/role: orders\n    vault.hashicorp.com/agent-inject-secret-db: database/creds/orders\nspec:\n  containers:\n    - name: orders\n      image: example/orders:1.4.2',
  },
  checkKubernetes(object, context) {
    const metadata = object.podSpec?.metadata ?? (object.kind === 'Pod' ? object.metadata : undefined);
    if (!object.podSpec || !metadata) return;
    const tree = object.tree;
    const annotations = tree.get(metadata, 'annotations');
    if (scalarText(tree.get(annotations, INJECT))?.trim() !== 'true') return;
    const node = tree.get(annotations, PRE_POPULATE);
    if (scalarText(node)?.trim() !== 'false') return;
    context.report({
      range: valueTextRange(tree.text, node)!,
      message: `${object.kind} "${object.name ?? '?'}" injects Vault Agent with agent-pre-populate "false": the application starts before its secrets are rendered, so a Vault outage or a wrong role shows up at runtime instead of stopping the start.`,
      fixes: fix('Set agent-pre-populate "true"', [replaceNode(node, '"true"')], false),
    });
  },
});
