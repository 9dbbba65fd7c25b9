import { isScalar, isSeq, type Node, type Scalar, type YAMLMap } from '../core/yaml';
import { scalarText, valueTextRange, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { imageRepositoryIs } from './images';

/**
 * Facts about HashiCorp Vault and OpenBao servers as deployed: which containers run one, whether
 * in dev mode, and the listener settings of their configuration (HCL or JSON, inline in a
 * ConfigMap, an environment variable or a command). Semantics from Vault's documentation:
 * `vault server -dev` ("Dev server mode": in-memory storage, unsealed, TLS off, a root token
 * printed and stored), and the `listener "tcp"` stanza's `tls_disable`.
 */

/** Vault and OpenBao server images (official and the common mirrors). */
const VAULT_IMAGES = /^(?:(?:docker\.io\/)?(?:library\/)?vault|(?:docker\.io\/|public\.ecr\.aws\/)?hashicorp\/vault(?:-enterprise)?|(?:quay\.io\/|docker\.io\/|ghcr\.io\/)?openbao\/openbao)$/;

export function isVaultImage(image: string | undefined): boolean {
  return imageRepositoryIs(image, VAULT_IMAGES);
}

/** A command or argument word as written, with its range. */
export interface CommandWord {
  readonly value: string;
  readonly range: OffsetRange;
}

/** The words of `command`/`args`/`entrypoint`: list items, or a string split at spaces (ranges of each word). */
export function commandWords(tree: YamlTree, node: Node | undefined): CommandWord[] {
  const scalars: Scalar[] = isSeq(node) ? tree.items(node).filter((item): item is Scalar => isScalar(item)) : isScalar(node) ? [node] : [];
  return scalars.flatMap((scalar) => {
    const text = scalarText(scalar) ?? '';
    const range = valueTextRange(tree.text, scalar);
    if (!range) return [];
    const raw = tree.text.slice(range.start, range.end);
    // Map words of a plain one-line scalar onto the source; quoted or folded text points at the whole value.
    if (raw === text) return [...text.matchAll(/\S+/g)].map((match) => ({ value: match[0], range: { start: range.start + match.index!, end: range.start + match.index! + match[0].length } }));
    return text.split(/\s+/).filter(Boolean).map((value) => ({ value, range }));
  });
}

/** `-dev` / `--dev` (and `-dev-*` variants such as `-dev-tls`, which still runs in-memory and unsealed). */
export function devModeWord(words: readonly CommandWord[]): CommandWord | undefined {
  return words.find((word) => /^--?dev(?:$|=true$|-listen-address|-root-token-id|-tls$)/.test(word.value));
}

/**
 * `tls_disable` switched on in Vault configuration text written in a scalar (HCL `tls_disable = 1`
 * / `"true"`, or JSON `"tls_disable": true`): the range of the match in the source.
 */
export function tlsDisabledIn(tree: YamlTree, scalar: Node | undefined): OffsetRange | undefined {
  if (!isScalar(scalar)) return undefined;
  const range = valueTextRange(tree.text, scalar);
  if (!range) return undefined;
  const raw = tree.text.slice(range.start, range.end);
  const match = /\\?"?tls_disable\\?"?\s*[:=]\s*\\?"?(?:1|true)\b/i.exec(raw);
  return match ? { start: range.start + match.index, end: range.start + match.index + match[0].length } : undefined;
}

/** Whether a configuration text is a Vault server configuration (a `listener` and a `storage`/`backend` or `ui`). */
export function looksLikeVaultConfig(text: string): boolean {
  return /\blistener\b/.test(text) && /\b(?:storage|backend|ui|seal|api_addr)\b/.test(text);
}

/** The scalar values of a map (ConfigMap `data`). */
export function mapScalars(tree: YamlTree, map: YAMLMap | undefined): Array<{ key: string; node: Scalar }> {
  return tree.entries(map).flatMap(([key, value]) => (isScalar(value) ? [{ key: String(key.value), node: value }] : []));
}

/**
 * Whether a container or service runs a Vault server (not `vault agent`, `vault proxy` or a CLI
 * call): a Vault image with no command (its entrypoint then starts `server -dev`) or `server` among
 * its words.
 */
export function runsVaultServer(image: string | undefined, words: readonly CommandWord[], commandWritten: boolean): boolean {
  return isVaultImage(image) && (!commandWritten || words.some((word) => word.value === 'server'));
}

/**
 * `disable_mlock` switched on in Vault configuration text (HCL `disable_mlock = true` / `1`, or JSON
 * `"disable_mlock": true`), with whether the storage is integrated storage (`raft`), for which
 * Vault's documentation recommends disabling mlock. The range of the match in the source.
 */
export function mlockDisabledIn(tree: YamlTree, scalar: Node | undefined): { readonly range: OffsetRange; readonly raft: boolean } | undefined {
  if (!isScalar(scalar)) return undefined;
  const range = valueTextRange(tree.text, scalar);
  if (!range) return undefined;
  const raw = tree.text.slice(range.start, range.end);
  const match = /\\?"?disable_mlock\\?"?\s*[:=]\s*\\?"?(?:1|true)\b/i.exec(raw);
  if (!match) return undefined;
  const raft = /\bstorage\s*\\?"?\s*[:=]?\s*\{?\s*\\?"raft\\?"|\bstorage\s+"raft"/.test(raw);
  return { range: { start: range.start + match.index, end: range.start + match.index + match[0].length }, raft };
}

/** Images that belong to the vault's own core: the server, its injector and CSI provider, Consul as its storage. */
const VAULT_CORE_IMAGES = /(?:^|\/)(?:vault|vault-enterprise|vault-k8s|vault-csi-provider|openbao|openbao-k8s|consul|consul-enterprise)$/;

/** Whether an image is part of the vault's core rather than an application beside it. */
export function isVaultCoreImage(image: string | undefined): boolean {
  return imageRepositoryIs(image, VAULT_CORE_IMAGES);
}
