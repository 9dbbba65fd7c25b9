import { defineRule } from '../rule';
import { composeSites, kubernetesSites, oncePerRange, type ProcessSite } from '../shared/workloads';
import { isMovingTag, parseImageReference } from '../../model/images';

export const imageWithoutDigest = defineRule({
  id: 'IMM002',
  pattern: 'IMM',
  severity: 'info',
  title: 'Image pinned by tag, not by digest',
  kinds: ['compose', 'kubernetes'],
  hasFix: false,
  peers: ['Checkov CKV_K8S_43', 'KICS Image Without Digest', 'Threagile container-baseimage-backdooring'],
  guidance: {
    why: 'A tag is a movable label: whoever can push to the registry can point `1.27.2` at different bytes, and the next pull runs them. Only a digest names exactly the artifact you tested, so a redeploy or a rollback gives the same code every time.',
    fix: 'Append the digest of the image you tested: `image: nginx:1.27.2@sha256:…` (`docker buildx imagetools inspect nginx:1.27.2` prints it); let a bot (Renovate, Dependabot) update tag and digest together.',
    bad: 'services:\n  web:\n    image: nginx:1.27.2',
    good: 'services:\n  web:\n    image: nginx:1.27.2@sha256:6784d8ae8d2e1e4ac55b9a0c8e9b3e3f3c0f2f0b36c4c5d2f87c4f0c7f1e0a6b',
  },
  checkCompose(model, context) {
    context = oncePerRange(context);
    // One image reference, one fact: the services that pull the same reference are related places.
    const byReference = new Map<string, ProcessSite[]>();
    for (const site of composeSites(model)) {
      // A service with `build:` names the image it builds, not one it pulls.
      if (site.service?.build || site.image === undefined || !site.imageRange) continue;
      const key = site.image.trim();
      const group = byReference.get(key);
      if (group) group.push(site);
      else byReference.set(key, [site]);
    }
    for (const [first, ...others] of byReference.values()) {
      const related = others.map((site) => ({ message: `${site.label} pulls the same reference`, range: site.imageRange! }));
      const label = others.length === 0 ? first.label : `${first.label} (with ${others.length === 1 ? '1 other service' : `${others.length} other services`})`;
      report({ ...first, label }, (input) => context.report({ ...input, ...(related.length > 0 ? { related } : {}) }));
    }
  },
  checkKubernetes(object, context) {
    context = oncePerRange(context);
    for (const site of kubernetesSites(object)) report(site, context.report);
  },
});

function report(site: ProcessSite, emit: (input: { range: { start: number; end: number }; message: string }) => void): void {
  if (site.image === undefined || !site.imageRange) return;
  const reference = parseImageReference(site.image);
  // No tag, `latest` and branch tags are IMM001's: a moving tag is the worse problem.
  if (!reference || reference.digest || reference.templated || reference.tag === undefined || isMovingTag(reference.tag)) return;
  emit({
    range: site.imageRange,
    message: `${site.label} pulls image "${site.image}" by tag only: the tag can be moved to different bytes, so a redeploy or rollback may not run what was tested; pin its digest (@sha256:…).`,
  });
}
