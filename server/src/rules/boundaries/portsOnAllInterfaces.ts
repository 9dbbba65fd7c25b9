import { defineRule } from '../rule';
import { fix } from '../../core/edits';
import { bindToLoopback, exposesDatastore, portRange } from '../shared/exposure';
import { interfaceChoice, publishedOnAllInterfaces } from '../../model/compose';
import { valueWhenUnset } from '../../model/interpolation';
import { portNumber } from '../../model/common';

export const portsOnAllInterfaces = defineRule({
  id: 'BND001',
  pattern: 'BND',
  severity: 'warning',
  title: 'Port published on all interfaces',
  kinds: ['compose'],
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS 451d79dc Container Traffic Not Bound To Host Interface', 'KICS bc2908f3 Privileged Ports Mapped In Container'],
  guidance: {
    why: '`"8080:80"` publishes on 0.0.0.0: every network the host is attached to can reach the service, and Docker\'s iptables rules bypass host firewalls such as ufw. The boundary you meant (this machine, or the reverse proxy in front) is not the one you drew. Host ports 80 and 443 are the conventional public entry of a gateway and are not reported; datastore ports are reported by BND002 instead. Another host port below 1024 (22, 25, 53…) is named as privileged in the finding: it takes the place of a system service of the host, and clients that trust the port number reach the container instead.',
    fix: 'Bind to the interface that should reach the service: `"127.0.0.1:8080:80"` for local use, the internal interface\'s IP for a proxy on another host. Services reached only by other containers need no `ports:` at all (use `expose:`).',
    bad: 'services:\n  admin:\n    image: example/admin:3.2.0\n    ports:\n      - "8080:80"',
    good: 'services:\n  admin:\n    image: example/admin:3.2.0\n    ports:\n      - "127.0.0.1:8080:80"',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      for (const port of service.ports) {
        if (!publishedOnAllInterfaces(port) || exposesDatastore(service, port) || isWebEntryPoint(port.published)) continue;
        const published = port.published === undefined ? undefined : valueWhenUnset(port.published) || port.published;
        const number = portNumber(published);
        const privileged = number !== undefined && number > 0 && number < 1024 ? ` Host port ${number} is privileged: the container takes it from a system service of the host.` : '';
        const where = published ? `host port ${published}` : 'a random host port';
        context.report({
          range: portRange(tree, port),
          message: `Service "${service.name}" publishes ${where} → ${port.target === undefined ? '?' : valueWhenUnset(port.target) || port.target} on all interfaces${port.hostIp && !interfaceChoice(port) ? ` (${port.hostIp})` : ''}${interfaceChoice(port)}: any network that reaches the host reaches it, past host firewalls.${privileged}`,
          fixes: fix('Bind to 127.0.0.1', [bindToLoopback(tree, port)], false),
        });
      }
    }
  },
});

/** Host ports 80/443: where a reverse proxy or gateway is meant to face every network. */
function isWebEntryPoint(published: string | undefined): boolean {
  const port = portNumber(published === undefined ? undefined : valueWhenUnset(published));
  return port === 80 || port === 443;
}
