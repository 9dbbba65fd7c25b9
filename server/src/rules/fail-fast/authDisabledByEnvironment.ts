import { defineRule, type RuleContext } from '../rule';
import { fix } from '../../core/edits';
import { deleteEnvVar, isFalsy, isIndirect, isTruthy, replaceEnvValue } from '../shared/environment';
import { checkEveryProcessSite, findInScalars, type ProcessSite } from '../shared/workloads';
import { imageRepositoryIs } from '../../model/images';
import type { EnvVar } from '../../model/common';
import { isUnder, normalizeAbsolute } from '../../model/hostMounts';

/** An environment variable that switches a product's authentication off. */
interface AuthSwitch {
  readonly name: RegExp;
  readonly off: (value: string) => boolean;
  /** What the setting does, completing "…: <effect>". */
  readonly effect: string;
  /** The value that keeps authentication on, for the quick fix. */
  readonly secureValue?: string;
  /** Fix by removing the variable (images that treat any value as "on"). */
  readonly remove?: boolean;
  /** Harmless when one of these is also set (a password makes "allow empty" moot). */
  readonly unlessAlso?: RegExp;
}

const nonEmpty = (value: string) => value.trim() !== '';

const AUTH_SWITCHES: readonly AuthSwitch[] = [
  { name: /^POSTGRES_HOST_AUTH_METHOD$/, off: (v) => /^trust$/i.test(v.trim()), effect: 'PostgreSQL accepts every connection without a password', secureValue: 'scram-sha-256' },
  {
    name: /^(?:MYSQL_ALLOW_EMPTY_PASSWORD|MARIADB_ALLOW_EMPTY_ROOT_PASSWORD|MARIADB_ALLOW_EMPTY_PASSWORD)$/,
    off: nonEmpty,
    effect: 'the database root user has no password (the image treats any non-empty value as yes)',
    remove: true,
    unlessAlso: /^(?:MYSQL|MARIADB)_(?:ROOT_PASSWORD(?:_FILE|_HASH)?|RANDOM_ROOT_PASSWORD)$/,
  },
  { name: /^ALLOW_EMPTY_PASSWORD$/, off: isTruthy, effect: 'the service starts with no password at all', secureValue: 'no' },
  { name: /^xpack\.security\.enabled$/, off: isFalsy, effect: 'Elasticsearch serves every index without authentication or TLS', secureValue: 'true' },
  { name: /^(?:plugins\.security\.disabled|DISABLE_SECURITY_PLUGIN)$/, off: isTruthy, effect: 'OpenSearch serves every index without authentication or TLS', secureValue: 'false' },
  { name: /^GF_AUTH_ANONYMOUS_ENABLED$/, off: isTruthy, effect: 'Grafana lets anyone in without logging in', secureValue: 'false' },
  { name: /^NEO4J_AUTH$/, off: (v) => /^none$/i.test(v.trim()), effect: 'Neo4j accepts every connection without credentials' },
  { name: /^PGADMIN_CONFIG_SERVER_MODE$/, off: isFalsy, effect: 'pgAdmin runs in desktop mode with no login', secureValue: 'True' },
  { name: /^ALLOW_ANONYMOUS_LOGIN$/, off: isTruthy, effect: 'ZooKeeper accepts anonymous clients', secureValue: 'no' },
  { name: /^ALLOW_PLAINTEXT_LISTENER$/, off: isTruthy, effect: 'Kafka accepts unauthenticated plaintext clients', secureValue: 'no' },
  { name: /^(?![A-Z0-9_]*(?:SMTP|MAIL|PROXY|UPSTREAM|CLIENT|LDAP|OAUTH|OIDC|SSO|SAML|BASIC))(?:[A-Z0-9]+_)?(?:DISABLE_AUTH(?:ENTICATION)?|AUTH(?:ENTICATION)?_DISABLED|NO_AUTH|SKIP_AUTH)$/, off: isTruthy, effect: 'authentication is switched off', secureValue: 'false' },
  { name: /^(?![A-Z0-9_]*(?:SMTP|MAIL|PROXY|UPSTREAM|CLIENT|LDAP|OAUTH|OIDC|SSO|SAML|BASIC))(?:[A-Z0-9]+_)?AUTH(?:ENTICATION)?_(?:ENABLED?|REQUIRED)$/, off: isFalsy, effect: 'authentication is switched off', secureValue: 'true' },
];

/** Command-line flags that switch authentication off. */
const AUTH_OFF_FLAG = new RegExp(
  [
    '--(?:auth|authentication|authorization)(?:[-_.]enabled)?[= ](?:false|0|no|off|none|disabled)\\b',
    '--no-?auth\\b',
    '--disable-?auth(?:entication)?\\b',
    '--skip-auth\\b',
    '--anonymous-auth[= ]true\\b',
    '--authorization-mode[= ](?:\\S*,)?AlwaysAllow\\b',
    '-Expack\\.security\\.enabled=false\\b',
    "--(?:NotebookApp|ServerApp|IdentityProvider)\\.token=(?:''|\"\"|(?=\\s|$))",
    '\\bvault\\s+server\\s+(?:\\S+\\s+)*-dev\\b',
    '\\bcockroach\\s+(?:start|start-single-node)\\b.*--insecure\\b',
  ].join('|'),
);

export const authDisabledByEnvironment = defineRule({
  id: 'FF004',
  pattern: 'FF',
  alsoPattern: 'ZT',
  severity: 'error',
  title: 'Authentication switched off by configuration',
  kinds: ['compose', 'kubernetes'],
  hasFix: true,
  peers: ['KICS/Checkov/Trivy control-plane flags only (anonymous-auth, AlwaysAllow)'],
  guidance: {
    why: 'Images come with switches that turn their authentication off for convenience (`POSTGRES_HOST_AUTH_METHOD=trust`, `ALLOW_EMPTY_PASSWORD=yes`, `xpack.security.enabled=false`, `GF_AUTH_ANONYMOUS_ENABLED=true`, `--auth=false`), and some are open by default (the official mongo image without a root user, rabbitmq with guest/guest). The service then starts happily and trusts everything that reaches it on the network: no fail-fast, and Zero-Trust\'s "verify explicitly" is gone.',
    fix: 'Remove the switch and give the service a credential from your secret store; for images that are open by default, set their root user and password (`MONGO_INITDB_ROOT_USERNAME`/`_PASSWORD_FILE`, `RABBITMQ_DEFAULT_USER`/`_PASS`). The image then refuses to start without it.',
    bad: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust',
    good: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets: [db_password]\nsecrets:\n  db_password:\n    external: true',
  },
  ...checkEveryProcessSite(report),
});

function report(site: ProcessSite, context: RuleContext): void {
  for (const variable of site.environment) {
    const value = variable.value;
    if (value === undefined || isIndirect(value) || !variable.valueRange) continue;
    const rule = AUTH_SWITCHES.find((candidate) => candidate.name.test(variable.name) && candidate.off(value));
    if (!rule) continue;
    if (rule.unlessAlso && site.environment.some((other) => rule.unlessAlso!.test(other.name) && other.value !== '')) continue;
    context.report({
      range: variable.valueRange.start === variable.valueRange.end ? variable.nameRange : variable.valueRange,
      message: `${site.label} sets ${variable.name}=${value}: ${rule.effect}, so anything that reaches it on the network is trusted.`,
      fixes: fixFor(site, variable, rule),
    });
  }
  const flags = findInScalars(site.tree, site.commandScalars, AUTH_OFF_FLAG);
  for (const flag of flags) {
    context.report({
      range: flag.range,
      message: `${site.label} starts with \`${flag.text.trim()}\`: authentication is switched off, so anything that reaches it on the network is trusted.`,
    });
  }
  const openByDefault = flags.length === 0 ? openByDefaultImage(site) : undefined;
  if (openByDefault && site.imageRange) {
    context.report({ range: site.imageRange, message: `${site.label} runs ${openByDefault}, so anything that reaches it on the network is trusted.` });
  }
}

function fixFor(site: ProcessSite, variable: EnvVar, rule: AuthSwitch) {
  if (rule.secureValue !== undefined) return fix(`Set ${variable.name}=${rule.secureValue}`, [replaceEnvValue(site, variable, rule.secureValue)], false);
  if (rule.remove) return fix(`Remove ${variable.name}`, [deleteEnvVar(site, variable)], false);
  return [];
}

/** Official images that run without authentication unless told otherwise. */
function openByDefaultImage(site: ProcessSite): string | undefined {
  if (site.hasExternalEnvironment || site.container?.kind === 'initContainer') return undefined;
  const names = new Set(site.environment.map((variable) => variable.name));
  const command = site.commandScalars.map((scalar) => String(scalar.value)).join(' ');
  if (imageRepositoryIs(site.image, /^mongo$/)) {
    if (names.has('MONGO_INITDB_ROOT_USERNAME') || names.has('MONGO_INITDB_ROOT_USERNAME_FILE')) return undefined;
    if (/--auth\b|--keyFile\b|--config\b|(?:^|\s)-f\s|\.conf\b/.test(command) || mountsInto(site, ['/etc/mongo', '/etc/mongod.conf', '/docker-entrypoint-initdb.d'])) return undefined;
    return 'MongoDB with no root user (MONGO_INITDB_ROOT_USERNAME) and no --auth: the official image then starts with authentication off';
  }
  if (imageRepositoryIs(site.image, /^rabbitmq$/)) {
    if (names.has('RABBITMQ_DEFAULT_USER') || names.has('RABBITMQ_DEFAULT_PASS') || names.has('RABBITMQ_DEFAULT_PASS_FILE')) return undefined;
    if (mountsInto(site, ['/etc/rabbitmq'])) return undefined;
    return 'RabbitMQ with no RABBITMQ_DEFAULT_USER/RABBITMQ_DEFAULT_PASS: the official image then accepts guest/guest from any host';
  }
  return undefined;
}

/** Whether something (a file, a volume, a ConfigMap) is mounted into one of `paths`. */
function mountsInto(site: ProcessSite, paths: readonly string[]): boolean {
  const tree = site.tree;
  const targets = site.service
    ? site.service.volumes.map((volume) => volume.target)
    : tree.items(tree.get(site.container?.node, 'volumeMounts')).map((mount) => tree.string(mount, 'mountPath'));
  return targets.some((target) => {
    const path = target === undefined ? undefined : normalizeAbsolute(target);
    return path !== undefined && paths.some((root) => isUnder(path, root) || isUnder(root, path));
  });
}
