import { defineRule } from '../rule';
import { imageWhenUnset, isMovingTag, parseImageReference } from '../../model/images';
import { declaredContainers } from '../../model/kubernetes';
import type { ComposeService } from '../../model/compose';

export const unpinnedImage = defineRule({
  id: 'IMM001',
  pattern: 'IMM',
  severity: 'warning',
  title: 'Image tag is mutable (latest, a branch, or none)',
  kinds: ['compose', 'kubernetes'],
  hasFix: false,
  peers: ['kube-linter latest-tag', 'Checkov CKV_K8S_14', 'Trivy KSV013', 'Polaris tagNotSpecified'],
  guidance: {
    why: '`latest` (or no tag, which means `latest`), and branch or channel tags such as `master`, `main`, `develop`, `nightly` or `edge`, point at whatever was pushed last: two deployments of the same file can run different code, and a rollback does not roll back. A tag chosen by a variable is judged by its default (`${APP_VERSION:-latest}`); an image that `build:` produces without a version tag moves with every build.',
    fix: 'Pin a released version tag, and better its digest: `image: nginx:1.27.2@sha256:…`.',
    bad: 'services:\n  web:\n    image: nginx:latest',
    good: 'services:\n  web:\n    image: nginx:1.27.2',
  },
  checkCompose(model, context) {
    // One image reference, one fact: services that run the same reference (roles of one program) are related places.
    const byReference = new Map<string, ComposeService[]>();
    for (const service of model.services) {
      if (!service.image || !mutableTag(service.image.value)) continue;
      // A tag that is one variable's default (`…/web:${VERSION:-unstable}`) moves every image that takes it: one fact.
      const tagVariable = /:(\$\{[A-Za-z_][A-Za-z0-9_]*:?-[^}]*\})$/.exec(service.image.value.trim())?.[1];
      const key = `${service.build ? 'build' : 'pull'} ${tagVariable ?? service.image.value.trim()}`;
      const group = byReference.get(key);
      if (group) group.push(service);
      else byReference.set(key, [service]);
    }
    for (const [first, ...others] of byReference.values()) {
      const image = first.image!;
      const problem = mutableTag(image.value)!;
      const sameImage = others.every((service) => service.image!.value.trim() === image.value.trim());
      const who = others.length === 0 ? `Service "${first.name}"` : `Services "${first.name}" and ${others.length === 1 ? `"${others[0].name}"` : `${others.length} others`}`;
      // With `build:` the image is the name given to what is built here: every build moves it.
      const message = first.build
        ? `${who} ${others.length === 0 ? 'builds' : 'build'} image "${image.value}" ${problem}: every build and push moves that name, so a redeploy elsewhere can pull different code; tag what you build with a version.`
        : `${who} ${others.length === 0 ? 'uses' : 'use'} image "${image.value}"${sameImage ? '' : ' (the others, images with the same tag variable)'} ${problem}; the same file can deploy different code tomorrow.`;
      const related = others.map((service) => ({ message: service.image!.value.trim() === image.value.trim() ? `"${service.name}" runs the same image reference` : `"${service.name}" takes its tag from the same variable`, range: service.image!.range }));
      context.report({ range: image.range, message, ...(related.length > 0 ? { related } : {}) });
    }
  },
  checkKubernetes(object, context) {
    for (const container of declaredContainers(object)) {
      if (!container.image) continue;
      const problem = mutableTag(container.image.value);
      if (problem) context.report({ range: container.image.range, message: `Container "${container.name ?? '?'}" uses image "${container.image.value}" ${problem}; the same manifest can deploy different code tomorrow.` });
    }
  },
});

/**
 * What makes an image reference move: no tag (`latest`), `latest`, or a branch or channel tag
 * (`master`, `main`, `develop`, `nightly`, `edge`…). A tag chosen by a variable is judged by its
 * default (`${APP_VERSION:-latest}`); without a default it is decided elsewhere.
 */
function mutableTag(image: string): string | undefined {
  const written = parseImageReference(image);
  if (!written || written.digest) return undefined;
  const resolved = written.templated ? imageWhenUnset(image) : image;
  const reference = resolved === undefined ? undefined : parseImageReference(resolved);
  if (!reference || reference.digest || reference.templated) return undefined;
  const byDefault = written.templated ? ' (the default when its variables are unset)' : '';
  if (reference.tag === undefined) return `with no tag (which means latest)${byDefault}`;
  if (reference.tag.toLowerCase() === 'latest') return `with the mutable tag latest${byDefault}`;
  if (isMovingTag(reference.tag)) return `with the tag ${reference.tag}${byDefault}, which follows a branch or channel as latest does`;
  return undefined;
}
