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
