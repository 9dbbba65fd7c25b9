/** Vocabulary shared by rules: what counts as a secret, a datastore, a security switch. */

/** Environment or key names that hold credentials. */
const SECRET_NAME = /(?:^|[_.-])(?:PASS(?:WORD|WD)?|PWD|SECRET|TOKEN|API[_-]?KEY|ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?|AUTH[_-]?KEY|CLIENT[_-]?SECRET|ENCRYPTION[_-]?KEY|SIGNING[_-]?KEY|MASTER[_-]?KEY|SESSION[_-]?KEY|JWT[_-]?KEY|DSN|CONNECTION[_-]?STRING|DATABASE[_-]?URL)(?:$|[_.-])/i;
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

export function isDatastoreImage(image: string | undefined): boolean {
  return image !== undefined && DATASTORE_IMAGE.test(image.split('@')[0]);
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
  if (/\$\{|\$[A-Za-z_]|\$\(|\{\{/.test(text)) return false;
  if (/^(?:true|false|yes|no|on|off|none|null|nil|undefined|disabled?|enabled?|required|optional|auto)$/i.test(text)) return false;
  if (SECRET_MANAGER_REFERENCE.test(text)) return false;
  // A URL holds a secret only when it embeds a password (`scheme://user:password@host`).
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:[^@/\s]+@/i.test(text);
  return true;
}

/** Parts of a secret-looking name that make it a setting about the secret, not the secret. */
const SECRET_SETTING = /(?:^|[_.-])(?:ALLOW|RANDOM|GENERATE|REGION|BUCKET|ZONE|ACCOUNT|TENANT|PROJECT|REQUIRED?|ENABLED?|DISABLED?|USE|SKIP|LIFETIME|EXPIRATION|EXPIRE|EXPIRY|AGE|TTL|TIMEOUT|LENGTH|SIZE|COUNT|ROUNDS|ITERATIONS|MIN|MAX|HOST|PORT|USER|USERNAME|LOGIN|TYPE|MODE|METHOD|ALGORITHM|ALG|ISSUER|AUDIENCE|HEADER|PREFIX|SCOPE|ENDPOINT|PROVIDER|STORE|VERSION|LOCATION|FORMAT|ID|HINT|RESET|POLICY|COMPLEXITY|STRENGTH|HASHER|HASHING|ENCODER)(?:$|[_.-])/i;

/** Names that hold a credential itself (not a switch, a limit or a pointer to one). */
export function isCredentialName(name: string): boolean {
  return isSecretName(name) && !SECRET_SETTING.test(name);
}

/** Client tools published under a datastore's name (`minio/mc`, `redis/redisinsight`, `mcp/clickhouse`). */
const DATASTORE_TOOL_IMAGE = /(?:^|\/)(?:minio\/mc|redis\/redisinsight|redislabs\/redisinsight|mcp\/[^:@]+)(?:[:@]|$)/i;

/** A datastore server image (not one of its client tools). */
export function isDatastore(image: string | undefined): boolean {
  return isDatastoreImage(image) && !DATASTORE_TOOL_IMAGE.test(image!.split('@')[0]);
}
