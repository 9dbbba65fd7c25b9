import { defineRule } from '../rule';
import type { Interpolation } from '../../model/interpolation';
import { defaultedInterpolations, defaultsASecret, requireVariable } from '../shared/interpolations';

/** Switches that turn a protection on: off when they default to false, empty or none. */
const PROTECTION_ON = /(?:^|_)(?:AUTH|AUTHN|AUTHZ|AUTHENTICATION|AUTHORI[SZ]ATION|LOGIN|TLS|SSL|MTLS|HTTPS|CSRF|ENCRYPT(?:ION)?|SECURE|SECURITY|VERIFY|VERIFICATION|SIGNATURE|SIGNING|PROTECTED(?:_MODE)?|RBAC|ACL|FIREWALL|SANDBOX)(?:_(?:ENABLED?|ON|REQUIRED|REQUIRE|ENFORCED?|ONLY|CHECK|VERIFY|MODE))?$|^(?:REQUIRE|ENFORCE|ENABLE|VERIFY|USE)_(?:[A-Z0-9]+_)*(?:AUTH\w*|TLS|SSL|MTLS|HTTPS|CSRF|ENCRYPTION|SECURITY|SIGNATURE|CERTS?|CERTIFICATES?|HOSTNAME|PEER)$/i;
/** Switches that turn a protection off: open when they default to true. */
const PROTECTION_OFF = /(?:^|_)(?:INSECURE|SKIP_(?:TLS_)?VERIFY|SKIP_AUTH|NO_AUTH|NO_VERIFY|NO_TLS|DISABLE_(?:AUTH\w*|TLS|SSL|SECURITY|CSRF|LOGIN)|(?:AUTH\w*|TLS|SSL|SECURITY|CSRF|LOGIN|VERIFY|VERIFICATION)_DISABLED|ALLOW_(?:ANONYMOUS|INSECURE|EMPTY_PASSWORD|UNAUTHENTICATED|HTTP|PLAINTEXT\w*)|ANONYMOUS(?:_ACCESS)?(?:_ENABLED?)?|PERMISSIVE)$/i;
/** Mode settings whose weak values mean "no protection". */
const PROTECTION_MODE = /(?:^|_)(?:SSL_?MODE|TLS_?MODE|AUTH(?:ENTICATION)?_(?:METHOD|MODE|TYPE)|MTLS_MODE|SECURITY_MODE|SSL_?POLICY|VERIFY_MODE)$/i;

const OFF = /^(?:false|no|off|0|n|disabled?|none|never)$/i;
const ON = /^(?:true|yes|on|1|y|enabled?)$/i;
const WEAK_MODE = /^(?:disabled?|allow|prefer|none|off|false|trust|permissive|optional|no|never|plain(?:text)?|insecure)$/i;

export const failOpenSwitchDefault = defineRule({
  id: 'FF002',
  pattern: 'FF',
  severity: 'warning',
  title: 'Security switch falls back to off when unset',
  kinds: ['compose'],
  hasFix: true,
  peers: [],
  guidance: {
    why: 'With `${AUTH_ENABLED:-false}` or `${SSL_MODE:-disable}`, forgetting one variable in one environment silently ships the service with authentication or TLS switched off, and nothing fails. Fail-Fast means the secure state needs no variable, or a missing variable stops the start. Secrets with defaults are FF001.',
    fix: 'Require the variable (`${AUTH_ENABLED:?AUTH_ENABLED must be set}`), or make the secure value the default (`${AUTH_ENABLED:-true}`).',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    environment:\n      AUTH_ENABLED: ${AUTH_ENABLED:-false}',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    environment:\n      AUTH_ENABLED: ${AUTH_ENABLED:-true}',
  },
  checkCompose(model, context) {
    for (const defaulted of defaultedInterpolations(model)) {
      // FF001 reports every default of a secret; stay out of its way.
      if (defaultsASecret(defaulted)) continue;
      const { interpolation, key, wholeValue } = defaulted;
      const switchName = [interpolation.variable, wholeValue ? key : undefined].find((name): name is string => name !== undefined && failsOpen(name, interpolation));
      if (!switchName) continue;
      const fallback = interpolation.argument === '' ? 'an empty value' : `"${interpolation.argument}"`;
      context.report({
        range: interpolation.range,
        message: `Security switch \${${interpolation.variable}} falls back to ${fallback} when unset, which leaves ${describe(switchName)} off: a forgotten variable ships an unprotected service instead of stopping the start.`,
        fixes: requireVariable(interpolation),
      });
    }
  },
});

function failsOpen(name: string, interpolation: Interpolation): boolean {
  const fallback = interpolation.argument.trim();
  // An empty mode leaves the product's own default, which is not necessarily weak.
  if (PROTECTION_MODE.test(name)) return WEAK_MODE.test(fallback);
  if (PROTECTION_OFF.test(name)) return ON.test(fallback);
  if (PROTECTION_ON.test(name)) return fallback === '' || OFF.test(fallback);
  return false;
}

function describe(name: string): string {
  if (/TLS|SSL|HTTPS|VERIFY|CERT|HOSTNAME|PEER|INSECURE/i.test(name)) return 'TLS protection';
  if (/AUTH|LOGIN|ANONYMOUS|EMPTY_PASSWORD|UNAUTHENTICATED|RBAC|ACL/i.test(name)) return 'authentication';
  return 'a protection';
}
