import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { asBoolean, forEachScalar, scalarText } from '../../core/tree';
import type { Fix, OffsetRange } from '../../core/types';
import type { EnvVar } from '../../model/common';
import { deleteEnvVar, isFalsy, isIndirect, isTruthy, replaceEnvValue } from '../shared/environment';
import { composeSites, findInScalars, kubernetesSites, sourceRangeOf, oncePerRange, type ProcessSite } from '../shared/workloads';
import type { RuleContext } from '../rule';

interface VerifySwitch {
  readonly name: RegExp;
  readonly off: (value: string) => boolean;
  readonly secureValue?: string;
  readonly remove?: boolean;
}

const VERIFY_SWITCHES: readonly VerifySwitch[] = [
  { name: /^NODE_TLS_REJECT_UNAUTHORIZED$/, off: (v) => v.trim() === '0', secureValue: '1' },
  { name: /^PYTHONHTTPSVERIFY$/, off: (v) => v.trim() === '0', secureValue: '1' },
  // git and these tools treat any value as "do not verify".
  { name: /^(?:GIT_SSL_NO_VERIFY|CURL_INSECURE|NPM_CONFIG_STRICT_SSL_FALSE)$/, off: (v) => v.trim() !== '' && !isFalsy(v), remove: true },
  { name: /^(?:NPM_CONFIG_STRICT_SSL|npm_config_strict_ssl|YARN_STRICT_SSL|PIP_TRUSTED_HOST_ALL)$/, off: isFalsy, secureValue: 'true' },
  {
    name: /(?:^|_)(?:INSECURE_SKIP_(?:TLS_)?VERIFY|SKIP_(?:TLS|SSL)_VERIFY(?:ICATION)?|(?:TLS|SSL)_SKIP_VERIFY|(?:TLS|SSL)_INSECURE(?:_SKIP_VERIFY)?|INSECURE_(?:SSL|TLS)|(?:SSL|TLS)_NO_VERIFY|NO_VERIFY_(?:SSL|TLS)|IGNORE_(?:SSL|TLS|CERT(?:IFICATE)?)_ERRORS|DISABLE_(?:SSL|TLS|CERT(?:IFICATE)?)_VERIFICATION|ALLOW_INSECURE_(?:TLS|SSL|CERTS?))$/i,
    off: isTruthy,
    secureValue: 'false',
  },
  { name: /^(?!DOCKER_TLS_VERIFY$)(?:[A-Z0-9]+_)*(?:SSL_VERIFY|TLS_VERIFY|VERIFY_SSL|VERIFY_TLS|(?:SSL|TLS)_VERIFICATION|VERIFY_CERTS?|VERIFY_CERTIFICATES?|CERT_VERIFY|(?:SSL|TLS)_VERIFY_PEER|VERIFY_PEER|CHECK_CERTS?)$/i, off: isFalsy, secureValue: 'true' },
  { name: /(?:^|_)SSL_CERT_REQS$/i, off: (v) => /^(?:none|cert_none)$/i.test(v.trim()), secureValue: 'required' },
];
/** No TLS at all on a database connection. */
const SSL_MODE_NAME = /^(?:PGSSLMODE|(?:[A-Z0-9]+_)*SSL_?MODE)$/i;
const SSL_MODE_OFF = /\bsslmode=disable\b/i;

const INSECURE_FLAG = /--insecure-skip-tls-verify(?:=true)?\b|--kubelet-insecure-tls\b|--insecure-skip-verify(?:=true)?\b|--tls-skip-verify(?:=true)?\b|--skip-tls-verify(?:=true)?\b|--(?:tls|ssl)-verify[= ]false\b|--no-verify-ssl\b|--tlsAllowInvalid(?:Certificates|Hostnames)\b|--no-check-certificate\b/;
/** Keys of Kubernetes objects and CRDs (ServiceMonitor, APIService, ServersTransport, Argo CD…) that skip verification. */
const INSECURE_KEY = /^(?:insecure[-_]?skip[-_]?(?:tls[-_]?)?verify|skip[-_]?tls[-_]?verify|tls[-_]?insecure[-_]?skip[-_]?verify)$/i;
/** The same keys inside embedded configuration (a ConfigMap holding prometheus.yml, a Grafana datasource). */
const EMBEDDED_INSECURE = /\b(?:insecure[-_]?skip[-_]?(?:tls[-_]?)?verify|tls[-_]?skip[-_]?verify|tlsSkipVerify)["']?\s*[:=]\s*["']?true\b/i;

export const tlsVerificationDisabled = defineRule({
  id: 'FF006',
  pattern: 'FF',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'TLS verification turned off',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['Checkov/Trivy control-plane flags (--kubelet-insecure-tls) only'],
  guidance: {
    why: 'Turning off certificate verification (`NODE_TLS_REJECT_UNAUTHORIZED=0`, `insecureSkipVerify: true`, `--insecure-skip-tls-verify`, `sslmode=disable`) keeps the service running when it should have refused to: whoever sits on the path can impersonate the server, read the traffic and the credentials in it. Fail-Fast means a bad certificate stops the connection with an error; Zero-Trust means the peer is verified every time.',
    fix: 'Remove the switch and give the client the CA it should trust (a mounted CA bundle, `caFile`, `SSL_CERT_FILE`, `NODE_EXTRA_CA_CERTS`); for databases use `sslmode=verify-full` with the server\'s CA.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    environment:\n      NODE_TLS_REJECT_UNAUTHORIZED: "0"',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    environment:\n      NODE_EXTRA_CA_CERTS: /etc/ssl/internal-ca.pem',
  },
  checkCompose(model, context) {
    context = oncePerRange(context);
    for (const site of composeSites(model)) reportSite(site, context);
  },
  checkKubernetes(object, context) {
    context = oncePerRange(context);
    for (const site of kubernetesSites(object)) reportSite(site, context);
    const tree = object.tree;
    const where = `${object.kind} "${object.name ?? '?'}"`;
    forEachScalar(object.root, (scalar, key) => {
      if (key !== undefined && INSECURE_KEY.test(key) && asBoolean(scalar) === true) {
        const range = sourceRangeOf(tree, scalar, scalarText(scalar) ?? '');
        context.report({
          range,
          message: `${where} sets ${key}: true: the certificate of the server it connects to is not checked, so anyone on the path can impersonate it.`,
          fixes: fix(`Set ${key}: false`, [replaceNode(scalar, 'false')], false),
        });
        return;
      }
      const value = scalarText(scalar);
      if (value === undefined || !value.includes('\n')) return;
      const embedded = EMBEDDED_INSECURE.exec(value);
      if (!embedded) return;
      const range = sourceRangeOf(tree, scalar, embedded[0]);
      const exact = tree.text.slice(range.start, range.end) === embedded[0];
      context.report({
        range,
        message: `${where} embeds configuration with \`${embedded[0]}\`: the certificate of the server it connects to is not checked, so anyone on the path can impersonate it.`,
        fixes: exact ? fix('Verify certificates (set it to false)', [{ ...range, newText: embedded[0].replace(/true$/i, 'false') }], false) : [],
      });
    });
  },
});

function reportSite(site: ProcessSite, context: RuleContext): void {
  for (const variable of site.environment) {
    const value = variable.value;
    if (value === undefined || !variable.valueRange) continue;
    const rule = isIndirect(value) ? undefined : VERIFY_SWITCHES.find((candidate) => candidate.name.test(variable.name) && candidate.off(value));
    if (rule) {
      context.report({
        range: variable.valueRange.start === variable.valueRange.end ? variable.nameRange : variable.valueRange,
        message: `${site.label} sets ${variable.name}=${value}: TLS certificates are not verified, so anyone on the path can impersonate the servers it talks to and read what it sends.`,
        fixes: envFix(site, variable, rule),
      });
      continue;
    }
    const sslModeOff = (SSL_MODE_NAME.test(variable.name) && /^disable$/i.test(value.trim())) || SSL_MODE_OFF.test(value);
    if (sslModeOff) {
      context.report({
        range: sslModeRange(site, variable),
        message: `${site.label} connects to its database with sslmode=disable (${variable.name}): credentials and data cross the network in plain text and the server is never verified.`,
      });
    }
  }
  for (const flag of findInScalars(site.tree, site.commandScalars, INSECURE_FLAG)) {
    context.report({
      range: flag.range,
      message: `${site.label} starts with \`${flag.text}\`: TLS certificates are not verified, so anyone on the path can impersonate the servers it talks to.`,
    });
  }
}

function envFix(site: ProcessSite, variable: EnvVar, rule: VerifySwitch): Fix[] {
  if (rule.secureValue !== undefined) return fix(`Set ${variable.name}=${rule.secureValue}`, [replaceEnvValue(site, variable, rule.secureValue)], false);
  if (rule.remove) return fix(`Remove ${variable.name}`, [deleteEnvVar(site, variable)], false);
  return [];
}

/** `sslmode=disable` inside a connection string, else the whole value. */
function sslModeRange(site: ProcessSite, variable: EnvVar): OffsetRange {
  const range = variable.valueRange!;
  const source = site.tree.text.slice(range.start, range.end);
  const match = SSL_MODE_OFF.exec(source);
  return match ? { start: range.start + match.index, end: range.start + match.index + match[0].length } : range;
}
