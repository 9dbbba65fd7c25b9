import { isMap, isScalar, isSeq } from './yaml';
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
  if (['trust_boundaries', 'data_assets', 'shared_runtimes', 'risk_tracking'].some((key) => isMap(tree.get(root, key)))) return 'threagile';
  if (includesYamlFiles(tree, root) || onlyThreagileSections(tree, root)) return 'threagile';
  const services = tree.get(root, 'services');
  if (isMap(services) && looksLikeComposeServices(tree, services)) return 'compose';
  return undefined;
}

/** Top-level keys of a Threagile model (`pkg/input/model.go`); the first group is Threagile's own. */
const THREAGILE_OWN_KEYS = new Set([
  'business_criticality', 'business_overview', 'technical_overview', 'application_description', 'management_summary_comment', 'security_requirements',
  'abuse_cases', 'tags_available', 'custom_risk_categories', 'individual_risk_categories', 'diagram_tweak_nodesep', 'diagram_tweak_ranksep', 'diagram_tweak_edge_layout',
  'diagram_tweak_suppress_edge_labels', 'diagram_tweak_layout_left_to_right', 'diagram_tweak_invisible_connections_between_assets', 'diagram_tweak_same_rank_assets',
]);
const THREAGILE_SHARED_KEYS = new Set(['title', 'author', 'contributors', 'date', 'questions']);

/** A part of a split Threagile model holding only its meta sections (`meta.yaml`, `overview.yaml`, `tags.yaml`…). */
function onlyThreagileSections(tree: YamlTree, root: unknown): boolean {
  const keys = tree.entries(root).map(([key]) => String(key.value));
  return keys.some((key) => THREAGILE_OWN_KEYS.has(key)) && keys.every((key) => THREAGILE_OWN_KEYS.has(key) || THREAGILE_SHARED_KEYS.has(key));
}

/** Threagile's top-level `includes:`, a list of YAML files. */
function includesYamlFiles(tree: YamlTree, root: unknown): boolean {
  const includes = tree.get(root, 'includes');
  if (!isSeq(includes) || includes.items.length === 0) return false;
  return tree.items(includes).every((item) => isScalar(item) && typeof item.value === 'string' && /\.ya?ml$/i.test(item.value.trim()));
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
