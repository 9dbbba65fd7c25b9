import { defineRule } from '../rule';
import { isScalar } from '../../core/yaml';
import { isVaultImage, looksLikeVaultConfig, mapScalars, tlsDisabledIn } from '../../model/vault';

export const vaultTlsDisabled = defineRule({
  id: 'TCB041',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'warning',
  title: 'Vault listener with TLS disabled',
  kinds: ['compose', 'kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'TCB Minimization: the vault is the trusted core, and every client that talks to it sends a token and receives secrets. `tls_disable = 1` on a Vault `listener "tcp"` serves that API in plain text: anyone on the path between a client and Vault reads tokens and secrets and can replay them. Vault\'s production hardening guide: "Vault should always be used with TLS in production".',
    fix: 'Give the listener `tls_cert_file` and `tls_key_file` (a Secret mounted from cert-manager, say) and remove `tls_disable`; a sidecar-terminated mesh mTLS counts only when the listener binds to 127.0.0.1.',
    bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vault-config\ndata:\n  vault.hcl: |\n    listener "tcp" {\n      address     = "0.0.0.0:8200"\n      tls_disable = 1\n    }\n    storage "raft" {\n      path = "/vault/data"\n    }',
    good: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vault-config\ndata:\n  vault.hcl: |\n    listener "tcp" {\n      address       = "0.0.0.0:8200"\n      tls_cert_file = "/vault/tls/tls.crt"\n      tls_key_file  = "/vault/tls/tls.key"\n    }\n    storage "raft" {\n      path = "/vault/data"\n    }',
  },
  checkCompose(model, context) {
    for (const service of model.services) {
      if (!isVaultImage(service.image?.value)) continue;
      for (const variable of service.environment) {
        if (variable.name !== 'VAULT_LOCAL_CONFIG' || !isScalar(variable.node)) continue;
        const range = tlsDisabledIn(model.tree, variable.node);
        if (range) context.report({ range, message: `Service "${service.name}" configures Vault with tls_disable: its API, with every token and secret it hands out, is served in plain text.` });
      }
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    if (object.kind === 'ConfigMap' && object.apiVersion === 'v1') {
      for (const { key, node } of mapScalars(tree, tree.map(object.root, 'data'))) {
        const range = tlsDisabledIn(tree, node);
        if (range && looksLikeVaultConfig(String(node.value))) context.report({ range, message: `ConfigMap "${object.name ?? '?'}" (${key}) configures a Vault listener with tls_disable: its API, with every token and secret it hands out, is served in plain text.` });
      }
      return;
    }
    for (const container of object.podSpec?.containers ?? []) {
      if (!isVaultImage(container.image?.value)) continue;
      for (const variable of container.env) {
        if (variable.name !== 'VAULT_LOCAL_CONFIG') continue;
        const range = tlsDisabledIn(tree, isScalar(variable.node) ? variable.node : tree.get(variable.node, 'value'));
        if (range) context.report({ range, message: `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}" configures Vault with tls_disable: its API, with every token and secret it hands out, is served in plain text.` });
      }
    }
  },
});
