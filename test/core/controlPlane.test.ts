import { strict as assert } from 'node:assert';
import { parseSegment } from '../../server/src/core/parse';
import { buildKubernetesObjects } from '../../server/src/model/kubernetes';
import { controlPlaneInvocations, effectiveFlag, flagBoolean, isControlPlaneStaticPod, listFlag } from '../../server/src/model/controlPlane';
import { analyzeFiles } from '../../server/src/analysis/engine';
import { FIXTURE_OPTIONS } from '../fixtureSupport';

function staticPod(command: string[], args: string[] = [], namespace = 'kube-system', image = 'registry.k8s.io/kube-apiserver:v1.29.4'): string {
  const list = (items: string[]) => items.map((item) => `        - ${item}`).join('\n');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: ${namespace}\nspec:\n  containers:\n    - name: kube-apiserver\n      image: ${image}\n      command:\n${list(command)}\n${args.length > 0 ? `      args:\n${list(args)}\n` : ''}`;
}

function invocation(text: string) {
  const tree = parseSegment({ start: 0, text }).trees[0];
  const [object] = buildKubernetesObjects(tree);
  return { object, invocations: controlPlaneInvocations(object) };
}

describe('control-plane flags', () => {
  it('reads --flag=value, --flag value and bare booleans, from command and args, the last occurrence winning', () => {
    const { invocations } = invocation(staticPod(['kube-apiserver', '--anonymous-auth=true', '--authorization-mode', 'Node,RBAC', '--profiling'], ['--anonymous-auth=false']));
    const [apiserver] = invocations;
    assert.equal(apiserver.component, 'kube-apiserver');
    assert.equal(effectiveFlag(apiserver, 'authorization-mode')?.value, 'Node,RBAC');
    assert.equal(flagBoolean(effectiveFlag(apiserver, 'profiling')), true);
    assert.equal(flagBoolean(effectiveFlag(apiserver, 'anonymous-auth')), false);
    assert.deepEqual(apiserver.version, { major: 1, minor: 29 });
    assert.equal(apiserver.absenceProven, true);
  });

  it('adds up repeated list flags and splits comma lists', () => {
    const [apiserver] = invocation(staticPod(['kube-apiserver', '--enable-admission-plugins=PodSecurity', '--enable-admission-plugins=NodeRestriction,AlwaysPullImages'])).invocations;
    assert.deepEqual(listFlag(apiserver, 'enable-admission-plugins').flatMap((entry) => entry.values), ['PodSecurity', 'NodeRestriction', 'AlwaysPullImages']);
  });

  it('recognises hyperkube sub-commands and absolute binary paths', () => {
    assert.equal(invocation(staticPod(['/hyperkube', 'apiserver', '--secure-port=6443'])).invocations[0]?.component, 'kube-apiserver');
    assert.equal(invocation(staticPod(['/usr/local/bin/etcd', '--name=m1'])).invocations[0]?.component, 'etcd');
    assert.deepEqual(invocation(staticPod(['/bin/sh', '-c', 'kube-apiserver --anonymous-auth=true'])).invocations, []);
  });

  it('does not count a missing flag as its default when an interpolation may add flags, or outside kube-system', () => {
    assert.equal(invocation(staticPod(['kube-apiserver', '--kubelet-preferred-address-types=InternalIP${aggregation_flags}'])).invocations[0].absenceProven, false);
    assert.equal(invocation(staticPod(['kube-apiserver', '--etcd-servers=${etcd_servers}'])).invocations[0].absenceProven, true);
    assert.equal(invocation(staticPod(['kube-apiserver', '--etcd-servers=${etcd_servers}'])).invocations[0].flags[0].value, undefined);
    assert.equal(invocation(staticPod(['kube-apiserver'], [], 'platform')).invocations[0].absenceProven, false);
  });

  it('knows a control-plane static pod, which gets no ServiceAccount token', () => {
    assert.equal(isControlPlaneStaticPod(invocation(staticPod(['kube-apiserver'])).object), true);
    assert.equal(isControlPlaneStaticPod(invocation(staticPod(['example-server'])).object), false);
  });

  it('a kubeadm-style manifest without --authorization-mode fails open, and the quick fix appends the flag after the last one', () => {
    const text = staticPod(['kube-apiserver', '--anonymous-auth=false', '--secure-port=6443']);
    const [result] = analyzeFiles([{ file: 'kube-apiserver.yaml', text }], FIXTURE_OPTIONS);
    const finding = result.findings.find((f) => f.ruleId === 'ZT021');
    assert.ok(finding, 'ZT021 reported');
    assert.equal(finding.severity, 'error');
    const edit = finding.fixes![0].edits[0];
    const fixed = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
    assert.match(fixed, /- --secure-port=6443\n {8}- --authorization-mode=Node,RBAC\n/);
  });
});
