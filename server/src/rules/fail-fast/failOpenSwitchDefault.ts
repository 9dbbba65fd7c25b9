import { defineRule } from '../rule';
import { valueWhenUnset } from '../../model/interpolation';
import { imageProduct } from '../../model/images';
import { switchPolarity } from '../../model/names';
import { AUTH_SWITCHES } from '../../model/authentication';
import type { ComposeService } from '../../model/compose';
import { defaultedInterpolations, defaultsASecret, namesInFile, requireVariable, type DefaultedInterpolation } from '../shared/interpolations';
import { appendTo } from '../../core/collections';

const OFF = /^(?:false|no|off|0|n|disabled?|none|never)$/i;
const ON = /^(?:true|yes|on|1|y|enabled?)$/i;
const WEAK_MODE = /^(?:disabled?|allow|prefer|none|off|false|trust|permissive|optional|no|never|plain(?:text)?|insecure)$/i;

export const failOpenSwitchDefault = defineRule({
  id: 'FF002',
  pattern: 'FF',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Security switch falls back to off when unset',
  kinds: ['compose'],
  hasFix: true,
  peers: [],
  guidance: {
    why: 'With `${AUTH_ENABLED:-false}` or `${SSL_MODE:-disable}`, forgetting one variable in one environment silently ships the service with authentication or TLS switched off, and nothing fails. Fail-Fast means the secure state needs no variable, or a missing variable stops the start. The switch\'s words decide which way it points: negative names invert (`SKIP_TLS_VERIFY`, `DISABLE_AUTH`), and `ALLOW_ANONYMOUS=no` forbids. TLS switched off towards a service of the same file is info (the traffic stays on the project network); an empty default leaves the product\'s own default and is not reported. One finding per switch (a TLS/SSL pair counts once). Secrets with defaults are FF001.',
    fix: 'Require the variable (`${AUTH_ENABLED:?AUTH_ENABLED must be set}`), or make the secure value the default (`${AUTH_ENABLED:-true}`).',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    environment:\n      AUTH_ENABLED: ${AUTH_ENABLED:-false}',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    environment:\n      AUTH_ENABLED: ${AUTH_ENABLED:-true}',
  },
  checkCompose(model, context) {
    const siblings = namesInFile(model);
    const services = new Set(model.services.flatMap((service) => [service.name.toUpperCase(), ...serviceWords(service)]));
    // One switch (and its TLS/SSL twin) with one default is one fact, however many services use it.
    const groups = new Map<string, Array<{ defaulted: DefaultedInterpolation; switchName: string }>>();
    for (const defaulted of defaultedInterpolations(model)) {
      // FF001 reports every default of a secret; stay out of its way.
      if (defaultsASecret(defaulted, siblings)) continue;
      const { interpolation, key, wholeValue } = defaulted;
      const fallback = valueWhenUnset(interpolation.argument);
      if (fallback === undefined) continue;
      const switchName = [interpolation.variable, wholeValue ? key : undefined].find((name): name is string => name !== undefined && failsOpen(name, fallback) && !readByOtherImages(name, defaulted.service));
      if (!switchName) continue;
      const group = `${interpolation.variable.toUpperCase().replace(/SSL|TLS/g, 'TLS')}=${fallback}`;
      appendTo(groups, group, { defaulted, switchName });
    }
    for (const [, [first, ...others]] of groups) {
      const { interpolation } = first.defaulted;
      const fallback = valueWhenUnset(interpolation.argument) ?? '';
      const switchInfo = switchPolarity(first.switchName)!;
      // TLS to a service of this same file stays on the project's network: worth a note.
      const inStack = switchInfo.protection === 'tls' && first.switchName.toUpperCase().split(/[^A-Z0-9]+/).some((word) => services.has(word));
      const twins = [...new Set(others.map((other) => other.defaulted.interpolation.variable).filter((variable) => variable !== interpolation.variable))];
      context.report({
        range: interpolation.range,
        severity: inStack ? 'info' : undefined,
        message: `Security switch \${${interpolation.variable}}${twins.length > 0 ? ` (and \${${twins.join('}, ${')}})` : ''} falls back to ${fallback === '' ? 'an empty value' : `"${fallback}"`} when unset, which leaves ${describe(switchInfo.protection)} off${inStack ? ' for a service of this same file, on the project network' : ''}: a forgotten variable ships an unprotected service instead of stopping the start.`,
        related: others.map((other) => ({ message: `\${${other.defaulted.interpolation.variable}} falls back the same way here`, range: other.defaulted.interpolation.range })),
        fixes: requireVariable(interpolation, ...others.map((other) => other.defaulted.interpolation)),
      });
    }
  },
});

/**
 * A switch the image table names for other images only (`ALLOW_EMPTY_PASSWORD` is bitnami's):
 * set on a service running another image, it switches nothing.
 */
function readByOtherImages(name: string, service: ComposeService | undefined): boolean {
  const known = AUTH_SWITCHES.find((authSwitch) => authSwitch.name.test(name) && authSwitch.images);
  if (!known || !service?.image) return false;
  const repository = imageProduct(service.image.value);
  return repository !== undefined && !known.images!.test(repository);
}

/** Words of a service's image repository (`redis`, `postgres`) that a switch may name it by. */
function serviceWords(service: ComposeService): string[] {
  const repository = imageProduct(service.image?.value);
  return repository ? repository.toUpperCase().split(/[^A-Z0-9]+/).filter((word) => word.length > 2) : [];
}

/** Whether `fallback` leaves the protection `name` guards off. An empty fallback leaves the product's own default, which is not necessarily weak. */
function failsOpen(name: string, fallback: string): boolean {
  const switchInfo = switchPolarity(name);
  const value = fallback.trim();
  if (!switchInfo || value === '') return false;
  if (switchInfo.polarity === 'mode') return WEAK_MODE.test(value);
  return switchInfo.polarity === 'off' ? ON.test(value) : OFF.test(value);
}

function describe(protection: 'tls' | 'authentication' | 'protection'): string {
  return protection === 'tls' ? 'TLS protection' : protection === 'authentication' ? 'authentication' : 'a protection';
}
