import { scalarText, valueTextRange, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import type { ArchitectureComponent, ArchitectureModel } from './architecture';
import { composeProgram, type ComposeModel, type ComposeService } from './compose';
import { imageProduct } from './images';
import type { AnalyzedDocument } from './documents';
import { findInterpolations } from './interpolation';
import { declaredContainers, namespaceOf, workloadProgram, type KubernetesObject } from './kubernetes';
import { isCredentialName, isDatastore } from './names';
import { perObject } from './perObject';

/**
 * Who holds which secret, in one vocabulary for every reader: TCB010 (a secret spread over too many
 * services), TCB101 (too many components hold secrets), TCB106 (more holders than the model says)
 * and the trust-boundary view. A holder is part of the trusted computing base for what it holds.
 *
 * What counts as holding a secret:
 * - compose: a `secrets:` reference; an environment variable named like a credential
 *   (`isCredentialName`: `DB_PASSWORD`, not `JWT_TOKEN_ISSUER`) that passes a shell variable through,
 *   interpolates one (`${DB_PASSWORD}`) or sets a literal value. Scoped to one compose document.
 * - Kubernetes: a Secret named by `env[].valueFrom.secretKeyRef`, `envFrom[].secretRef`, a `secret`
 *   volume (unless it projects only certificates) or a projected volume's `secret` source, in any
 *   declared container. Templated names are decided elsewhere and left out. Scoped to a namespace.
 * - architecture models: a component's `secrets:` entry. Scoped to one model document.
 *
 * Holders are weighed as programs, not as services: roles of one application (services merged from
 * one anchor, or started from one image or one build with different commands; workloads running one
 * image) are one program that holds the secret once. Eight different images sharing one JWT secret
 * are eight. The datastore server a password opens is not weighed either: a `postgres` service
 * initialised with `POSTGRES_PASSWORD: ${DB_PASS}` checks that password and already holds the data
 * it guards, so giving it the password widens nothing (`serverOwnCredential`).
 */

/** One place a compose service or a pod takes a secret from. */
export interface SecretReference {
  /** Identity of the secret within its scope: `secret:db`, `var:DB_PASSWORD`, `literal:NAME=value`, or a Secret's name. */
  readonly key: string;
  /** How messages and the view name it: `secret "db"`, `${DB_PASSWORD}`, `the value of NAME`, `Secret "db" (namespace "shop")`. */
  readonly label: string;
  /** The name of a compose secret or a Kubernetes Secret (what an architecture model's `secrets` name); undefined for variables and literal values. */
  readonly name?: string;
  /** Where the secret is taken: the reference's name, the variable, or the literal value. */
  readonly range: OffsetRange;
  /** The holder is the datastore server this credential opens, taking it as its own user's password (`serverOwnCredential`). */
  readonly ownServer?: boolean;
}

/** A compose service, a workload or a model component that holds a secret. */
export interface SecretHolder {
  /** How messages name it: `Service "api"`, `Deployment "web" in namespace "shop"`, `Component "orders"`. */
  readonly name: string;
  readonly document: AnalyzedDocument;
  /** The first place it takes the secret, relative to the document. */
  readonly range: OffsetRange;
  readonly service?: ComposeService;
  readonly object?: KubernetesObject;
  readonly component?: ArchitectureComponent;
  /** The program it runs (`composeProgram`, `workloadProgram`, the component): holders that share one count once. */
  readonly program: string;
  /** The datastore server the secret opens (every place it takes it is its own user's password): listed, not weighed. */
  readonly ownServer?: boolean;
}

/** A secret and everyone who holds it. */
export interface HeldSecret {
  /** Unique in the workspace: the scope (compose document, namespace, model document) and the reference's key. */
  readonly key: string;
  readonly label: string;
  readonly holderNoun: 'services' | 'workloads' | 'components';
  /** Each holder once, in document order. */
  readonly holders: readonly SecretHolder[];
  /**
   * The holders weighed against the TCB budget (`thresholds.secretHolders`): for compose and
   * Kubernetes, the first holder of each distinct program among the holders of this secret that
   * are not the datastore server it opens (`ownServer`); in an
   * architecture model, every component outside a vault that holds secrets (TCB101: the secrets
   * together make one trusted base), or none when only vaults hold this one.
   */
  readonly weighed: readonly SecretHolder[];
}

/** The one over-budget verdict: more holders than the budget allows. */
export function overBudget(holders: number, budget: number): boolean {
  return holders > budget;
}

/** Secret references of each service of a compose document, read once per model. */
export const composeSecretReferences: (model: ComposeModel) => ReadonlyMap<ComposeService, readonly SecretReference[]> = perObject(readComposeReferences);

function readComposeReferences(model: ComposeModel): Map<ComposeService, SecretReference[]> {
  const byService = new Map<ComposeService, SecretReference[]>();
  const text = model.tree.text;
  for (const service of model.services) {
    const references: SecretReference[] = [];
    const image = service.image?.value;
    for (const reference of service.secrets) {
      references.push({ key: `secret:${reference.name}`, label: `secret "${reference.name}"`, name: reference.name, range: valueTextRange(text, reference.node) ?? reference.range });
    }
    for (const variable of service.environment) {
      if (!isCredentialName(variable.name)) continue;
      const ownServer = serverOwnCredential(image, variable.name);
      if (variable.value === undefined) {
        // `- DB_PASSWORD` passes the shell's variable through.
        references.push({ key: `var:${variable.name}`, label: `\${${variable.name}}`, range: variable.nameRange, ownServer });
        continue;
      }
      const source = variable.valueRange ? text.slice(variable.valueRange.start, variable.valueRange.end) : variable.value;
      const interpolations = findInterpolations(source, variable.valueRange?.start ?? variable.nameRange.start);
      if (interpolations.length > 0) {
        for (const interpolation of interpolations) references.push({ key: `var:${interpolation.variable}`, label: `\${${interpolation.variable}}`, range: interpolation.range, ownServer });
      } else if (variable.value.trim() !== '') {
        references.push({ key: `literal:${variable.name}=${variable.value}`, label: `the value of ${variable.name}`, range: variable.valueRange ?? variable.nameRange, ownServer });
      }
    }
    byService.set(service, references);
  }
  return byService;
}

/** The Secrets a pod spec reads (each name once, first place kept); read once per object. */
export const podSecretReferences: (object: KubernetesObject) => readonly SecretReference[] = perObject(readPodReferences);

function readPodReferences(object: KubernetesObject): SecretReference[] {
  const spec = object.podSpec;
  if (!spec) return [];
  const tree = object.tree;
  const namespace = namespaceOf(object);
  const references: SecretReference[] = [];
  const add = (nameNode: unknown, ownServer = false) => {
    const name = scalarText(nameNode);
    const range = valueTextRange(tree.text, nameNode);
    if (name === undefined || !range || name.includes('{{') || name.includes('$')) return;
    const known = references.findIndex((reference) => reference.name === name);
    // A pod that also takes the Secret for anything but its own server's password holds it as a client.
    if (known !== -1) {
      if (references[known].ownServer && !ownServer) references[known] = { ...references[known], ownServer: false };
      return;
    }
    references.push({ key: name, label: object.namespace !== undefined ? `Secret "${name}" (namespace "${namespace}")` : `Secret "${name}"`, name, range, ownServer });
  };
  for (const container of declaredContainers(object)) {
    for (const item of tree.items(tree.get(container.node, 'env'))) add(tree.get(tree.get(tree.get(item, 'valueFrom'), 'secretKeyRef'), 'name'), serverOwnCredential(container.image?.value, tree.string(item, 'name') ?? ''));
    for (const item of tree.items(tree.get(container.node, 'envFrom'))) add(tree.get(tree.get(item, 'secretRef'), 'name'));
  }
  for (const volume of tree.items(tree.get(spec.node, 'volumes'))) {
    const secretVolume = tree.get(volume, 'secret');
    if (!onlyPublicKeys(tree, secretVolume)) add(tree.get(secretVolume, 'secretName'));
    for (const source of tree.items(tree.get(tree.get(volume, 'projected'), 'sources'))) add(tree.get(tree.get(source, 'secret'), 'name'));
  }
  return references;
}

/**
 * The environment variables a datastore image reads to create or set its own users' passwords, by
 * image family: the official images' documented initialisation variables (docker-library postgres
 * `POSTGRES_PASSWORD`, mysql/mariadb `MYSQL_ROOT_PASSWORD`/`MARIADB_PASSWORD`, mongo
 * `MONGO_INITDB_ROOT_PASSWORD`, rabbitmq `RABBITMQ_DEFAULT_PASS`, clickhouse `CLICKHOUSE_PASSWORD`,
 * minio `MINIO_ROOT_PASSWORD`, elasticsearch `ELASTIC_PASSWORD`, opensearch
 * `OPENSEARCH_INITIAL_ADMIN_PASSWORD`, couchdb `COUCHDB_PASSWORD`, neo4j `NEO4J_AUTH`, influxdb
 * `DOCKER_INFLUXDB_INIT_PASSWORD`) and the bitnami images' (`POSTGRESQL_PASSWORD`,
 * `MONGODB_ROOT_PASSWORD`, `REDIS_PASSWORD`), matched by the family's prefix; `PG*` is libpq's, read
 * by the server's own init scripts.
 */
const SERVER_CREDENTIALS: ReadonlyArray<{ readonly image: RegExp; readonly variable: RegExp }> = [
  { image: /(?:^|[/_-])(?:postgres(?:ql)?|postgis|timescaledb)(?:$|[/_-])/, variable: /^(?:POSTGRES(?:QL)?_|PG[A-Z]+$)/ },
  { image: /(?:^|[/_-])(?:mysql|mariadb|percona)(?:$|[/_-])/, variable: /^(?:MYSQL|MARIADB)_/ },
  { image: /(?:^|[/_-])mongo(?:db)?(?:$|[/_-])/, variable: /^MONGO(?:DB)?_/ },
  { image: /(?:^|[/_-])(?:redis|valkey|keydb)(?:$|[/_-])/, variable: /^(?:REDIS|VALKEY|KEYDB)_/ },
  { image: /(?:^|[/_-])rabbitmq(?:$|[/_-])/, variable: /^RABBITMQ_/ },
  { image: /(?:^|[/_-])clickhouse(?:$|[/_-])/, variable: /^CLICKHOUSE_/ },
  { image: /(?:^|[/_-])minio(?:$|[/_-])/, variable: /^MINIO_/ },
  { image: /(?:^|[/_-])(?:elasticsearch|opensearch)(?:$|[/_-])/, variable: /^(?:ELASTIC|OPENSEARCH)_/ },
  { image: /(?:^|[/_-])couchdb(?:$|[/_-])/, variable: /^COUCHDB_/ },
  { image: /(?:^|[/_-])neo4j(?:$|[/_-])/, variable: /^NEO4J_/ },
  { image: /(?:^|[/_-])influxdb(?:$|[/_-])/, variable: /^(?:DOCKER_)?INFLUXDB_/ },
];

/**
 * Whether `variable` is a password the datastore server running `image` is initialised with (see
 * `SERVER_CREDENTIALS`): the server checks that password rather than presenting it elsewhere. False
 * for images that are not datastore servers (`isDatastore`) and for any other variable (a backup's
 * S3 key in a postgres container is held like any client's).
 */
export function serverOwnCredential(image: string | undefined, variable: string): boolean {
  if (!isDatastore(image)) return false;
  const product = imageProduct(image);
  if (product === undefined) return false;
  return SERVER_CREDENTIALS.some((family) => family.image.test(product) && family.variable.test(variable));
}

/** A secret volume that projects only certificates (`items: [{key: ca.crt}]`) hands out nothing secret. */
function onlyPublicKeys(tree: YamlTree, secretVolume: unknown): boolean {
  const keys = tree.items(tree.get(secretVolume, 'items')).map((item) => tree.string(item, 'key') ?? '');
  return keys.length > 0 && keys.every((key) => /(?:\.crt|\.pem|ca\.crt|^ca|cert(?:ificate)?s?)$/i.test(key) && !/key/i.test(key));
}

/** An architecture model's secrets and their holders; `weighed` are the components outside a vault that hold any. */
export interface ModelSecretHolding {
  readonly secrets: ReadonlyMap<string, ReadonlyArray<{ readonly component: ArchitectureComponent; readonly range: OffsetRange }>>;
  readonly weighed: readonly ArchitectureComponent[];
}

/** Read once per model. Vaults hold secrets by design: they are where secrets belong, not a spread of them. */
export const modelSecretHolding: (model: ArchitectureModel) => ModelSecretHolding = perObject(readModelHolding);

function readModelHolding(model: ArchitectureModel): ModelSecretHolding {
  const secrets = new Map<string, Array<{ component: ArchitectureComponent; range: OffsetRange }>>();
  for (const component of model.components) {
    for (const secret of component.secrets) {
      const holders = secrets.get(secret.value) ?? [];
      if (!holders.some((holder) => holder.component === component)) holders.push({ component, range: secret.range });
      secrets.set(secret.value, holders);
    }
  }
  return { secrets, weighed: model.components.filter((component) => component.componentType !== 'vault' && component.secrets.length > 0) };
}

/** Every secret held in the workspace with its holders, in document order. */
export function heldSecrets(documents: readonly AnalyzedDocument[]): HeldSecret[] {
  const secrets = new Map<string, { key: string; label: string; holderNoun: HeldSecret['holderNoun']; holders: SecretHolder[]; names: Set<string>; weighed?: SecretHolder[] }>();
  const hold = (key: string, label: string, holderNoun: HeldSecret['holderNoun'], holder: SecretHolder) => {
    let secret = secrets.get(key);
    if (!secret) secrets.set(key, (secret = { key, label, holderNoun, holders: [], names: new Set() }));
    if (secret.names.has(holder.name)) {
      // A server that also takes the secret as something else (a client's URL) holds it as a client.
      if (!holder.ownServer) {
        const index = secret.holders.findIndex((known) => known.name === holder.name && known.ownServer);
        if (index !== -1) secret.holders[index] = { ...secret.holders[index], ownServer: false };
      }
      return;
    }
    secret.names.add(holder.name);
    secret.holders.push(holder);
  };
  for (const document of documents) {
    if (document.compose) {
      const scope = `compose:${document.file}#${document.offset}`;
      for (const [service, references] of composeSecretReferences(document.compose)) {
        const name = `Service "${service.name}"`;
        const program = composeProgram(service);
        for (const reference of references) hold(`${scope}#${reference.key}`, reference.label, 'services', { name, document, range: reference.range, service, program, ownServer: reference.ownServer === true });
      }
    }
    for (const object of document.kubernetes) {
      const references = podSecretReferences(object);
      if (references.length === 0) continue;
      const name = `${object.kind} "${object.name ?? '?'}"${object.namespace ? ` in namespace "${object.namespace}"` : ''}`;
      const program = workloadProgram(object);
      for (const reference of references) hold(`k8s:${namespaceOf(object)}#${reference.key}`, reference.label, 'workloads', { name, document, range: reference.range, object, program, ownServer: reference.ownServer === true });
    }
    if (document.architecture && document.architecture.dialect === 'securebydesign') {
      const scope = `architecture:${document.file}#${document.offset}`;
      const holding = modelSecretHolding(document.architecture);
      const weighed = holding.weighed.map((component) => ({ name: `Component "${component.id}"`, document, range: component.range, component, program: `component:${component.id}` }));
      for (const [secret, holders] of holding.secrets) {
        const key = `${scope}#${secret}`;
        for (const { component, range } of holders) hold(key, `secret "${secret}"`, 'components', { name: `Component "${component.id}"`, document, range, component, program: `component:${component.id}` });
        const entry = secrets.get(key)!;
        entry.weighed = holders.some(({ component }) => holding.weighed.includes(component)) ? weighed : [];
      }
    }
  }
  return [...secrets.values()].map(({ key, label, holderNoun, holders, weighed }) => ({ key, label, holderNoun, holders, weighed: weighed ?? onePerProgram(holders.filter((holder) => !holder.ownServer)) }));
}

/** The first holder of each program, in document order. */
function onePerProgram(holders: readonly SecretHolder[]): SecretHolder[] {
  const seen = new Set<string>();
  return holders.filter((holder) => !seen.has(holder.program) && seen.add(holder.program) !== undefined);
}
