import { defineRule } from '../rule';
import { scalarText, valueTextRange } from '../../core/tree';

export const joinedContainerNamespace = defineRule({
  id: 'BND021',
  pattern: 'BND',
  alsoPattern: 'TCB',
  severity: 'info',
  title: "Service joins another container's network or IPC namespace",
  kinds: ['compose'],
  composeScope: 'service',
  hasFix: false,
  peers: ['KICS baa3890f Shared Host IPC Namespace (host only)', 'Docker docs: --network container:, --ipc shareable'],
  guidance: {
    why: 'A boundary between two services exists only if they do not share a namespace. `network_mode: service:<name>` (or `container:<id>`) gives the service the other\'s network namespace: one IP address, one loopback, so each reaches what the other binds to localhost (admin ports, debug endpoints), and the other\'s network boundary becomes its own. `ipc: service:<name>` / `container:<id>` shares shared memory, semaphores and message queues; `ipc: shareable` lets other containers join. Sidecars that need this (a VPN client, a proxy) are a deliberate choice: this is hardening (info), to be kept to those. Sharing the host\'s namespaces is TCB004 and TCB006.',
    fix: 'Give each service its own namespace (the default) and let them talk over a compose network with authentication; keep `network_mode: service:` to a sidecar whose only job is the other\'s traffic, and `ipc: shareable` to services that must share memory.',
    bad: 'services:\n  vpn:\n    image: example/vpn:1.0.0\n  downloader:\n    image: example/downloader:1.0.0\n    network_mode: service:vpn',
    good: 'services:\n  vpn:\n    image: example/vpn:1.0.0\n    networks: [egress]\n  downloader:\n    image: example/downloader:1.0.0\n    networks: [egress]\nnetworks:\n  egress: {}',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      if (!service.node) continue;
      for (const key of ['network_mode', 'ipc'] as const) {
        const node = tree.get(service.node, key);
        const value = scalarText(node)?.trim();
        const range = valueTextRange(tree.text, node);
        if (value === undefined || !range) continue;
        const joined = /^(service|container):(.+)$/.exec(value);
        const what = key === 'network_mode' ? 'network namespace: one IP address and one loopback, so each reaches what the other binds to localhost' : 'IPC namespace: each can read and tamper with the shared memory, semaphores and message queues of the other';
        if (joined) {
          context.report({ range, message: `Service "${service.name}" joins the ${joined[1] === 'service' ? 'service' : 'container'} "${joined[2]}"'s ${what} (${key}: ${value}).` });
        } else if (key === 'ipc' && value === 'shareable') {
          context.report({ range, message: `Service "${service.name}" makes its IPC namespace joinable by other containers (ipc: shareable): they can then read and tamper with its shared memory, semaphores and message queues.` });
        }
      }
    }
  },
});
