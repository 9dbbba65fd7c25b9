import { defineRule, type RuleContext } from '../rule';
import type { OffsetRange } from '../../core/types';
import { DOCKER_HUB, imageWhenUnset, parseImageReference } from '../../model/images';
import { declaredContainers } from '../../model/kubernetes';


/**
 * Where an image is pulled from, as `registry/path` (`docker.io/library/nginx`, `ghcr.io/example-org/api`),
 * following Docker's reading of a reference: a first segment with a dot or a port, or `localhost`,
 * is a registry; anything else is Docker Hub, where a one-word name is an official (`library/`) image.
 * Undefined for a reference chosen by a variable without a default, or a Helm template.
 */
export function imageSource(image: string): string | undefined {
  const resolved = imageWhenUnset(image);
  const reference = resolved === undefined ? undefined : parseImageReference(resolved);
  if (!reference || reference.templated || reference.repository === '') return undefined;
  const segments = reference.repository.toLowerCase().split('/');
  const registry = segments.length > 1 && (/[.:]/.test(segments[0]) || segments[0] === 'localhost') ? segments.shift()! : 'docker.io';
  if (DOCKER_HUB.has(registry) && segments.length === 1) segments.unshift('library');
  return `${DOCKER_HUB.has(registry) ? 'docker.io' : registry}/${segments.join('/')}`;
}

/** Whether `source` (`registry/path`) lies under one of the allowed registries or registry paths. */
export function fromTrustedRegistry(source: string, trusted: readonly string[]): boolean {
  return trusted.some((entry) => {
    const first = entry.split('/')[0];
    const normalized = DOCKER_HUB.has(first) ? `docker.io${entry.slice(first.length)}` : entry;
    return source === normalized || source.startsWith(`${normalized}/`);
  });
}

/**
 * IMM007: an image pulled from a registry outside the project's `trustedRegistries:` allow-list.
 * Without that setting the rule reports nothing: which registries a team trusts is its decision.
 */
export const untrustedRegistry = defineRule({
  id: 'IMM007',
  pattern: 'IMM',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'Image from a registry outside trustedRegistries',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  peers: ['Trivy KSV032, KSV033, KSV034, KSV035, KSV125 (trusted registries)'],
  guidance: {
    why: 'Every image is code that joins what you must trust, and the registry it comes from decides who can change that code: an allow-list of registries (your own, a vetted mirror, a vendor\'s) keeps the supply chain to the ones you scan, sign and control. An image from anywhere else bypasses that review, and a name typed slightly wrong is pulled from a stranger. Reported only when `.sbd.yaml` (or the editor setting `secureByDesign.trustedRegistries`) lists the trusted registries; a compose service that builds its image is not reported, as the name is given to what is built here.',
    fix: 'Mirror the image into a trusted registry (after scanning and, better, signing it) and reference it there, or add the registry to `trustedRegistries:` if the team has decided to trust it.',
    bad: 'services:\n  web:\n    image: nginx:1.27.2',
    good: 'services:\n  web:\n    image: registry.example.com/mirror/nginx:1.27.2',
    configuration: 'trustedRegistries:\n  - registry.example.com',
  },
  checkCompose(model, context) {
    for (const service of model.services) {
      if (!service.image || service.build) continue;
      check(`Service "${service.name}"`, service.image.value, service.image.range, context);
    }
  },
  checkKubernetes(object, context) {
    for (const container of declaredContainers(object)) {
      if (container.image) check(`Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}"`, container.image.value, container.image.range, context);
    }
  },
});

function check(label: string, image: string, range: OffsetRange, context: RuleContext): void {
  const trusted = context.options.trustedRegistries;
  if (!trusted || trusted.length === 0) return;
  const source = imageSource(image);
  if (source === undefined || fromTrustedRegistry(source, trusted)) return;
  const registry = source.split('/')[0];
  context.report({
    range,
    message: `${label} pulls image "${image.trim()}" from ${registry === 'docker.io' ? 'Docker Hub' : registry}${source.startsWith('docker.io/library/') ? ' (an official image)' : ''}, which trustedRegistries does not list (${trusted.join(', ')}): its code has not passed the registries this project trusts.`,
  });
}
