import { defineRule } from '../rule';
import { imageWhenUnset, isMovingTag, parseImageReference } from '../../model/images';
import { declaredContainers } from '../../model/kubernetes';

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
    for (const service of model.services) {
      if (!service.image) continue;
      const problem = mutableTag(service.image.value);
      if (!problem) continue;
      // With `build:` the image is the name given to what is built here: every build moves it.
      const message = service.build
        ? `Service "${service.name}" builds image "${service.image.value}" ${problem}: every build and push moves that name, so a redeploy elsewhere can pull different code; tag what you build with a version.`
        : `Service "${service.name}" uses image "${service.image.value}" ${problem}; the same file can deploy different code tomorrow.`;
      context.report({ range: service.image.range, message });
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
