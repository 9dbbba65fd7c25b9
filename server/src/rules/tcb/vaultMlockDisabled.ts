import { defineRule, type RuleContext } from '../rule';
import type { YamlTree } from '../../core/tree';
import { mlockDisabledIn } from '../../model/vault';
import { composeVaultConfigs, kubernetesVaultConfigs, type VaultConfigText } from '../shared/vaultServers';

export const vaultMlockDisabled = defineRule({
  id: 'TCB042',
  pattern: 'TCB',
  severity: 'info',
  title: 'Vault may swap secrets to disk (disable_mlock without integrated storage)',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  peers: [],
  guidance: {
    why: 'TCB Minimization: the vault is the small trusted core, and what it holds in memory — the unsealed root key, tokens, secrets — must not leak out of it. Vault calls `mlock` so that memory is never written to swap; `disable_mlock = true` lets the kernel page it to disk, where it outlives the process. Vault\'s documentation: "Disabling mlock is not recommended unless using integrated storage"; with `storage "raft"` it recommends disabling it (mlock and memory-mapped files do not mix), and then swap must be off on the host instead.',
    fix: 'Remove `disable_mlock` and give the container the IPC_LOCK capability (`cap_add: [IPC_LOCK]`, `securityContext.capabilities.add: ["IPC_LOCK"]`), or move to integrated storage on hosts without swap.',
    bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vault-config\ndata:\n  vault.hcl: |\n    disable_mlock = true\n    listener "tcp" {\n      address       = "0.0.0.0:8200"\n      tls_cert_file = "/vault/tls/tls.crt"\n      tls_key_file  = "/vault/tls/tls.key"\n    }\n    storage "file" {\n      path = "/vault/data"\n    }',
    good: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vault-config\ndata:\n  vault.hcl: |\n    disable_mlock = true\n    listener "tcp" {\n      address       = "0.0.0.0:8200"\n      tls_cert_file = "/vault/tls/tls.crt"\n      tls_key_file  = "/vault/tls/tls.key"\n    }\n    storage "raft" {\n      path = "/vault/data"\n    }',
  },
  checkCompose(model, context) {
    for (const config of composeVaultConfigs(model)) report(model.tree, config, context);
  },
  checkKubernetes(object, context) {
    for (const config of kubernetesVaultConfigs(object)) report(object.tree, config, context);
  },
});

function report(tree: YamlTree, config: VaultConfigText, context: RuleContext): void {
  const found = mlockDisabledIn(tree, config.node);
  if (!found || found.raft) return;
  context.report({ range: found.range, message: `${config.label} configures Vault with disable_mlock and storage other than integrated (raft) storage: the unsealed key, tokens and secrets it holds in memory may be swapped to disk.` });
}
