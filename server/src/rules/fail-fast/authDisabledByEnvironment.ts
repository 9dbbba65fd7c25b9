import { defineRule, type RuleContext } from '../rule';
import { fix } from '../../core/edits';
import { deleteEnvVar, replaceEnvValue } from '../shared/environment';
import { checkEveryProcessSite, findInScalars, startupFacts, type ProcessSite } from '../shared/workloads';
import { authSwitchesOff, openByDefault, type AuthSwitch } from '../../model/authentication';
import type { EnvVar } from '../../model/common';

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
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS/Checkov/Trivy control-plane flags only (anonymous-auth, AlwaysAllow)'],
  guidance: {
    why: 'Images come with switches that turn their authentication off for convenience (`POSTGRES_HOST_AUTH_METHOD=trust`, `ALLOW_EMPTY_PASSWORD=yes`, `xpack.security.enabled=false`, `GF_AUTH_ANONYMOUS_ENABLED=true`, `--auth=false`), and some are open by default (the official mongo image without a root user, rabbitmq with guest/guest, memcached without SASL, Elasticsearch before 8.0, a registry without REGISTRY_AUTH). Each switch in the table names the image documentation it comes from (PgBouncer `AUTH_TYPE: trust`, ClickHouse `CLICKHOUSE_SKIP_USER_SETUP=1`…). The service then starts happily and trusts everything that reaches it on the network: no fail-fast, and Zero-Trust\'s "verify explicitly" is gone.',
    fix: 'Remove the switch and give the service a credential from your secret store; for images that are open by default, set their root user and password (`MONGO_INITDB_ROOT_USERNAME`/`_PASSWORD_FILE`, `RABBITMQ_DEFAULT_USER`/`_PASS`). The image then refuses to start without it.',
    bad: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust',
    good: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets: [db_password]\nsecrets:\n  db_password:\n    external: true',
  },
  ...checkEveryProcessSite(report),
});

function report(site: ProcessSite, context: RuleContext): void {
  for (const { variable, authSwitch } of authSwitchesOff(site.image, site.environment)) {
    context.report({
      range: !variable.valueRange || variable.valueRange.start === variable.valueRange.end ? variable.nameRange : variable.valueRange,
      message: `${site.label} sets ${variable.name}=${variable.value}: ${authSwitch.effect}, so anything that reaches it on the network is trusted.`,
      fixes: fixFor(site, variable, authSwitch),
    });
  }
  const flags = findInScalars(site.tree, site.commandScalars, AUTH_OFF_FLAG);
  for (const flag of flags) {
    context.report({
      range: flag.range,
      message: `${site.label} starts with \`${flag.text.trim()}\`: authentication is switched off, so anything that reaches it on the network is trusted.`,
    });
  }
  if (flags.length > 0 || site.container?.kind === 'initContainer') return;
  const open = openByDefault(startupFacts(site));
  if (open && site.imageRange) context.report({ range: site.imageRange, message: `${site.label} runs ${open}, so anything that reaches it on the network is trusted.` });
}

function fixFor(site: ProcessSite, variable: EnvVar, authSwitch: AuthSwitch) {
  if (authSwitch.secureValue !== undefined) return fix(`Set ${variable.name}=${authSwitch.secureValue}`, [replaceEnvValue(site, variable, authSwitch.secureValue)], false);
  if (authSwitch.remove) return fix(`Remove ${variable.name}`, [deleteEnvVar(site, variable)], false);
  return [];
}
