import { fix, replaceNode, setNestedValue } from '../../core/edits';
import { columnOf } from '../../core/positions';
import type { TextEdit } from '../../core/types';
import type { Fix } from '../../core/types';
import { isScalar } from '../../core/yaml';
import { rangeOf } from '../../core/tree';
import { controlPlaneInvocations, kubeletConfiguration, type CommandFlag, type ControlPlaneComponent, type ControlPlaneInvocation, type KubeletConfiguration } from '../../model/controlPlane';
import type { KubernetesObject } from '../../model/kubernetes';

/** The invocations of the given components in a workload (an empty list for anything else). */
export function invocationsOf(object: KubernetesObject, ...components: ControlPlaneComponent[]): ControlPlaneInvocation[] {
  return controlPlaneInvocations(object).filter((invocation) => components.includes(invocation.component));
}

/** A quick fix that sets a written flag to `value`, keeping its form (`--flag=value` or `--flag value`). */
export function setFlagFix(title: string, flag: CommandFlag, value: string): Fix[] {
  return fix(title, [flag.valueItem ? replaceNode(flag.valueItem, value) : replaceNode(flag.item, `--${flag.name}=${value}`)]);
}

/** A quick fix that appends `--name=value` to the component's command (or args) list. */
export function addFlagFix(title: string, invocation: ControlPlaneInvocation, name: string, value: string): Fix[] {
  return fix(title, [appendItem(invocation, `--${name}=${value}`)]);
}

/** A new last item of the command list (the binary stays first), on its own line after the last item's line. */
function appendItem(invocation: ControlPlaneInvocation, itemText: string): TextEdit | undefined {
  const list = invocation.list;
  const text = invocation.object.tree.text;
  const last = list.items[list.items.length - 1];
  const range = rangeOf(last);
  if (!range || list.flow) return undefined;
  // The item itself may start with dashes (`--flag`): its sequence dash is before it.
  const dash = text.lastIndexOf('-', range.start - 1);
  const newline = text.indexOf('\n', range.end);
  const line = `${' '.repeat(columnOf(text, dash))}- ${itemText}`;
  return newline === -1 ? { start: text.length, end: text.length, newText: `\n${line}` } : { start: newline + 1, end: newline + 1, newText: `${line}\n` };
}

/** A quick fix that sets a KubeletConfiguration field (replacing its value, or adding the keys). */
export function setKubeletFix(title: string, config: KubeletConfiguration, path: readonly string[], value: string): Fix[] {
  return fix(title, [setNestedValue(config.object.tree, config.root, [...path], value)]);
}

/** The KubeletConfiguration the object is, if it is one. */
export { kubeletConfiguration };

/** Where a finding about a KubeletConfiguration field points: the field's value, else the `kind` value. */
export function kubeletRange(config: KubeletConfiguration, node: unknown) {
  return (isScalar(node) ? rangeOf(node) : undefined) ?? config.object.subjectRange;
}

/** `KubeletConfiguration` label for messages. */
export function kubeletLabel(config: KubeletConfiguration): string {
  return config.object.name ? `KubeletConfiguration "${config.object.name}"` : 'This KubeletConfiguration';
}

/**
 * TLS cipher suites Go's crypto/tls lists as insecure (`tls.InsecureCipherSuites()`: RC4, 3DES,
 * CBC with SHA-256) plus the CBC-SHA1 and static-RSA key exchange suites the CIS benchmark excludes.
 */
export function weakCipherSuite(name: string): boolean {
  const suite = name.trim().toUpperCase();
  return /_RC4_|_3DES_|_CBC_SHA256$|_CBC_SHA$/.test(suite) || /^TLS_RSA_WITH_/.test(suite);
}

/** TLS versions below 1.2, as the components spell them (`VersionTLS10`, `VersionTLS11`). */
export function weakTlsVersion(value: string): boolean {
  return /^VersionTLS1[01]$/i.test(value.trim());
}

const EXAMPLE_IMAGES: Readonly<Record<ControlPlaneComponent, string>> = {
  'kube-apiserver': 'registry.k8s.io/kube-apiserver:v1.30.2',
  'kube-controller-manager': 'registry.k8s.io/kube-controller-manager:v1.30.2',
  'kube-scheduler': 'registry.k8s.io/kube-scheduler:v1.30.2',
  etcd: 'registry.k8s.io/etcd:3.5.12-0',
};

/** A guidance example: the static pod kubeadm writes for `component`, cut down to the given flags. */
export function staticPodExample(component: ControlPlaneComponent, flags: readonly string[]): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${component}`,
    '  namespace: kube-system',
    'spec:',
    '  hostNetwork: true',
    '  containers:',
    `    - name: ${component}`,
    `      image: ${EXAMPLE_IMAGES[component]}`,
    '      command:',
    `        - ${component}`,
    ...flags.map((flag) => `        - ${flag}`),
  ].join('\n');
}

/** A loopback address as flags write it (`127.0.0.1`, `localhost`, `::1`, `[::1]`): reachable only from the node. */
export function isLoopbackHost(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i.test(host.trim());
}
