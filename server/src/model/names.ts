import { imageProduct } from './images';
/** Vocabulary shared by rules: what counts as a secret, a datastore, a security switch. */

/** Environment or key names that hold credentials. */
const SECRET_NAME = /(?:^|[_.-])(?:PASS(?:WORD|WD|PHRASE)?|PWD|SECRET|TOKEN|API[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?|AUTH[_-]?KEY|CLIENT[_-]?SECRET|SIGNING[_-]?KEY|MASTER[_-]?KEY|SESSION[_-]?KEY|JWT[_-]?KEY|DSN|CONNECTION[_-]?STRING|DATABASE[_-]?URL|SALT|PEPPER|(?:ENC(?:RYPT(?:ION)?)?|CRYPT|CIPHER|AES|HMAC|APP|LICEN[CS]E|ADMIN|ROOT|COOKIE|CSRF|SHARED|PRESHARED|PSK|TOTP|OTP|SECRET|ACCESS)[_-]?KEY(?:[_-]BASE)?)(?:$|[_.-])|(?:^|[_.-])AUTH$/i;
/** Names that merely point at a secret (a file path, a secret's name) rather than hold one. */
const SECRET_REFERENCE = /(?:_FILE|_PATH|_DIR|_NAME|_REF|_LENGTH|_POLICY|_ENABLED|_TTL|_TIMEOUT|_EXPIRY|_EXPIRES|_ALGORITHM|_HEADER|_URL_PATH|_ROTATION|_SECRET_NAME)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !SECRET_REFERENCE.test(name);
}

/** Values that are clearly placeholders or references, not a literal credential. */
export function isPlaceholderValue(value: string): boolean {
  const text = value.trim();
  if (text === '') return true;
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[?][^}]*)?\}?$/.test(text)) return true; // ${VAR} or ${VAR:?err}
  if (/^(?:\/|\.\/)\S*$/.test(text) && !/\s/.test(text)) return true; // a path: /run/secrets/x
  return false;
}

/** Container images of datastores, by repository name. */
const DATASTORE_IMAGE = /(?:^|\/)(?:postgres(?:ql)?|postgis|mysql|mariadb|mongo(?:db)?|redis|valkey|keydb|memcached|elasticsearch|opensearch|cassandra|couchdb|couchbase|neo4j|influxdb|clickhouse(?:-server)?|cockroach|rethinkdb|timescaledb|mssql(?:\/server)?|oracle|etcd|zookeeper|rabbitmq|kafka|nats|minio|arangodb|dgraph|questdb|scylla)(?:[:@/]|$)/i;
/** The last word of a repository name that makes it a datastore build (`zulip-postgresql`, `mongodb-community-server`). */
const DATASTORE_WORD = /^(?:postgres(?:ql)?|postgis|mysql|mariadb|mongo(?:db)?|redis|valkey|keydb|memcached|elasticsearch|opensearch|cassandra|couchdb|neo4j|influxdb|clickhouse|cockroach|timescaledb|etcd|zookeeper|rabbitmq|kafka|minio|scylla)$/i;

export function isDatastoreImage(image: string | undefined): boolean {
  if (image === undefined) return false;
  if (DATASTORE_IMAGE.test(image.split('@')[0])) return true;
  const repository = imageProduct(image);
  if (repository === undefined) return false;
  if (DATASTORE_IMAGE.test(repository)) return true;
  // `zulip/zulip-postgresql`, `mongodb/mongodb-community-server`: the datastore is the name's last word (a trailing `server` aside).
  const words = (repository.split('/').pop() ?? '').split(/[-_.]/).filter((word) => word !== '');
  if (words.length > 1 && words[words.length - 1] === 'server') words.pop();
  return words.length > 1 && DATASTORE_WORD.test(words[words.length - 1]) || (words.length > 1 && DATASTORE_WORD.test(words[0]) && /^(?:community|enterprise|oss|server)$/.test(words[words.length - 1]));
}

/** Well-known datastore ports. */
export const DATASTORE_PORTS: ReadonlyMap<number, string> = new Map([
  [5432, 'PostgreSQL'],
  [3306, 'MySQL/MariaDB'],
  [1433, 'SQL Server'],
  [1521, 'Oracle'],
  [27017, 'MongoDB'],
  [6379, 'Redis'],
  [11211, 'Memcached'],
  [9200, 'Elasticsearch'],
  [9300, 'Elasticsearch transport'],
  [9042, 'Cassandra'],
  [5984, 'CouchDB'],
  [7474, 'Neo4j'],
  [8086, 'InfluxDB'],
  [9000, 'ClickHouse/MinIO'],
  [26257, 'CockroachDB'],
  [2379, 'etcd'],
  [2181, 'ZooKeeper'],
  [5672, 'RabbitMQ'],
  [9092, 'Kafka'],
  [4222, 'NATS'],
]);

/** References to a secret manager rather than the secret itself. */
const SECRET_MANAGER_REFERENCE = /^(?:vault|ref\+\w+|awssm|secretsmanager|arn:aws:(?:secretsmanager|ssm)|projects\/[^/]+\/secrets|azurekeyvault|akv|op|gcpsm|sops|k8s|secret):/i;

/**
 * Whether the value of a secret-named variable is a credential written into the file, not a
 * reference to one (interpolation, a path, a secret manager URI, a URL without a password, a switch).
 */
export function isLiteralSecretValue(value: string): boolean {
  const text = value.trim();
  if (isPlaceholderValue(text)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return urlPassword(text) !== undefined;
  if (/\$\{|\$[A-Za-z_]|\$\(|\{\{/.test(text)) return false;
  if (/^(?:true|false|yes|no|on|off|none|null|nil|undefined|disabled?|enabled?|required|optional|auto)$/i.test(text)) return false;
  if (SECRET_MANAGER_REFERENCE.test(text)) return false;
  // A URL holds a secret only when it embeds a password (`scheme://user:password@host`).
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return urlPassword(text) !== undefined;
  return true;
}

/** Parts of a secret-looking name that make it a setting about the secret, not the secret. */
const SECRET_SETTING = /(?:^|[_.-])(?:ALLOW|RANDOM|GENERATE|REGION|BUCKET|ZONE|ACCOUNT|TENANT|PROJECT|REQUIRED?|ENABLED?|DISABLED?|USE|SKIP|NO|LIFETIME|EXPIRATION|EXPIRE|EXPIRY|AGE|TTL|TIMEOUT|LENGTH|SIZE|COUNT|ROUNDS|ITERATIONS|MIN|MAX|HOST|PORT|USER|USERNAME|LOGIN|TYPE|MODE|METHOD|ALGORITHM|ALG|SCHEME|CIPHERS?|DIGEST|ISSUER|AUDIENCE|HEADER|PREFIX|SCOPE|ENDPOINT|PROVIDER|STORE|VERSION|LOCATION|FORMAT|ID|HINT|RESET|POLICY|COMPLEXITY|STRENGTH|HASHER|HASHING|ENCODER|BACKEND|DRIVER|URL_PATH)(?:$|[_.-])/i;

/**
 * Names that hold a credential itself (not a switch, a limit, a hashing scheme or a pointer to
 * one). `siblings` are the other names set beside it (one service, one file): an access key
 * next to its secret key is the identifier half of the pair (`AWS_ACCESS_KEY` beside `AWS_SECRET_KEY`).
 */
export function isCredentialName(name: string, siblings?: ReadonlySet<string>): boolean {
  return isSecretName(name) && !SECRET_SETTING.test(name) && !(siblings && isAccessKeyId(name, siblings));
}

/**
 * `X_ACCESS_KEY` / `X_ACCESS_KEY_ID` beside `X_SECRET_KEY` / `X_SECRET_ACCESS_KEY` / `X_SECRET`:
 * the S3/AWS/MinIO user-name half of a key pair, an identifier.
 */
export function isAccessKeyId(name: string, siblings: ReadonlySet<string>): boolean {
  const match = /^(.*?)_?ACCESS_?KEY(?:_?ID)?$/i.exec(name);
  if (!match) return false;
  const prefix = match[1] ? `${match[1]}_` : '';
  const upper = new Set([...siblings].map((sibling) => sibling.toUpperCase()));
  return ['SECRET_KEY', 'SECRET_ACCESS_KEY', 'SECRET', 'ACCESS_SECRET', 'SECRET_KEY_ID'].some((suffix) => upper.has(`${prefix}${suffix}`.toUpperCase()));
}

/**
 * Names of keys to someone else's service, sent out rather than checked on the way in: an error
 * reporter's DSN, a payment, mail, messaging or AI provider's key. A default for one lets no one
 * into this service.
 */
const OUTBOUND_KEY = /(?:^|[_.-])(?:SENTRY|DSN|BUGSNAG|ROLLBAR|DATADOG|DD|NEWRELIC|NEW_RELIC|HONEYCOMB|OPENAI|ANTHROPIC|AZURE_OPENAI|COHERE|MISTRAL|GROQ|GEMINI|HUGGINGFACE|HF|REPLICATE|STRIPE|PAYPAL|BRAINTREE|TWILIO|SENDGRID|MAILGUN|MAILJET|POSTMARK|MANDRILL|SES|SMTP|MAIL|EMAIL|SLACK|DISCORD|TELEGRAM|GITHUB|GITLAB|GOOGLE|RECAPTCHA|HCAPTCHA|TURNSTILE|MAPBOX|ALGOLIA|SEGMENT|MIXPANEL|AMPLITUDE|POSTHOG|PUSHER|FIREBASE|ONESIGNAL|CLOUDFLARE|UNSPLASH|GIPHY|TENOR|THIRD[_-]?PARTY|EXTERNAL|UPSTREAM|WEBHOOK|OAUTH|OIDC|SSO)(?:$|[_.-])/i;

export function isOutboundKeyName(name: string): boolean {
  return OUTBOUND_KEY.test(name);
}

/**
 * A hash salt (`SALT`, `HASH_SALT`, `PASSWORD_SALT`): mixed into stored hashes so that equal inputs
 * hash differently and precomputed tables do not apply. A salt is not a credential (OWASP Password
 * Storage Cheat Sheet: salts need not be secret); a known one weakens the hashes, it opens nothing.
 */
export function isHashSaltName(name: string): boolean {
  return /(?:^|[_.-])SALT$/i.test(name);
}

/**
 * Values that stand for "not configured": empty, or a sentinel that switches a feature off
 * (`0`, `false`, `none`, `disabled`). A secret falling back to one carries no known credential.
 */
export function isUnsetSentinel(value: string): boolean {
  return /^(?:|0|false|no|n|off|none|null|nil|undefined|disabled?|unset|empty|-)$/i.test(value.trim().replace(/^(["'])(.*)\1$/, '$2'));
}

/**
 * The password written in a connection URL (`postgresql://app:hunter2@db/app`, `redis://:pw@cache`),
 * with its offset in `value`; undefined when there is none or it is interpolated (`:${DB_PASSWORD}@`).
 */
export function urlPassword(value: string): { readonly password: string; readonly offset: number } | undefined {
  const match = /^\s*[a-z][a-z0-9+.-]*:\/\/([^/:@\s]*):([^@/\s]+)@/i.exec(value);
  if (!match) return undefined;
  const password = match[2];
  if (/\$\{|\$[A-Za-z_]|\$\(|\{\{/.test(password) || isPlaceholderValue(password)) return undefined;
  return { password, offset: match.index + match[0].length - 1 - password.length };
}

/** Client tools published under a datastore's name (`minio/mc`, `redis/redisinsight`, `mcp/clickhouse`). */
const DATASTORE_TOOL_IMAGE = /(?:^|\/)(?:minio\/mc|redis\/redisinsight|redislabs\/redisinsight|mcp\/[^:@]+)(?:[:@]|$)/i;

/** A datastore server image (not one of its client tools). */
export function isDatastore(image: string | undefined): boolean {
  return isDatastoreImage(image) && !DATASTORE_TOOL_IMAGE.test(image!.split('@')[0]);
}

/** Words that name a protection a switch can turn on or off. */
const PROTECTION_WORDS = new Set(['AUTH', 'AUTHN', 'AUTHZ', 'AUTHENTICATION', 'AUTHORIZATION', 'AUTHORISATION', 'LOGIN', 'TLS', 'SSL', 'MTLS', 'HTTPS', 'STARTTLS', 'CSRF', 'ENCRYPT', 'ENCRYPTION', 'ENCRYPTED', 'SECURE', 'SECURITY', 'VERIFY', 'VERIFICATION', 'SIGNATURE', 'SIGNING', 'SIGNED', 'PROTECTED', 'RBAC', 'ACL', 'FIREWALL', 'SANDBOX', 'CERT', 'CERTS', 'CERTIFICATE', 'CERTIFICATES', 'PEER', 'HOSTNAME']);
/** Words that make a switch's "yes" turn its protection off (`SKIP_TLS_VERIFY`, `TLS_DISABLED`, `NO_AUTH`). */
const NEGATING_WORDS = new Set(['SKIP', 'DISABLE', 'DISABLED', 'NO', 'NOT', 'WITHOUT', 'INSECURE', 'IGNORE', 'BYPASS', 'UNSAFE', 'INSECURELY']);
/** What an `ALLOW_*` switch lets in that it should not: its "yes" weakens, its "no" forbids. */
const RISKY_ALLOWANCES = new Set(['EMPTY', 'ANONYMOUS', 'INSECURE', 'HTTP', 'PLAINTEXT', 'PLAIN', 'UNAUTHENTICATED', 'IMPERSONATION', 'GUEST', 'SELF', 'UNVERIFIED', 'UNSIGNED', 'ROOT', 'BLANK', 'NULL', 'REMOTE', 'ANY', 'ALL']);
/** Last words of an on/off switch (`TLS_ENABLED`, `AUTH_REQUIRED`); a name ending in a protection word is one too (`SMTP_TLS`). */
const SWITCH_SUFFIXES = new Set(['ENABLED', 'ENABLE', 'ON', 'REQUIRED', 'REQUIRE', 'ENFORCED', 'ENFORCE', 'ONLY', 'CHECK', 'ACTIVE']);
const SWITCH_PREFIXES = new Set(['USE', 'ENABLE', 'REQUIRE', 'ENFORCE', 'WITH']);
/** Mode settings whose weak values mean "no protection" (`SSL_MODE=disable`, `AUTH_METHOD=trust`). */
const MODE_SUFFIXES = new Set(['MODE', 'METHOD', 'TYPE', 'POLICY', 'SSLMODE']);

/**
 * How an environment switch guards a protection, read from its words: `on` when "yes" turns the
 * protection on (`AUTH_ENABLED`, `USE_TLS`), `off` when "yes" turns it off (`SKIP_TLS_VERIFY`,
 * `DISABLE_AUTH`, `ALLOW_ANONYMOUS`: negative names invert, and `ALLOW_*=n` forbids), `mode` for a
 * mode setting (`SSL_MODE`); undefined when the name is no such switch.
 */
export function switchPolarity(name: string): { readonly polarity: 'on' | 'off' | 'mode'; readonly protection: 'tls' | 'authentication' | 'protection' } | undefined {
  const words = name.toUpperCase().split(/[^A-Z0-9]+/).filter((word) => word !== '');
  const kind = (): 'tls' | 'authentication' | 'protection' => (words.some((word) => /^(?:M?TLS|SSL|HTTPS|STARTTLS|VERIFY|VERIFICATION|CERTS?|CERTIFICATES?|PEER|HOSTNAME|INSECURE)$/.test(word)) ? 'tls' : words.some((word) => /^(?:AUTH\w*|LOGIN|ANONYMOUS|RBAC|ACL|EMPTY|GUEST|UNAUTHENTICATED|IMPERSONATION)$/.test(word)) ? 'authentication' : 'protection');
  const allow = words.indexOf('ALLOW');
  if (allow !== -1) return words.slice(allow + 1).some((word) => RISKY_ALLOWANCES.has(word)) ? { polarity: 'off', protection: kind() } : undefined;
  if (words.includes('ANONYMOUS') || words.includes('PERMISSIVE')) return { polarity: 'off', protection: kind() };
  const protectionAt = words.findIndex((word) => PROTECTION_WORDS.has(word));
  if (protectionAt === -1) return undefined;
  const last = words[words.length - 1];
  if (MODE_SUFFIXES.has(last) || last.endsWith('SSLMODE')) return { polarity: 'mode', protection: kind() };
  const isSwitch = SWITCH_SUFFIXES.has(last) || PROTECTION_WORDS.has(last) || NEGATING_WORDS.has(last) || words.some((word) => SWITCH_PREFIXES.has(word) || NEGATING_WORDS.has(word));
  if (!isSwitch) return undefined;
  return { polarity: words.some((word) => NEGATING_WORDS.has(word)) ? 'off' : 'on', protection: kind() };
}
