import { defineRule, type RuleContext } from '../rule';
import type { YAMLMap } from '../../core/yaml';
import type { OffsetRange } from '../../core/types';
import type { YamlTree } from '../../core/tree';
import type { EnvVar } from '../../model/common';
import { commandWords, devModeWord, isVaultImage } from '../../model/vault';

export const vaultDevMode = defineRule({
  id: 'TCB040',
  pattern: 'TCB',
  alsoPattern: 'FF',
  severity: 'error',
  title: 'Vault server runs in dev mode',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  peers: [],
  guidance: {
    why: 'TCB Minimization: the vault is the small trusted core every secret depends on, so it must be the hardest thing to get into. `vault server -dev` — which the official `hashicorp/vault` image runs when no command is given — keeps every secret in memory, starts unsealed, listens without TLS and creates a root token it prints to the log (or takes from `VAULT_DEV_ROOT_TOKEN_ID`). Vault\'s documentation: "never, ever, ever run a dev mode server in production". Anyone who reaches the port or reads the log holds every secret, and a restart loses them all.',
    fix: 'Run `vault server -config=…` with a storage backend (integrated `raft`), a TLS listener and an unseal (auto-unseal with a KMS, or Shamir keys held by people); keep dev mode for a laptop.',
    bad: 'services:\n  vault:\n    image: hashicorp/vault:1.17\n    command: server -dev\n    environment:\n      VAULT_DEV_ROOT_TOKEN_ID: root',
    good: 'services:\n  vault:\n    image: hashicorp/vault:1.17\n    command: server -config=/vault/config/vault.hcl\n    cap_add: [IPC_LOCK]\n    volumes:\n      - ./vault.hcl:/vault/config/vault.hcl:ro',
  },
  checkCompose(model, context) {
    for (const service of model.services) {
      if (!service.node || !isVaultImage(service.image?.value)) continue;
      check(model.tree, service.node, ['command'], service.environment, `Service "${service.name}"`, service.keyRange, context);
    }
  },
  checkKubernetes(object, context) {
    for (const container of object.podSpec?.containers ?? []) {
      if (container.kind !== 'container' || !isVaultImage(container.image?.value)) continue;
      check(object.tree, container.node, ['command', 'args'], container.env, `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}"`, container.subjectRange, context);
    }
  },
});

function check(tree: YamlTree, node: YAMLMap, keys: readonly string[], environment: readonly EnvVar[], label: string, subject: OffsetRange, context: RuleContext): void {
  const written = keys.filter((key) => tree.pair(node, key) !== undefined);
  const words = written.flatMap((key) => commandWords(tree, tree.get(node, key)));
  const dev = devModeWord(words);
  const rootToken = environment.find((variable) => variable.name === 'VAULT_DEV_ROOT_TOKEN_ID');
  const tokenNote = rootToken ? ` and ${rootToken.value !== undefined ? 'a root token written in the file' : 'a root token from VAULT_DEV_ROOT_TOKEN_ID'}` : '';
  if (dev) {
    context.report({ range: dev.range, message: `${label} runs Vault with ${dev.value}${tokenNote}: secrets live in memory only, the server starts unsealed with TLS off, and a root token opens all of it.` });
  } else if (written.length === 0) {
    // The official image's entrypoint runs `server -dev` when given no command.
    context.report({ range: subject, message: `${label} runs the Vault image with no command, which starts \`vault server -dev\`${tokenNote}: secrets live in memory only, the server starts unsealed with TLS off, and a root token opens all of it.` });
  }
}
