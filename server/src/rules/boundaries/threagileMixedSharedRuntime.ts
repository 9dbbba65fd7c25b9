import { defineRule } from '../rule';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { MISSION_CRITICAL, STRICTLY_CONFIDENTIAL, threagileOf } from '../shared/threagile';
import { quoted } from '../shared/threagileText';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Web Server:\n    id: web\n    type: process\n    technology: web-server\n  Billing:\n    id: billing\n    type: process\n    technology: erp\n    confidentiality: strictly-confidential\ntrust_boundaries:\n  DMZ:\n    id: dmz\n    type: network-cloud-security-group\n    technical_assets_inside: [web]\n  Backend:\n    id: backend\n    type: network-cloud-security-group\n    technical_assets_inside: [billing]\nshared_runtimes:\n  VM Host:\n    id: vm-host\n    technical_assets_running: [RUNNING]\n';

export const threagileMixedSharedRuntime = defineRule({
  id: 'BND112',
  pattern: 'BND',
  alsoPattern: 'TCB',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Shared runtime mixes assets of different trust boundaries',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile mixed-targets-on-shared-runtime'],
  guidance: {
    why: 'Network boundaries mean little when the assets on both sides run on one host, hypervisor or cluster: an escape from the exposed web server lands next to the backend it was supposed to be separated from.',
    fix: 'Run assets of different trust boundaries (and frontend next to backend) on separate runtimes, or move them into one boundary if they really belong together.',
    bad: MODEL.replace('RUNNING', 'web, billing'),
    good: MODEL.replace('RUNNING', 'billing'),
    threagile:
      'Follows Threagile\'s mixed-targets-on-shared-runtime: assets of different (direct) trust boundaries on one runtime, or frontend-only next to backend-only technologies. Assets outside every boundary count as one more boundary. Severity: warning when an asset on the runtime is rated strictly-confidential or mission-critical itself, info otherwise (Threagile\'s medium and low).',
  },
  /**
   * Threagile's mixed-targets-on-shared-runtime: a shared runtime running assets of different
   * (direct) trust boundaries, or frontend-only next to backend-only technologies. Warning when
   * one of them is rated strictly-confidential or mission-critical itself, info otherwise.
   */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const runtime of threagile.model.sharedRuntimes) {
      const running = runtime.assetsRunning.map((item) => index.assets.get(item.value)).filter((asset) => asset !== undefined);
      if (running.length < 2) continue;
      const boundaries = new Set(running.map((asset) => index.boundaryOf(asset.id)?.id ?? '(none)'));
      const frontend = running.filter((asset) => asset.attributes.has(ATTRIBUTE.frontendRelated));
      const backend = running.filter((asset) => asset.attributes.has(ATTRIBUTE.backendRelated));
      let why: string | undefined;
      if (boundaries.size > 1) why = `assets of ${boundaries.size} trust boundaries (${quoted([...boundaries])})`;
      else if (frontend.length > 0 && backend.length > 0) why = `frontend ${quoted(frontend.map((asset) => asset.id))} next to backend ${quoted(backend.map((asset) => asset.id))}`;
      if (!why) continue;
      const high = running.some((asset) => index.ownRating(asset, 'confidentiality') >= STRICTLY_CONFIDENTIAL || index.ownRating(asset, 'integrity') >= MISSION_CRITICAL || index.ownRating(asset, 'availability') >= MISSION_CRITICAL);
      context.report({
        tree: runtime.tree,
        range: runtime.range,
        severity: high ? undefined : 'info',
        message: `Shared runtime "${runtime.id}" runs ${why}: an escape from the less valuable one lands next to the more valuable, whatever boundary the model draws between them.`,
        threagileRiskId: `mixed-targets-on-shared-runtime@${runtime.id}`,
      });
    }
  },
});
