/**
 * Threagile's technologies and what its risk rules infer from them: attribute names and values
 * as in Threagile's technology reference (`pkg/types/technologies.yaml`, MIT licence), where each
 * technology also has an attribute of its own name (`vault`, `load-balancer`). Aliases resolve to
 * their technology. Names that are not in the table are unknown to Threagile (it refuses them).
 */

interface TechnologyEntry {
  readonly aliases?: readonly string[];
  readonly attributes: readonly string[];
}

const TECHNOLOGIES: Record<string, TechnologyEntry> = {
  ai: { aliases: ['artificial-intelligence', 'machine-learning', 'deep-learning', 'neural-network', 'ml', 'dl'], attributes: ['less_protected_type'] },
  'application-server': { aliases: ['app-server'], attributes: ['high_value_target', 'less_protected_type', 'processing_end_user_requests', 'propagate_identity_to_outgoing_targets', 'web_application'] },
  'artifact-registry': { attributes: ['development_relevant', 'less_protected_type', 'may_contain_secrets'] },
  'batch-processing': { attributes: ['backend_related'] },
  'big-data-platform': { aliases: ['big-data'], attributes: ['backend_related'] },
  'block-storage': { aliases: ['san'], attributes: ['backend_related', 'storing_end_user_data'] },
  browser: { aliases: ['web-browser'], attributes: ['client', 'frontend_related', 'less_protected_type', 'propagate_identity_to_outgoing_targets'] },
  'build-pipeline': { aliases: ['ci', 'continuous-integration'], attributes: ['development_relevant', 'less_protected_type'] },
  'client-system': { aliases: ['client'], attributes: ['client', 'frontend_related', 'less_protected_type', 'propagate_identity_to_outgoing_targets'] },
  cli: { aliases: ['command-line', 'command-line-tool', 'command-line-interface'], attributes: ['propagate_identity_to_outgoing_targets'] },
  cms: { aliases: ['content-management-system'], attributes: ['frontend_related', 'less_protected_type', 'propagate_identity_to_outgoing_targets', 'web_application'] },
  'code-inspection-platform': { aliases: ['code-inspection', 'code-analysis'], attributes: ['development_relevant', 'less_protected_type'] },
  'container-platform': { aliases: ['container', 'docker', 'kubernetes'], attributes: ['backend_related', 'container_platform'] },
  'data-lake': { attributes: ['backend_related'] },
  database: { aliases: ['db'], attributes: ['backend_related', 'storing_end_user_data', 'vulnerable_to_query_injection'] },
  desktop: { aliases: ['desktop-system'], attributes: ['client', 'frontend_related', 'less_protected_type', 'propagate_identity_to_outgoing_targets'] },
  'devops-client': { attributes: ['client', 'development_relevant', 'frontend_related', 'less_protected_type', 'propagate_identity_to_outgoing_targets'] },
  ejb: { aliases: ['enterprise-java-beans'], attributes: ['backend_related', 'less_protected_type', 'processing_end_user_requests', 'propagate_identity_to_outgoing_targets'] },
  erp: { aliases: ['enterprise-resource-planning'], attributes: ['backend_related', 'high_value_target', 'processing_end_user_requests', 'propagate_identity_to_outgoing_targets', 'storing_end_user_data', 'web_application'] },
  'event-listener': { attributes: ['backend_related'] },
  'file-server': { aliases: ['file-storage'], attributes: ['backend_related', 'file_storage', 'storing_end_user_data'] },
  function: { attributes: ['propagate_identity_to_outgoing_targets'] },
  gateway: { attributes: ['frontend_related', 'ftp_internet_access_ok', 'http_internet_access_ok', 'propagate_identity_to_outgoing_targets'] },
  hsm: { aliases: ['hardware-security-module'], attributes: ['backend_related', 'security_control_related'] },
  'identity-provider': { aliases: ['idp'], attributes: ['backend_related', 'high_value_target', 'identity_related', 'propagate_identity_to_outgoing_targets', 'web_application'] },
  'identity-store-database': { aliases: ['identity-store'], attributes: ['backend_related', 'identity_related', 'identity_store', 'vulnerable_to_query_injection'] },
  'identity-store-ldap': { attributes: ['backend_related', 'identity_related', 'identity_store'] },
  ids: { aliases: ['intrusion-detection-system'], attributes: ['close_to_high_value_targets_tolerated', 'no_authentication_required', 'no_network_segmentation_required', 'no_storage_at_rest', 'security_control_related', 'unnecessary_data_tolerated', 'unprotected_communications_tolerated'] },
  'iot-device': { aliases: ['iot'], attributes: ['client', 'frontend_related', 'less_protected_type', 'propagate_identity_to_outgoing_targets'] },
  ips: { aliases: ['intrusion-prevention-system'], attributes: ['close_to_high_value_targets_tolerated', 'no_authentication_required', 'no_network_segmentation_required', 'no_storage_at_rest', 'security_control_related', 'unnecessary_data_tolerated', 'unprotected_communications_tolerated'] },
  'ldap-server': { aliases: ['ldap'], attributes: ['backend_related', 'identity_related', 'identity_store'] },
  library: { attributes: ['embedded_component', 'propagate_identity_to_outgoing_targets'] },
  'load-balancer': { aliases: ['lb'], attributes: ['close_to_high_value_targets_tolerated', 'frontend_related', 'no_authentication_required', 'no_storage_at_rest', 'propagate_identity_to_outgoing_targets', 'traffic_forwarding'] },
  'local-file-system': { aliases: ['local-storage'], attributes: ['file_storage', 'storing_end_user_data'] },
  'mail-server': { aliases: ['email-server'], attributes: ['less_protected_type', 'storing_end_user_data'] },
  mainframe: { attributes: ['backend_related', 'less_protected_type'] },
  'message-queue': { aliases: ['mq'], attributes: ['backend_related', 'propagate_identity_to_outgoing_targets', 'storing_end_user_data'] },
  'mobile-app': { attributes: ['client', 'frontend_related', 'less_protected_type', 'propagate_identity_to_outgoing_targets'] },
  monitoring: { aliases: ['siem'], attributes: ['close_to_high_value_targets_tolerated', 'less_protected_type', 'unnecessary_data_tolerated', 'unprotected_communications_tolerated'] },
  'report-engine': { aliases: ['reporting'], attributes: ['processing_end_user_requests', 'propagate_identity_to_outgoing_targets', 'web_application'] },
  'reverse-proxy': { attributes: ['close_to_high_value_targets_tolerated', 'frontend_related', 'http_internet_access_ok', 'no_authentication_required', 'no_network_segmentation_required', 'no_storage_at_rest', 'propagate_identity_to_outgoing_targets', 'traffic_forwarding'] },
  scheduler: { aliases: ['cron'], attributes: ['backend_related', 'less_protected_type'] },
  'search-engine': { attributes: ['backend_related', 'propagate_identity_to_outgoing_targets', 'search_related'] },
  'search-index': { attributes: ['backend_related', 'search_related'] },
  'service-mesh': { attributes: ['backend_related', 'propagate_identity_to_outgoing_targets'] },
  'service-registry': { aliases: ['service-discovery'], attributes: ['no_authentication_required', 'no_network_segmentation_required'] },
  'sourcecode-repository': { aliases: ['git'], attributes: ['development_relevant', 'less_protected_type', 'may_contain_secrets'] },
  'stream-processing': { attributes: ['backend_related', 'storing_end_user_data'] },
  task: { aliases: ['job'], attributes: ['propagate_identity_to_outgoing_targets'] },
  tool: { aliases: ['utility'], attributes: ['propagate_identity_to_outgoing_targets'] },
  'unknown-technology': { aliases: ['unknown'], attributes: [] },
  vault: { aliases: ['hashicorp-vault'], attributes: ['backend_related', 'security_control_related'] },
  waf: { aliases: ['web-application-firewall'], attributes: ['frontend_related', 'http_internet_access_ok', 'no_authentication_required', 'no_network_segmentation_required', 'no_storage_at_rest', 'propagate_identity_to_outgoing_targets', 'security_control_related', 'traffic_forwarding'] },
  'web-application': { aliases: ['web-app'], attributes: ['http_internet_access_ok', 'less_protected_type', 'processing_end_user_requests', 'propagate_identity_to_outgoing_targets', 'web_application'] },
  'web-server': { attributes: ['http_internet_access_ok', 'less_protected_type', 'processing_end_user_requests', 'propagate_identity_to_outgoing_targets', 'web_application'] },
  'web-service-rest': { aliases: ['rest-api'], attributes: ['backend_related', 'less_protected_type', 'processing_end_user_requests', 'propagate_identity_to_outgoing_targets', 'web_service'] },
  'web-service-soap': { aliases: ['soap-api'], attributes: ['backend_related', 'less_protected_type', 'processing_end_user_requests', 'propagate_identity_to_outgoing_targets', 'web_service'] },
};

const BY_NAME = new Map<string, string>();
for (const [name, entry] of Object.entries(TECHNOLOGIES)) {
  BY_NAME.set(name, name);
  for (const alias of entry.aliases ?? []) if (!BY_NAME.has(alias)) BY_NAME.set(alias, name);
}

/** Every technology name Threagile accepts, aliases included, for completion and validation. */
export const THREAGILE_TECHNOLOGY_NAMES: readonly string[] = [...BY_NAME.keys()];

/** The canonical technology a name or alias stands for; undefined when Threagile does not know it. */
export function canonicalTechnology(name: string): string | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/** Attributes of a set of technologies (each also carries its own name as an attribute). */
export function technologyAttributes(names: readonly string[]): ReadonlySet<string> {
  const attributes = new Set<string>();
  for (const name of names) {
    const canonical = canonicalTechnology(name);
    if (!canonical) continue;
    attributes.add(canonical);
    for (const attribute of TECHNOLOGIES[canonical].attributes) attributes.add(attribute);
  }
  return attributes;
}

/** Threagile's description-free attribute names its rules test, spelled as in its reference. */
export const TECHNOLOGY_ATTRIBUTE = {
  mayContainSecrets: 'may_contain_secrets',
  noAuthenticationRequired: 'no_authentication_required',
  highValueTarget: 'high_value_target',
  webService: 'web_service',
  webApplication: 'web_application',
  identityStore: 'identity_store',
  noNetworkSegmentationRequired: 'no_network_segmentation_required',
  identityRelated: 'identity_related',
  noStorageAtRest: 'no_storage_at_rest',
  httpInternetAccessOk: 'http_internet_access_ok',
  ftpInternetAccessOk: 'ftp_internet_access_ok',
  unprotectedCommunicationsTolerated: 'unprotected_communications_tolerated',
  closeToHighValueTargetsTolerated: 'close_to_high_value_targets_tolerated',
  client: 'client',
  propagatesIdentity: 'propagate_identity_to_outgoing_targets',
  lessProtectedType: 'less_protected_type',
  processesEndUserRequests: 'processing_end_user_requests',
  storesEndUserData: 'storing_end_user_data',
  frontendRelated: 'frontend_related',
  backendRelated: 'backend_related',
  developmentRelevant: 'development_relevant',
  trafficForwarding: 'traffic_forwarding',
  embeddedComponent: 'embedded_component',
} as const;
