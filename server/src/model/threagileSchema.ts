import { CONFIDENTIALITY, CRITICALITY, QUANTITY, RISK_STATUSES, THREAGILE_PROTOCOLS, TRUST_BOUNDARY_TYPES } from './threagile';
import { THREAGILE_TECHNOLOGY_NAMES } from './threagileTechnologies';

/**
 * A JSON Schema (draft-07) of Threagile's model format, written from Threagile's model structs
 * and enumerations (`pkg/input/*.go`, `pkg/types/*.go`) and its documentation. It drives
 * completion and hovers in our server and is written out as `schemas/threagile.schema.json` for
 * other YAML tooling. Enumerations come from the same constants the rules read.
 */

type Schema = Record<string, unknown>;

// An empty value (`tags:` with nothing after it) is null in YAML and the zero value to Threagile.
const text = (description: string): Schema => ({ type: ['string', 'null'], description });
const flag = (description: string): Schema => ({ type: ['boolean', 'null'], description });
const oneOf = (values: readonly string[], description: string): Schema => ({ enum: [...values, null], description });
const list = (items: Schema, description: string): Schema => ({ type: ['array', 'null'], items, description });
const ids = (description: string): Schema => list({ type: 'string' }, description);
/** YAML merge keys (`<<: *defaults`) are resolved by the YAML parser before Threagile reads the map. */
const MERGE_KEY: Schema = { description: 'YAML merge key: the keys of the referenced map, where this map does not set them.' };
const object = (properties: Record<string, Schema>, description: string, required: string[] = []): Schema => ({
  type: 'object',
  description,
  additionalProperties: false,
  properties: { ...properties, '<<': MERGE_KEY },
  ...(required.length > 0 ? { required } : {}),
});
/** A map keyed by title (Threagile's maps), each value an object. */
const byTitle = (value: Schema, description: string): Schema => ({ type: ['object', 'null'], description, additionalProperties: value });

const USAGE = ['business', 'devops'];
const ASSET_TYPES = ['external-entity', 'process', 'datastore'];
const SIZES = ['system', 'service', 'application', 'component'];
const MACHINES = ['physical', 'virtual', 'container', 'serverless'];
const ENCRYPTION = ['none', 'transparent', 'data-with-symmetric-shared-key', 'data-with-asymmetric-shared-key', 'data-with-end-user-individual-key'];
const AUTHENTICATION = ['none', 'credentials', 'session-id', 'token', 'client-certificate', 'two-factor', 'externalized'];
const AUTHORIZATION = ['none', 'technical-user', 'end-user-identity-propagation'];
const DATA_FORMATS = ['json', 'xml', 'serialization', 'file', 'csv', 'yaml'];
const STRIDE = ['spoofing', 'tampering', 'repudiation', 'information-disclosure', 'denial-of-service', 'elevation-of-privilege'];
const FUNCTIONS = ['business-side', 'architecture', 'development', 'operations'];
const SEVERITY = ['low', 'medium', 'elevated', 'high', 'critical'];
const LIKELIHOOD = ['unlikely', 'likely', 'very-likely', 'frequent'];
const IMPACT = ['low', 'medium', 'high', 'very-high'];
const BREACH = ['improbable', 'possible', 'probable'];

const cia = {
  confidentiality: oneOf(CONFIDENTIALITY, 'Who may read it: public, internal, restricted, confidential (a few selected people), strictly-confidential (highest secrecy).'),
  integrity: oneOf(CRITICALITY, 'How bad a modification is: archive, operational, important, critical, mission-critical.'),
  availability: oneOf(CRITICALITY, 'How bad an outage is: archive, operational, important, critical, mission-critical.'),
  justification_cia_rating: text('Why the ratings are what they are.'),
};

const overview = object({ description: text('Text (HTML allowed).'), images: list({ type: 'object', additionalProperties: { type: 'string' } }, 'Images: file name → caption.') }, 'A text for the report.');

const communicationLink = object(
  {
    target: text('Id of the technical asset the link goes to.'),
    description: text('What the link is for.'),
    protocol: oneOf(THREAGILE_PROTOCOLS, 'Protocol of the link: decides whether it is encrypted (https, jdbc-encrypted, ldaps…) or process-local (local-file-access, in-process-library-call…).'),
    authentication: oneOf(AUTHENTICATION, 'How the caller is authenticated; `none` to a sensitive asset is missing authentication (ZT101), `none` behind a VPN or IP filter is trust by location (ZT102).'),
    authorization: oneOf(AUTHORIZATION, 'How the call is authorized: `end-user-identity-propagation` authorizes per end user, `technical-user` per service.'),
    tags: ids('Tags (from tags_available).'),
    vpn: flag('The link runs through a VPN.'),
    ip_filtered: flag('The target accepts the link only from filtered addresses.'),
    readonly: flag('The link only reads (receives data, sends none).'),
    usage: oneOf(USAGE, '`devops` for deployment, administration and backups; `business` otherwise.'),
    data_assets_sent: ids('Ids of the data assets the link sends to the target.'),
    data_assets_received: ids('Ids of the data assets the link receives from the target.'),
    diagram_tweak_weight: { type: ['integer', 'null'], description: 'Diagram layout weight.' },
    diagram_tweak_constraint: flag('Diagram layout constraint.'),
  },
  'A communication link from this asset, keyed by its title.',
);

const technicalAsset = object(
  {
    id: text('Unique id (letters, digits, hyphens): what links, boundaries and runtimes refer to.'),
    description: text('What the asset is.'),
    type: oneOf(ASSET_TYPES, '`external-entity` is hosted and managed by a third party; `process` is software we run; `datastore` stores data.'),
    usage: oneOf(USAGE, '`devops` for development and deployment tooling, `business` otherwise.'),
    used_as_client_by_human: flag('A person uses it as a client (second factor needed for sensitive data, ZT107).'),
    out_of_scope: flag('Not judged by the analysis (say why in justification_out_of_scope).'),
    justification_out_of_scope: text('Why the asset is out of scope.'),
    size: oneOf(SIZES, 'Granularity of the asset.'),
    technology: oneOf(THREAGILE_TECHNOLOGY_NAMES, 'What the asset is (its Threagile technology): decides which risks apply.'),
    technologies: list(oneOf(THREAGILE_TECHNOLOGY_NAMES, 'A Threagile technology.'), 'Several technologies of the asset.'),
    tags: ids('Tags (from tags_available).'),
    internet: flag('The asset faces the internet.'),
    machine: oneOf(MACHINES, 'What it runs on.'),
    encryption: oneOf(ENCRYPTION, 'Encryption of the data it stores at rest.'),
    owner: text('Who owns the asset.'),
    ...cia,
    multi_tenant: flag('Serves several tenants.'),
    redundant: flag('Runs redundantly (a second instance takes over).'),
    custom_developed_parts: flag('Contains code developed for this system.'),
    data_assets_processed: ids('Ids of the data assets it processes.'),
    data_assets_stored: ids('Ids of the data assets it stores.'),
    data_formats_accepted: list(oneOf(DATA_FORMATS, 'A data format.'), 'Data formats the asset accepts.'),
    diagram_tweak_order: { type: ['integer', 'null'], description: 'Diagram layout order.' },
    communication_links: byTitle(communicationLink, 'Outgoing links, keyed by title.'),
  },
  'A technical asset, keyed by its title.',
  ['id'],
);

const dataAsset = object(
  {
    id: text('Unique id: what assets and links refer to.'),
    description: text('What the data is.'),
    usage: oneOf(USAGE, '`devops` for operational data, `business` otherwise.'),
    tags: ids('Tags (from tags_available).'),
    origin: text('Where the data comes from.'),
    owner: text('Who decides its classification and who may receive it.'),
    quantity: oneOf(QUANTITY, 'How much of it there is (weighs attacker attractiveness).'),
    ...cia,
  },
  'A data asset, keyed by its title.',
  ['id'],
);

const trustBoundary = object(
  {
    id: text('Unique id: what nesting refers to.'),
    description: text('What the boundary separates.'),
    type: oneOf(TRUST_BOUNDARY_TYPES, 'Network boundaries separate networks; an `execution-environment` is a logical group, not a protective network boundary.'),
    tags: ids('Tags (from tags_available).'),
    technical_assets_inside: ids('Ids of the technical assets directly inside.'),
    trust_boundaries_nested: ids('Ids of the trust boundaries nested inside.'),
  },
  'A trust boundary, keyed by its title.',
  ['id'],
);

const sharedRuntime = object(
  {
    id: text('Unique id.'),
    description: text('What the runtime is (a host, a hypervisor, a cluster).'),
    tags: ids('Tags (from tags_available).'),
    technical_assets_running: ids('Ids of the technical assets running on it.'),
  },
  'A runtime several assets share, keyed by its title.',
  ['id'],
);

const riskTracking = object(
  {
    status: oneOf(RISK_STATUSES, 'Review status: accepted, in-progress, mitigated and false-positive (with a justification) stop the finding from being reported.'),
    justification: text('Why the status is what it is: required for the tracking to suppress anything.'),
    ticket: text('Ticket of the work.'),
    date: text('When it was checked (YYYY-MM-DD).'),
    checked_by: text('Who checked it.'),
  },
  'Tracking of one risk, keyed by its risk id (`category@element@…`, `*` for any one part).',
);

const identifiedRisk = object(
  {
    severity: oneOf(SEVERITY, 'Severity.'),
    exploitation_likelihood: oneOf(LIKELIHOOD, 'Likelihood.'),
    exploitation_impact: oneOf(IMPACT, 'Impact.'),
    data_breach_probability: oneOf(BREACH, 'Data breach probability.'),
    data_breach_technical_assets: ids('Ids of the assets whose data could be breached.'),
    most_relevant_data_asset: text('Id.'),
    most_relevant_technical_asset: text('Id.'),
    most_relevant_communication_link: text('Id.'),
    most_relevant_trust_boundary: text('Id.'),
    most_relevant_shared_runtime: text('Id.'),
  },
  'A manually identified risk, keyed by its title.',
);

const riskCategory = object(
  {
    id: text('Unique id.'),
    title: text('Title.'),
    description: text('Description.'),
    impact: text('Impact.'),
    asvs: text('ASVS chapter.'),
    cheat_sheet: text('Cheat sheet link.'),
    action: text('Action.'),
    mitigation: text('Mitigation.'),
    check: text('Check.'),
    function: oneOf(FUNCTIONS, 'Function.'),
    stride: oneOf(STRIDE, 'STRIDE category.'),
    detection_logic: text('Detection logic.'),
    risk_assessment: text('Risk assessment.'),
    false_positives: text('False positives.'),
    model_failure_possible_reason: flag('The risk may come from a modelling mistake.'),
    cwe: { type: ['integer', 'null'], description: 'CWE number.' },
    risks_identified: byTitle(identifiedRisk, 'Manually identified risks of this category.'),
  },
  'A custom risk category.',
);
// Threagile writes more fields into custom categories as it evolves (`is_built_in`…): they are not checked.
riskCategory.additionalProperties = true;

const author = object({ name: text('Name.'), contact: text('Contact.'), homepage: text('Homepage.') }, 'The model\'s author.');

export const THREAGILE_SCHEMA: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://secure-by-design.dev/schemas/threagile.schema.json',
  title: 'Threagile model',
  description: 'A Threagile threat model (or one part of a model split with includes): data assets, technical assets with their communication links, trust boundaries, shared runtimes and risk tracking.',
  type: 'object',
  additionalProperties: false,
  properties: {
    threagile_version: oneOf(['1.0.0'], 'Model format version.'),
    includes: ids('Files merged into this model, relative to this file (they may include more).'),
    title: text('Title of the model.'),
    author,
    contributors: list(author, 'Contributors.'),
    date: text('Date of the model (YYYY-MM-DD).'),
    application_description: overview,
    business_overview: overview,
    technical_overview: overview,
    business_criticality: oneOf(CRITICALITY, 'How critical the application is for the business.'),
    management_summary_comment: text('Text for the management summary (HTML allowed).'),
    security_requirements: { type: 'object', additionalProperties: { type: 'string' }, description: 'Security requirements: name → text.' },
    questions: { type: 'object', additionalProperties: { type: ['string', 'null'] }, description: 'Open questions: question → answer ("" for unanswered).' },
    abuse_cases: { type: 'object', additionalProperties: { type: 'string' }, description: 'Abuse cases: name → text.' },
    tags_available: ids('Tags the model may use.'),
    data_assets: byTitle(dataAsset, 'Data assets, keyed by title.'),
    technical_assets: byTitle(technicalAsset, 'Technical assets, keyed by title.'),
    trust_boundaries: byTitle(trustBoundary, 'Trust boundaries, keyed by title.'),
    shared_runtimes: byTitle(sharedRuntime, 'Shared runtimes, keyed by title.'),
    individual_risk_categories: byTitle(riskCategory, 'Custom risk categories with manually identified risks (Threagile 1.0), keyed by title.'),
    custom_risk_categories: list(riskCategory, 'Custom risk categories.'),
    risk_tracking: byTitle(riskTracking, 'Tracking of identified risks, keyed by risk id.'),
    diagram_tweak_nodesep: { type: 'integer', description: 'Diagram layout.' },
    diagram_tweak_ranksep: { type: 'integer', description: 'Diagram layout.' },
    diagram_tweak_edge_layout: oneOf(['spline', 'polyline', 'false', 'ortho', 'curved'], 'Diagram edge layout.'),
    diagram_tweak_suppress_edge_labels: flag('Diagram layout.'),
    diagram_tweak_layout_left_to_right: flag('Diagram layout.'),
    diagram_tweak_invisible_connections_between_assets: ids('Diagram layout: `source-id:target-id`.'),
    diagram_tweak_same_rank_assets: ids('Diagram layout: `id:id:…`.'),
  },
};
