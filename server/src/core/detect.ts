import { isMap, isScalar } from './yaml';
import type { YamlTree } from './tree';
import type { FileKind } from './types';

/**
 * Recognises a document's kind by its content, never by file name alone: compose files are
 * often named anything, and manifests live in `deploy/*.yaml`. Unknown YAML returns undefined
 * and is left alone.
 */
export function detectKind(tree: YamlTree): FileKind | undefined {
  const root = tree.root;
  if (!isMap(root)) return undefined;
  const apiVersion = tree.string(root, 'apiVersion');
  const kind = tree.string(root, 'kind');
  if (apiVersion !== undefined && kind !== undefined) {
    if (apiVersion.startsWith('securebydesign/') && kind === 'Architecture') return 'architecture';
    return 'kubernetes';
  }
  if (tree.pair(root, 'technical_assets') || tree.pair(root, 'threagile_version')) return 'threagile';
  // Parts of a Threagile model split over several files (its `includes:`).
  if (['trust_boundaries', 'data_assets', 'shared_runtimes'].some((key) => isMap(tree.get(root, key)))) return 'threagile';
  const services = tree.get(root, 'services');
  if (isMap(services) && looksLikeComposeServices(tree, services)) return 'compose';
  return undefined;
}

const SERVICE_KEYS = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'ports', 'volumes', 'networks', 'depends_on',
  'container_name', 'restart', 'env_file', 'expose', 'healthcheck', 'labels', 'deploy', 'user', 'privileged',
  'cap_add', 'cap_drop', 'network_mode', 'secrets', 'configs', 'extends', 'profiles', 'working_dir', 'logging',
]);

function looksLikeComposeServices(tree: YamlTree, services: unknown): boolean {
  const entries = tree.entries(services);
  if (entries.length === 0) return true;
  // At least one service must look like a compose service; an empty definition also counts
  // because users type the name first and the keys after.
  return entries.some(([, value]) => {
    if (value === undefined || (isScalar(value) && value.value === null)) return true;
    if (!isMap(value)) return false;
    return value.items.length === 0 || tree.entries(value).some(([key]) => SERVICE_KEYS.has(String(key.value)));
  });
}
