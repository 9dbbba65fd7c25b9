import { defineRule } from '../rule';
import type { OffsetRange } from '../../core/types';
import type { ThreagileLink } from '../../model/threagile';
import { threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Orders:\n    id: orders\n    confidentiality: confidential\ntechnical_assets:\n  Shop:\n    id: shop\n    type: process\n    communication_links:\n      Save Orders:\n        target: db\n        protocol: jdbc-encrypted\n        authentication: credentials\n        authorization: technical-user\n        readonly: READONLY\n        data_assets_sent: [orders]\n  DB:\n    id: db\n    type: datastore\n    technology: database\n';

export const threagileWrongLinkContent = defineRule({
  id: 'BND115',
  pattern: 'BND',
  alsoPattern: 'FF',
  severity: 'info',
  title: 'Communication link contradicts itself or its target',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile wrong-communication-link-content'],
  guidance: {
    why: 'Every check of a crossing reads what the link says it carries: a "read-only" link that only sends data, or a local file access to a remote server, makes those checks judge a different system than the one that runs.',
    fix: 'Make the link say what happens: `readonly: true` only where data is received and none sent; `local-file-access` only to a `local-file-system`, `in-process-library-call` only to a `library`, `inter-process-communication` only to a process, `container-spawning` only to a container.',
    bad: MODEL.replace('READONLY', 'true'),
    good: MODEL.replace('READONLY', 'false'),
    threagile:
      'Follows Threagile\'s wrong-communication-link-content: the readonly flag against the data sent and received, and process-local protocols against the target\'s technology or machine.',
  },
  /** Threagile's wrong-communication-link-content: the readonly flag against the data sent and received, and process-local protocols against the target's technology or machine. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const link of index.allLinks()) {
      const problems: Array<{ range: OffsetRange; text: string }> = [];
      const sent = link.dataAssetsSent.length;
      const received = link.dataAssetsReceived.length;
      if (link.readonly?.value === true && received === 0 && sent > 0) problems.push({ range: link.readonly.range, text: 'is marked read-only but only sends data' });
      if (link.readonly?.value !== true && sent === 0 && received > 0) problems.push({ range: link.range, text: 'only receives data but is not marked `readonly: true`' });
      const target = index.target(link);
      const protocol = link.protocol;
      if (target && protocol) {
        const expect = (ok: boolean, what: string) => {
          if (!ok) problems.push({ range: protocol.range, text: `uses ${protocol.value}, but its target "${target.id}" is not ${what}` });
        };
        if (protocol.value === 'inter-process-communication') expect(target.type?.value === 'process', 'a process');
        if (protocol.value === 'in-process-library-call') expect(target.attributes.has('library'), 'a library');
        if (protocol.value === 'local-file-access') expect(target.attributes.has('local-file-system'), 'a local file system');
        if (protocol.value === 'container-spawning') expect(target.machine?.value === 'container', 'a container');
      }
      for (const problem of problems) report(link, problem.range, problem.text);
    }

    function report(link: ThreagileLink, range: OffsetRange, text: string) {
      context.report({
        tree: link.tree,
        range,
        message: `Link "${link.title}" of "${link.sourceId}" ${text}: checks of this crossing judge something other than what runs.`,
        threagileRiskId: `wrong-communication-link-content@${link.sourceId}@${link.id}`,
      });
    }
  },
});
