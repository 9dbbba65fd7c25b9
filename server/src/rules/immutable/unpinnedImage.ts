import { defineRule } from '../rule';
import { parseImageReference } from '../../model/images';
import { declaredContainers } from '../../model/kubernetes';

export const unpinnedImage = defineRule({
  id: 'IMM001',
  pattern: 'IMM',
  severity: 'warning',
  title: 'Image tag is mutable (latest or none)',
  kinds: ['compose', 'kubernetes'],
  hasFix: false,
  peers: ['kube-linter latest-tag', 'Checkov CKV_K8S_14', 'Trivy KSV013', 'Polaris tagNotSpecified'],
  guidance: {
    why: '`latest` (or no tag, which means `latest`) points at whatever was pushed last: two deployments of the same file can run different code, and a rollback does not roll back.',
    fix: 'Pin a released version tag, and better its digest: `image: nginx:1.27.2@sha256:…`.',
    bad: 'services:\n  web:\n    image: nginx:latest',
    good: 'services:\n  web:\n    image: nginx:1.27.2',
  },
  checkCompose(model, context) {
    for (const service of model.services) {
      // With `build:` the image is the name given to what is built here, not something pulled.
      if (!service.image || (service.node && model.tree.pair(service.node, 'build') !== undefined)) continue;
      const problem = mutableTag(service.image.value);
      if (problem) context.report({ range: service.image.range, message: `Service "${service.name}" uses image "${service.image.value}" ${problem}; the same file can deploy different code tomorrow.` });
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

function mutableTag(image: string): string | undefined {
  const reference = parseImageReference(image);
  if (!reference || reference.digest || reference.templated) return undefined;
  if (reference.tag === undefined) return 'with no tag (which means latest)';
  if (reference.tag.toLowerCase() === 'latest') return 'with the mutable tag latest';
  return undefined;
}
