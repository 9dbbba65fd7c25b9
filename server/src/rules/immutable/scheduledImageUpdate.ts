import { defineRule } from '../rule';
import { findInScalars, kubernetesSites } from '../shared/workloads';
import { isMovingTag, parseImageReference } from '../../model/images';

/** `kubectl set image KIND/NAME CONTAINER=IMAGE…`: the image references it sets. */
const SET_IMAGE = /\bkubectl\b[^\n;&|]*?\bset\s+image\b([^\n;&|]*)/;

export const scheduledImageUpdate = defineRule({
  id: 'IMM044',
  pattern: 'IMM',
  severity: 'warning',
  title: 'CronJob patches running workloads to a mutable image tag',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Immutable Infrastructure: configuration lives in version control, deployments replace instances with a versioned artifact, rollback = redeploy. A CronJob that runs `kubectl set image … app=repo:latest` changes live workloads on a schedule to whatever that tag points at that night: the cluster drifts from the manifests in git, two runs deploy different code under one name, and there is no version to roll back to.',
    fix: 'Deploy new versions by changing the pinned image (tag plus digest) in the manifest in git and letting the pipeline or a GitOps controller apply it; if images must follow a registry, use an image-update controller that writes the new digest back to git.',
    bad: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly-deploy\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: deploy\n              image: bitnami/kubectl:1.30.3\n              command: ["kubectl", "set", "image", "deployment/shop", "shop=example/shop:latest"]',
    good: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly-report\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: report\n              image: example/report:2.1.0\n              command: ["report", "--since", "24h"]',
  },
  checkKubernetes(object, context) {
    if (object.kind !== 'CronJob') return;
    for (const site of kubernetesSites(object)) {
      const line = site.commandScalars.map((scalar) => String(scalar.value ?? '')).join(' ');
      // A command line longer than any script people inline is not read (bounded time on hostile input).
      if (line.length > 20_000) continue;
      const match = SET_IMAGE.exec(line);
      if (!match) continue;
      const images = match[1].split(/\s+/).filter((word) => /^[\w.-]+=\S+$/.test(word)).map((word) => word.slice(word.indexOf('=') + 1));
      const mutable = images.filter((image) => {
        const reference = parseImageReference(image);
        return reference !== undefined && !reference.templated && !reference.digest && (reference.tag === undefined || isMovingTag(reference.tag));
      });
      if (mutable.length === 0) continue;
      const found = findInScalars(site.tree, site.commandScalars, /\bset\b/)[0];
      context.report({
        range: found?.range ?? site.subjectRange,
        message: `${site.label} of CronJob "${object.name ?? '?'}" runs kubectl set image with ${mutable.join(', ')} on a schedule: live workloads are patched in place to whatever that tag points at, and drift from the manifests in version control.`,
      });
    }
  },
});
