import type { AnalyzedDocument } from '../../model/documents';
import type { KubernetesContainer, KubernetesObject } from '../../model/kubernetes';
import type { ComposeModel, ComposeService } from '../../model/compose';
import { isScalar, type Node } from '../../core/yaml';
import { commandWords, isVaultImage, looksLikeVaultConfig, mapScalars, runsVaultServer } from '../../model/vault';

/** A Kubernetes workload that runs a Vault server, with the container that does. */
export interface VaultServerWorkload {
  readonly document: AnalyzedDocument;
  readonly object: KubernetesObject;
  readonly container: KubernetesContainer;
}

/** The Vault server containers of the documents' workloads (one per workload). */
export function vaultServerWorkloads(objects: ReadonlyArray<{ readonly document: AnalyzedDocument; readonly object: KubernetesObject }>): VaultServerWorkload[] {
  return objects.flatMap(({ document, object }) => {
    const container = object.podSpec?.containers.find((candidate) => candidate.kind === 'container' && runsVaultServer(candidate.image?.value, [...commandWords(object.tree, object.tree.get(candidate.node, 'command')), ...commandWords(object.tree, object.tree.get(candidate.node, 'args'))], object.tree.pair(candidate.node, 'command') !== undefined || object.tree.pair(candidate.node, 'args') !== undefined));
    return container ? [{ document, object, container }] : [];
  });
}

/** The compose services that run a Vault server. */
export function composeVaultServers(model: ComposeModel): ComposeService[] {
  return model.services.filter((service) => {
    if (!service.node) return false;
    const written = ['entrypoint', 'command'].filter((key) => model.tree.pair(service.node!, key) !== undefined);
    return runsVaultServer(service.image?.value, written.flatMap((key) => commandWords(model.tree, model.tree.get(service.node!, key))), written.length > 0);
  });
}

/**
 * Whether an object lands in the vault's namespace: the same namespace written on both, or — when
 * the vault's file names none — no namespace written and a file of the same folder (applied together
 * with `kubectl apply -f DIR -n NS`; files of other folders may go anywhere).
 */
export function appliedTogether(vault: VaultServerWorkload, other: { readonly document: AnalyzedDocument; readonly object: KubernetesObject }): boolean {
  if (vault.object.namespace !== undefined) return other.object.namespace === vault.object.namespace;
  return other.object.namespace === undefined && folderOf(other.document.file) === folderOf(vault.document.file);
}

function folderOf(file: string): string {
  return file.replace(/[\\/][^\\/]*$/, '');
}

/** A Vault configuration text as written: a VAULT_LOCAL_CONFIG value or a ConfigMap entry that reads as Vault configuration. */
export interface VaultConfigText {
  /** `Service "vault"`, `Container "vault" in StatefulSet "vault"`, `ConfigMap "vault-config" (vault.hcl)`. */
  readonly label: string;
  readonly node: Node | undefined;
}

/** VAULT_LOCAL_CONFIG of the compose services that run a Vault image. */
export function composeVaultConfigs(model: ComposeModel): VaultConfigText[] {
  return model.services.flatMap((service) => (isVaultImage(service.image?.value) ? service.environment.filter((variable) => variable.name === 'VAULT_LOCAL_CONFIG').map((variable) => ({ label: `Service "${service.name}"`, node: variable.node })) : []));
}

/** Vault configuration of a ConfigMap's entries, or VAULT_LOCAL_CONFIG of a workload's Vault containers. */
export function kubernetesVaultConfigs(object: KubernetesObject): VaultConfigText[] {
  const tree = object.tree;
  if (object.kind === 'ConfigMap' && object.apiVersion === 'v1') {
    return mapScalars(tree, tree.map(object.root, 'data')).flatMap(({ key, node }) => (looksLikeVaultConfig(String(node.value)) ? [{ label: `ConfigMap "${object.name ?? '?'}" (${key})`, node }] : []));
  }
  return (object.podSpec?.containers ?? []).flatMap((container) =>
    isVaultImage(container.image?.value)
      ? container.env.filter((variable) => variable.name === 'VAULT_LOCAL_CONFIG').map((variable) => ({ label: `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}"`, node: isScalar(variable.node) ? variable.node : tree.get(variable.node, 'value') }))
      : [],
  );
}
