import { defineRule } from '../rule';
import { defaultedInterpolations, defaultsASecret, requireVariable } from '../shared/interpolations';

export const failOpenSecretDefault = defineRule({
  id: 'FF001',
  pattern: 'FF',
  severity: 'error',
  title: 'Secret falls back to a default when unset',
  kinds: ['compose'],
  hasFix: true,
  guidance: {
    why: 'With `${DB_PASSWORD:-postgres}` a forgotten variable does not stop the deployment: the service starts with a well-known or empty credential, and nobody notices. Fail-Fast means a missing secret refuses to start.',
    fix: 'Make the variable required with `${VAR:?VAR must be set}` so `docker compose up` fails with a clear message when it is missing.',
    bad: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-postgres}',
    good: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?DB_PASSWORD must be set}',
  },
  checkCompose(model, context) {
    for (const defaulted of defaultedInterpolations(model)) {
      if (!defaultsASecret(defaulted)) continue;
      const { interpolation } = defaulted;
      const fallback = interpolation.argument === '' ? 'an empty value' : `"${interpolation.argument}"`;
      context.report({
        range: interpolation.range,
        message: `Secret \${${interpolation.variable}} falls back to ${fallback} when unset: the service starts with a known credential instead of refusing to start.`,
        fixes: requireVariable(interpolation),
      });
    }
  },
});
