import { defineRule } from '../rule';
import { effectiveFlag, flagBoolean } from '../../model/controlPlane';
import { addFlagFix, invocationsOf, setFlagFix, staticPodExample } from '../shared/controlPlane';

export const controlPlaneProfiling = defineRule({
  id: 'TCB021',
  pattern: 'TCB',
  severity: 'info',
  title: 'Control-plane component serves profiling endpoints',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['CIS Kubernetes 1.2.15, 1.3.2, 1.4.1', 'kube-bench 1.2.15, 1.3.2, 1.4.1', 'KICS Profiling Not Set To False'],
  guidance: {
    why: 'A small trusted core exposes only what it needs. `/debug/pprof` on kube-apiserver, kube-controller-manager and kube-scheduler is a troubleshooting tool: it reveals internals, and its heavy endpoints can be used to load the component; any identity granted `/debug/*` (or a component whose authorization fails open) can reach it. `--profiling` defaults to true in all three, so a manifest that leaves it out serves it.',
    fix: 'Add `--profiling=false` to the command; turn it on for a debugging session only.',
    bad: staticPodExample('kube-scheduler', ['--kubeconfig=/etc/kubernetes/scheduler.conf']),
    good: staticPodExample('kube-scheduler', ['--kubeconfig=/etc/kubernetes/scheduler.conf', '--profiling=false']),
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler')) {
      const flag = effectiveFlag(invocation, 'profiling');
      if (flag && flagBoolean(flag) === true) {
        context.report({ range: flag.range, message: `${invocation.label} sets --profiling=true: it serves /debug/pprof.`, fixes: setFlagFix('Set --profiling=false', flag, 'false') });
      } else if (!flag && invocation.absenceProven) {
        context.report({ range: invocation.subjectRange, message: `${invocation.label} has no --profiling flag, and it defaults to true: it serves /debug/pprof.`, fixes: addFlagFix('Add --profiling=false', invocation, 'profiling', 'false') });
      }
    }
  },
});
