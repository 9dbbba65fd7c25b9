import { defineRule } from '../rule';
import { defaultedInterpolations, defaultsASecret, namesInFile, requireVariable, type DefaultedInterpolation } from '../shared/interpolations';
import { valueWhenUnset } from '../../model/interpolation';
import { isHashSaltName, isOutboundKeyName, isUnsetSentinel, urlPassword } from '../../model/names';
import { appendTo } from '../../core/collections';

export const failOpenSecretDefault = defineRule({
  id: 'FF001',
  pattern: 'FF',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Secret falls back to a known default when unset',
  kinds: ['compose'],
  hasFix: true,
  guidance: {
    why: 'With `${DB_PASSWORD:-postgres}` a forgotten variable does not stop the deployment: the service starts with a credential everyone who reads the file knows, and nobody notices. Fail-Fast means a missing secret refuses to start. Reported for non-empty defaults of credentials (and connection URLs with a password in them), once per variable; a key to someone else\'s API (an error reporter\'s DSN, a mail or AI provider) is a warning, as it lets no one into this service, and so is a hash salt (`SALT`, `PASSWORD_SALT`): a known salt weakens stored hashes against precomputed tables but is no credential. An empty or sentinel default (`${ADMIN_PASSWORD:-}`, `${SENTRY_DSN:-0}`, `disabled`) proves no known credential: the feature stays off or the program generates a value, so it is not reported. Hashing schemes, switches and access key ids (beside their secret key) are not credentials.',
    fix: 'Make the variable required with `${VAR:?VAR must be set}` so `docker compose up` fails with a clear message when it is missing.',
    bad: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-postgres}',
    good: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?DB_PASSWORD must be set}',
  },
  checkCompose(model, context) {
    const siblings = namesInFile(model);
    // One variable with one default is one fact, however many services interpolate it.
    const byVariable = new Map<string, Array<{ defaulted: DefaultedInterpolation; known: KnownDefault }>>();
    for (const defaulted of defaultedInterpolations(model)) {
      const fallback = valueWhenUnset(defaulted.interpolation.argument);
      if (fallback === undefined) continue;
      const known = knownCredential(defaulted, fallback, siblings);
      if (!known) continue;
      const key = `${defaulted.interpolation.variable}=${fallback}`;
      appendTo(byVariable, key, { defaulted, known });
    }
    for (const [key, [first, ...others]] of byVariable) {
      const { interpolation } = first.defaulted;
      const fallback = key.slice(interpolation.variable.length + 1);
      const messages: Record<KnownDefault, string> = {
        credential: `Secret \${${interpolation.variable}} falls back to "${fallback}" when unset: the service starts with a credential everyone who reads this file knows, instead of refusing to start.`,
        outbound: `Key \${${interpolation.variable}} to a third-party service falls back to "${fallback}" when unset: it lets no one into this service, but the service starts with a key everyone who reads this file has instead of refusing to start.`,
        salt: `Hash salt \${${interpolation.variable}} falls back to "${fallback}" when unset: a salt everyone who reads this file knows lets no one in, but it weakens the stored hashes against precomputed tables, and the service starts with it instead of refusing to start.`,
      };
      context.report({
        range: interpolation.range,
        severity: first.known === 'credential' ? 'error' : 'warning',
        message: messages[first.known],
        related: others.map((other) => ({ message: `the same default of \${${interpolation.variable}}`, range: other.defaulted.interpolation.range })),
        fixes: requireVariable(interpolation, ...others.map((other) => other.defaulted.interpolation)),
      });
    }
  },
});

/** What a known default is: a credential to this service (error), a key to someone else's API or a hash salt (warning). */
type KnownDefault = 'credential' | 'outbound' | 'salt';

/**
 * What a default proves. A non-empty default of a credential (or a connection URL with a password
 * in it) is a known credential: error. The same for a key to someone else's API lets no one in:
 * warning; so does a known hash salt (`isHashSaltName`), which weakens stored hashes but is no
 * credential. An empty or sentinel default (`''`, `0`, `disabled`) leaves the feature off or lets
 * the program generate a value: nothing known, so nothing is reported.
 */
function knownCredential(defaulted: DefaultedInterpolation, fallback: string, siblings: ReadonlySet<string>): KnownDefault | undefined {
  if (urlPassword(fallback)) return 'credential';
  if (isUnsetSentinel(fallback) || !defaultsASecret(defaulted, siblings)) return undefined;
  const names = [defaulted.interpolation.variable, defaulted.key ?? ''];
  if (names.some(isOutboundKeyName)) return 'outbound';
  return names.every((name) => name === '' || isHashSaltName(name)) ? 'salt' : 'credential';
}
