import { defineRule } from '../rule';
import { kubernetesHostMounts } from '../../model/hostMounts';

/** Host directories where application code is checked out or unpacked. */
const CODE_HOST_PATHS = /^\/(?:app|apps|src|code|workspace|workspaces|project|projects|var\/www|opt\/app|opt\/apps|usr\/src\/app|home\/[^/]+\/(?:app|apps|src|code|project|projects|git|repos?|workspace)|root\/(?:app|src|code))(?:\/|$)/;
/** Container paths where images keep application code. */
const CODE_CONTAINER_PATHS = /^\/(?:app|src|code|srv\/app|workspace|var\/www(?:\/html)?|usr\/src\/app|opt\/app|home\/node\/app|usr\/share\/nginx\/html)(?:\/|$)/;

export const hostPathApplicationCode = defineRule({
  id: 'IMM043',
  pattern: 'IMM',
  severity: 'warning',
  title: 'Application code mounted from the node (hostPath)',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Immutable Infrastructure: artifacts are versioned, pinned and signed; deployments replace instances. A `hostPath` volume over the application\'s code directory runs whatever files sit on that node — edited in place with `git pull` or `scp`, different from node to node, and in no image a digest pins: the "ssh into the server, pull, restart" deployment the pattern forbids, and a rollback cannot bring back what was overwritten.',
    fix: 'Build the code into the image (`COPY` in the Dockerfile), tag it with a version, and deploy by changing the image reference; keep hostPath for node agents that need the node itself.',
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: php:8.3.10-apache\n          volumeMounts:\n            - name: code\n              mountPath: /var/www/html\n      volumes:\n        - name: code\n          hostPath:\n            path: /srv/shop\n            type: Directory',
    good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: example/shop-web:3.2.0',
  },
  checkKubernetes(object, context) {
    for (const mount of kubernetesHostMounts(object)) {
      if (mount.via !== 'mount' || !mount.absolutePath) continue;
      const intoCode = mount.containerPaths.find((path) => CODE_CONTAINER_PATHS.test(path));
      if (!CODE_HOST_PATHS.test(mount.absolutePath) && !intoCode) continue;
      context.report({
        range: mount.range,
        message: `${mount.label} mounts ${mount.hostPath} from the node${intoCode ? ` at ${intoCode}` : ''}: the code it runs is whatever sits on that node, edited in place and in no versioned image.`,
      });
    }
  },
});
