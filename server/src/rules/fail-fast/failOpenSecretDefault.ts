import { defineRule } from '../rule';
import { forEachScalar, rangeOf } from '../../core/tree';
import { findInterpolations } from '../../model/interpolation';
import { isSecretName } from '../shared/names';

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
    const text = model.tree.text;
    forEachScalar(model.root, (scalar, key) => {
      const range = rangeOf(scalar);
      if (!range || typeof scalar.value !== 'string' || !scalar.value.includes('${')) return;
      const source = text.slice(range.start, range.end);
      for (const interpolation of findInterpolations(source, range.start)) {
        if (interpolation.operator !== ':-' && interpolation.operator !== '-') continue;
        const holdsSecret = isSecretName(interpolation.variable) || (key !== undefined && isSecretName(key) && source.trim().startsWith('${'));
        if (!holdsSecret) continue;
        const fallback = interpolation.argument === '' ? 'an empty value' : `"${interpolation.argument}"`;
        const replacement = `\${${interpolation.variable}:?${interpolation.variable} must be set}`;
        context.report({
          range: interpolation.range,
          message: `Secret \${${interpolation.variable}} falls back to ${fallback} when unset: the service starts with a known credential instead of refusing to start.`,
          fixes: [{ title: `Require ${interpolation.variable} (\${${interpolation.variable}:?…})`, edits: [{ ...interpolation.range, newText: replacement }], safe: true }],
        });
      }
    });
  },
});
