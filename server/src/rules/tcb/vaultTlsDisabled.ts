import { defineRule, type RuleContext } from '../rule';
import type { YamlTree } from '../../core/tree';
import { tlsDisabledIn } from '../../model/vault';
import { composeVaultConfigs, kubernetesVaultConfigs, type VaultConfigText } from '../shared/vaultServers';

export const vaultTlsDisabled = defineRule({
  id: 'TCB041',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'warning',
  title: 'Vault listener with TLS disabled',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  peers: [],
  guidance: {
    why: 'TCB Minimization: the vault is the trusted core, and every client that talks to it sends a token and receives secrets. `tls_disable = 1` on a Vault `listener "tcp"` serves that API in plain text: anyone on the path between a client and Vault reads tokens and secrets and can replay them. Vault\'s production hardening guide: "Vault should always be used with TLS in production".',
    fix: 'Give the listener `tls_cert_file` and `tls_key_file` (a Secret mounted from cert-manager, say) and remove `tls_disable`; a sidecar-terminated mesh mTLS counts only when the listener binds to 127.0.0.1.',
    bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vault-config\ndata:\n  vault.hcl: |\n    listener "tcp" {\n      address     = "0.0.0.0:8200"\n      tls_disable = 1\n    }\n    storage "raft" {\n      path = "/vault/data"\n    }',
    good: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vault-config\ndata:\n  vault.hcl: |\n    listener "tcp" {\n      address       = "0.0.0.0:8200"\n      tls_cert_file = "/vault/tls/tls.crt"\n      tls_key_file  = "/vault/tls/tls.key"\n    }\n    storage "raft" {\n      path = "/vault/data"\n    }',
  },
  checkCompose(model, context) {
    for (const config of composeVaultConfigs(model)) report(model.tree, config, context);
  },
  checkKubernetes(object, context) {
    for (const config of kubernetesVaultConfigs(object)) report(object.tree, config, context);
  },
});

function report(tree: YamlTree, config: VaultConfigText, context: RuleContext): void {
  const range = tlsDisabledIn(tree, config.node);
  if (range) context.report({ range, message: `${config.label} configures a Vault listener with tls_disable: its API, with every token and secret it hands out, is served in plain text.` });
}
