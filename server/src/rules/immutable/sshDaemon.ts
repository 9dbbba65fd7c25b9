import { defineRule } from '../rule';
import { isMap } from '../../core/yaml';
import { rangeOf, scalarText } from '../../core/tree';
import { imageRepositoryIs } from '../../model/images';

/** Images whose job is to run an SSH server (linuxserver.io's openssh-server, atmoz/sftp, the rastasheep and panubo sshd images). */
const SSH_SERVER_IMAGES = /(?:^|\/)(?:openssh-server|sshd|docker-sshd|ubuntu-sshd|sftp)$/;
/** Git servers, whose port 22 is git over SSH — the application's own protocol, not a shell into the container. */
const GIT_SERVER_IMAGES = /(?:^|\/)(?:gitea|gitlab-(?:ce|ee)|gitlab|forgejo|gogs|gerrit|soft-serve|onedev)$/;

/** Services of git servers, whose port 22 is git over SSH. */
const GIT_SERVICE_NAME = /(?:^|-)(?:git|gitea|gitlab|forgejo|gogs|gerrit|soft-serve|onedev)(?:-|$)/;

export const sshDaemon = defineRule({
  id: 'IMM040',
  pattern: 'IMM',
  severity: 'warning',
  title: 'Container runs or exposes an SSH server',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  peers: ['kube-linter ssh-port'],
  guidance: {
    why: 'Immutable Infrastructure: no runtime modification — replace, don\'t update. An SSH server in a container (an `openssh-server`/`sshd` image, or port 22 on the container or on the Service in front of it) is the "ssh into the server to patch it" path the pattern forbids: whatever is changed through it drifts from the image and from version control, is lost on the next deploy, and the daemon is one more listening, password- or key-guarded service an attacker can try.',
    fix: 'Remove the SSH server: change the image and redeploy; for debugging use `kubectl debug` with an ephemeral container (or `docker exec`) for the duration of the incident. If the workload really is an SFTP endpoint for others, keep it in a zone of its own and say so with a suppression.',
    bad: 'services:\n  app:\n    image: lscr.io/linuxserver/openssh-server:9.7_p1-r4-ls172\n    ports:\n      - "2222:2222"',
    good: 'services:\n  app:\n    image: example/app:2.4.1\n    ports:\n      - "127.0.0.1:8080:8080"',
  },
  checkCompose(model, context) {
    for (const service of model.services) {
      if (imageRepositoryIs(service.image?.value, SSH_SERVER_IMAGES)) {
        context.report({ range: service.image!.range, message: `Service "${service.name}" runs an SSH server image (${service.image!.value}): changes made through it drift from the image and from version control.` });
        continue;
      }
      if (imageRepositoryIs(service.image?.value, GIT_SERVER_IMAGES)) continue;
      const port = service.ports.find((candidate) => candidate.target?.split('/')[0] === '22');
      if (port) context.report({ range: port.range, message: `Service "${service.name}" publishes container port 22 (SSH): a way to change the running container by hand, outside the image and version control.` });
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    if (object.kind === 'Service' && object.apiVersion === 'v1') {
      // A git server's Service on 22 carries git over SSH, the application's own protocol.
      if (GIT_SERVICE_NAME.test(object.name ?? '')) return;
      for (const port of tree.items(tree.get(tree.map(object.root, 'spec'), 'ports'))) {
        const target = scalarText(tree.get(port, 'targetPort'))?.trim();
        const number = scalarText(tree.get(port, 'port'))?.trim();
        const ssh = target === '22' || target === 'ssh' || (target === undefined && number === '22');
        const range = ssh ? rangeOf(tree.get(port, target !== undefined ? 'targetPort' : 'port')) : undefined;
        if (range) context.report({ range, message: `Service "${object.name ?? '?'}" routes to port ${target ?? number} (SSH) of its pods: a way into the running containers to change them by hand, outside the image and version control.` });
      }
      return;
    }
    for (const container of object.podSpec?.containers ?? []) {
      if (container.kind !== 'container') continue;
      const label = `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}"`;
      if (imageRepositoryIs(container.image?.value, SSH_SERVER_IMAGES)) {
        context.report({ range: container.image!.range, message: `${label} runs an SSH server image (${container.image!.value}): changes made through it drift from the image and from version control.` });
        continue;
      }
      if (imageRepositoryIs(container.image?.value, GIT_SERVER_IMAGES)) continue;
      const port = tree.items(tree.get(container.node, 'ports')).find((item) => isMap(item) && scalarText(tree.get(item, 'containerPort'))?.trim() === '22');
      const range = port && rangeOf(tree.get(port, 'containerPort'));
      if (range) context.report({ range, message: `${label} listens on port 22 (SSH): a way to change the running container by hand, outside the image and version control.` });
    }
  },
});
