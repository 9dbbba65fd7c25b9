import type { EnvVar } from './common';
import { imageProduct, imageWhenUnset, parseImageReference } from './images';
import { isInterpolated } from './interpolation';

/**
 * What images document about switching their authentication off: one table of environment
 * switches, each with the image documentation it comes from, and the images that start open when
 * nothing is configured. FF004 reports them; BND002 reads them to tell an exposed datastore anyone
 * can use (error) from one that still asks for credentials (warning).
 */

/** An environment variable that switches a product's authentication off. */
export interface AuthSwitch {
  /** The variable, as the image documents it. */
  readonly name: RegExp;
  /** Images that read it; undefined for a switch named the same way by many products. */
  readonly images?: RegExp;
  readonly off: (value: string) => boolean;
  /** What the setting does, completing "…: <effect>". */
  readonly effect: string;
  /** The value that keeps authentication on, for the quick fix. */
  readonly secureValue?: string;
  /** Fix by removing the variable (images that treat any value as "on"). */
  readonly remove?: boolean;
  /** Harmless when one of these is also set (a password makes "allow empty" moot). */
  readonly unlessAlso?: RegExp;
  /** Where the image documents the switch. */
  readonly source: string;
}

const nonEmpty = (value: string) => value.trim() !== '';
const truthy = (value: string) => /^(?:true|yes|on|1|y)$/i.test(value.trim());
const falsy = (value: string) => /^(?:false|no|off|0|n)$/i.test(value.trim());
/** Switch names other products use for a client's login to somewhere else, not for their own door. */
const OUTBOUND = '(?![A-Z0-9_]*(?:SMTP|MAIL|PROXY|UPSTREAM|CLIENT|LDAP|OAUTH|OIDC|SSO|SAML|BASIC))';

export const AUTH_SWITCHES: readonly AuthSwitch[] = [
  { name: /^POSTGRES_HOST_AUTH_METHOD$/, off: (v) => /^trust$/i.test(v.trim()), effect: 'PostgreSQL accepts every connection without a password', secureValue: 'scram-sha-256', source: 'docker-library postgres image docs (POSTGRES_HOST_AUTH_METHOD)' },
  { name: /^(?:PGBOUNCER_)?AUTH_TYPE$/, images: /(?:^|\/)pgbouncer$/, off: (v) => /^(?:trust|any)$/i.test(v.trim()), effect: 'PgBouncer lets every client in without checking its password', secureValue: 'scram-sha-256', source: 'PgBouncer auth_type (edoburu/pgbouncer AUTH_TYPE, bitnami/pgbouncer PGBOUNCER_AUTH_TYPE)' },
  {
    name: /^(?:MYSQL_ALLOW_EMPTY_PASSWORD|MARIADB_ALLOW_EMPTY_ROOT_PASSWORD|MARIADB_ALLOW_EMPTY_PASSWORD)$/,
    off: nonEmpty,
    effect: 'the database root user has no password (the image treats any non-empty value as yes)',
    remove: true,
    unlessAlso: /^(?:MYSQL|MARIADB)_(?:ROOT_PASSWORD(?:_FILE|_HASH)?|RANDOM_ROOT_PASSWORD)$/,
    source: 'docker-library mysql and mariadb image docs',
  },
  { name: /^ALLOW_EMPTY_PASSWORD$/, images: /^bitnami\//, off: truthy, effect: 'the service starts with no password at all', secureValue: 'no', source: 'bitnami images (ALLOW_EMPTY_PASSWORD)' },
  { name: /^ALLOW_NONE_AUTHENTICATION$/, images: /^bitnami\/etcd$/, off: truthy, effect: 'etcd serves every key, Secrets included, without authentication', secureValue: 'no', source: 'bitnami/etcd (ALLOW_NONE_AUTHENTICATION)' },
  { name: /^CLICKHOUSE_SKIP_USER_SETUP$/, off: truthy, effect: 'the default ClickHouse user accepts network connections with no password', secureValue: '0', source: 'clickhouse/clickhouse-server image docs (CLICKHOUSE_SKIP_USER_SETUP)' },
  { name: /^xpack\.security\.enabled$/, off: falsy, effect: 'Elasticsearch serves every index without authentication or TLS', secureValue: 'true', source: 'Elasticsearch security settings (xpack.security.enabled)' },
  { name: /^(?:plugins\.security\.disabled|DISABLE_SECURITY_PLUGIN)$/, off: truthy, effect: 'OpenSearch serves every index without authentication or TLS', secureValue: 'false', source: 'OpenSearch Docker docs (DISABLE_SECURITY_PLUGIN)' },
  { name: /^GF_AUTH_ANONYMOUS_ENABLED$/, off: truthy, effect: 'Grafana lets anyone in without logging in', secureValue: 'false', source: 'Grafana configuration ([auth.anonymous] enabled)' },
  { name: /^NEO4J_AUTH$/, off: (v) => /^none$/i.test(v.trim()), effect: 'Neo4j accepts every connection without credentials', source: 'Neo4j Docker docs (NEO4J_AUTH=none)' },
  { name: /^PGADMIN_CONFIG_SERVER_MODE$/, off: falsy, effect: 'pgAdmin runs in desktop mode with no login', secureValue: 'True', source: 'pgAdmin container docs (PGADMIN_CONFIG_SERVER_MODE)' },
  { name: /^ALLOW_ANONYMOUS_LOGIN$/, off: truthy, effect: 'ZooKeeper accepts anonymous clients', secureValue: 'no', source: 'bitnami/zookeeper (ALLOW_ANONYMOUS_LOGIN)' },
  { name: /^ALLOW_PLAINTEXT_LISTENER$/, off: truthy, effect: 'Kafka accepts unauthenticated plaintext clients', secureValue: 'no', source: 'bitnami/kafka (ALLOW_PLAINTEXT_LISTENER)' },
  { name: new RegExp(`^${OUTBOUND}(?:[A-Z0-9]+_)?(?:DISABLE_AUTH(?:ENTICATION)?|AUTH(?:ENTICATION)?_DISABLED|NO_AUTH|SKIP_AUTH)$`), off: truthy, effect: 'authentication is switched off', secureValue: 'false', source: 'the switch\'s own name' },
  { name: new RegExp(`^${OUTBOUND}(?:[A-Z0-9]+_)?AUTH(?:ENTICATION)?_(?:ENABLED?|REQUIRED)$`), off: falsy, effect: 'authentication is switched off', secureValue: 'true', source: 'the switch\'s own name' },
];

/** The switches of a container's environment that turn authentication off (values written in the file). */
export function authSwitchesOff(image: string | undefined, environment: readonly EnvVar[]): Array<{ readonly variable: EnvVar; readonly authSwitch: AuthSwitch }> {
  const repository = imageProduct(image);
  const found: Array<{ variable: EnvVar; authSwitch: AuthSwitch }> = [];
  for (const variable of environment) {
    const value = variable.value;
    if (value === undefined || isInterpolated(value) || value.includes('{{') || value.includes('$(')) continue;
    const authSwitch = AUTH_SWITCHES.find((candidate) => candidate.name.test(variable.name) && (!candidate.images || (repository !== undefined && candidate.images.test(repository))) && candidate.off(value));
    if (!authSwitch) continue;
    if (authSwitch.unlessAlso && environment.some((other) => authSwitch.unlessAlso!.test(other.name) && other.value !== '')) continue;
    found.push({ variable, authSwitch });
  }
  return found;
}

/** What a container shows of its start-up: enough to tell an image left at its open default. */
export interface StartupFacts {
  readonly image?: string;
  readonly environmentNames: ReadonlySet<string>;
  /** Command, entrypoint and args joined. */
  readonly command: string;
  /** Paths mounted into the container. */
  readonly mountTargets: readonly string[];
  /** Environment comes from somewhere out of sight (env_file, envFrom). */
  readonly externalEnvironment: boolean;
}

const mountsInto = (facts: StartupFacts, roots: readonly string[]) => facts.mountTargets.some((target) => roots.some((root) => target === root || target.startsWith(`${root}/`) || root.startsWith(`${target}/`)));

/**
 * Images that run without authentication unless told otherwise, and what would tell them; the
 * reason when `facts` show none of it, else undefined.
 */
export function openByDefault(facts: StartupFacts): string | undefined {
  if (facts.externalEnvironment) return undefined;
  const names = facts.environmentNames;
  const command = facts.command;
  const repository = imageProduct(facts.image);
  if (repository === 'mongo') {
    if (names.has('MONGO_INITDB_ROOT_USERNAME') || names.has('MONGO_INITDB_ROOT_USERNAME_FILE')) return undefined;
    if (/--auth\b|--keyFile\b|--config\b|(?:^|\s)-f\s|\.conf\b/.test(command) || mountsInto(facts, ['/etc/mongo', '/etc/mongod.conf', '/docker-entrypoint-initdb.d'])) return undefined;
    return 'MongoDB with no root user (MONGO_INITDB_ROOT_USERNAME) and no --auth: the official image then starts with authentication off';
  }
  if (repository === 'rabbitmq') {
    if (names.has('RABBITMQ_DEFAULT_USER') || names.has('RABBITMQ_DEFAULT_PASS') || names.has('RABBITMQ_DEFAULT_PASS_FILE')) return undefined;
    if (mountsInto(facts, ['/etc/rabbitmq'])) return undefined;
    return 'RabbitMQ with no RABBITMQ_DEFAULT_USER/RABBITMQ_DEFAULT_PASS: the official image then accepts guest/guest from any host';
  }
  if (repository === 'memcached' && !/(?:^|\s)(?:-S|--enable-sasl)\b/.test(command)) {
    return 'Memcached, which has no authentication unless started with SASL (-S)';
  }
  if (repository === 'elasticsearch' || repository === 'elasticsearch/elasticsearch') {
    const major = Number(/^(\d+)\./.exec(parseImageReference(imageWhenUnset(facts.image ?? '') ?? '')?.tag ?? '')?.[1] ?? NaN);
    if (!(major < 8) || names.has('xpack.security.enabled') || /xpack\.security\.enabled=true/.test(command) || mountsInto(facts, ['/usr/share/elasticsearch/config'])) return undefined;
    return `Elasticsearch ${major}.x with security not enabled (no xpack.security.enabled=true): before 8.0 it starts with no authentication`;
  }
  if (repository === 'registry' && ![...names].some((name) => name.startsWith('REGISTRY_AUTH')) && !mountsInto(facts, ['/etc/docker/registry', '/etc/distribution'])) {
    return 'a Docker registry with no REGISTRY_AUTH: anyone who reaches it can push and pull images';
  }
  return undefined;
}

/** Redis and its drop-in forks, as published by their projects (bitnami images refuse to start without a password). */
const REDIS_IMAGE = /^(?:redis|valkey\/valkey|valkey|eqalpha\/keydb|redis\/redis-stack(?:-server)?|redislabs\/redis|redis\/redis-server)$/;
/** Evidence that a password or ACL is configured somewhere we may not see. */
const PASSWORD_CONFIGURED = /--requirepass\b|--aclfile\b|--user\s|\.conf\b|\brequirepass\b|--masterauth\b/;
const PROTECTED_MODE_ON = /--protected-mode[= ]+(?:yes|true|1)\b/;
/** Variables that images or wrapper scripts turn into a password. */
const PASSWORD_VARIABLE = /^(?:REDIS_PASSWORD(?:_FILE)?|REDIS_ARGS|VALKEY_PASSWORD|VALKEY_EXTRA_FLAGS|KEYDB_PASSWORD)$/;
/** A start-up through a shell or a script file: what the server is finally started with is out of sight. */
const STARTUP_SCRIPT = /(?:^|\s|\/)(?:sh|bash|ash|dash)(?:\s|$)|\.sh\b|(?:^|\s)\.?\/[\w./-]+(?:\s|$)/;
const SCRIPT_FILE = /\.sh\b|(?:^|\s)\.?\/[\w./-]*(?:start|entrypoint|run|init)[\w.-]*(?:\s|$)/;

/**
 * Whether a Redis-compatible server visibly starts with no password: the image is Redis (or
 * Valkey, KeyDB), runs the server (not redis-cli or sentinel), and nothing in the file configures
 * a password, an ACL or a config file. A start-up through a script the file does not show (a
 * mounted `start-redis.sh`, a shell command using a password variable) may set one: not judged.
 */
export function redisWithoutPassword(facts: StartupFacts, credentialNamed: (name: string) => boolean): boolean {
  const repository = imageProduct(facts.image);
  if (repository === undefined || !REDIS_IMAGE.test(repository)) return false;
  const command = facts.command;
  if (/\bredis-(?:cli|sentinel|benchmark|check)\b|\bsentinel\b/.test(command) || facts.environmentNames.has('SENTINEL')) return false;
  if (PASSWORD_CONFIGURED.test(command) || PROTECTED_MODE_ON.test(command)) return false;
  if (facts.externalEnvironment || [...facts.environmentNames].some((name) => PASSWORD_VARIABLE.test(name))) return false;
  if (STARTUP_SCRIPT.test(command) && (SCRIPT_FILE.test(command) || [...facts.environmentNames].some(credentialNamed) || /\$\{?[A-Za-z_]/.test(command))) return false;
  return true;
}
