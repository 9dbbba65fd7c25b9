import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { defaultOptions } from '../../server/src/core/options';
import { ALL_RULES, KNOWN_RULE_IDS } from '../../server/src/rules';
import { WorkspaceAnalysis } from '../../server/src/analysis/workspaceAnalysis';
import { DEFAULT_EDITOR_SETTINGS, validateEditorSettings } from '../../server/src/lsp/settings';
import { trustBoundaryView } from '../../server/src/views/trustBoundaries';

const PRIVILEGED = 'services:\n  agent:\n    image: example/agent:1.4.2\n    privileged: true\n';

/** The workspace model with an editor's buffers beside it: the buffers own the open texts, as the LSP document manager does. */
function workspace(options = defaultOptions({ today: '2026-01-01' })) {
  const buffers = new Map<string, string>();
  const model = new WorkspaceAnalysis(ALL_RULES, KNOWN_RULE_IDS, options, { text: (file) => buffers.get(file) });
  return Object.assign(model, {
    type(file: string, text: string) {
      buffers.set(file, text);
      model.openDocumentChanged(file);
    },
    closeBuffer(file: string) {
      buffers.delete(file);
      model.openDocumentClosed(file);
    },
  });
}

describe('workspace model (pure): texts, findings, settings, trust boundaries', () => {
  describe('open buffers and disk texts', () => {
    it('an open buffer wins over the disk text, and closing it falls back to the disk', () => {
      const model = workspace();
      model.setDiskText('file:///w/compose.yaml', PRIVILEGED);
      assert.equal(model.findings('file:///w/compose.yaml').filter((f) => f.ruleId === 'TCB001').length, 1);
      model.type('file:///w/compose.yaml', PRIVILEGED.replace('true', 'false'));
      model.setDiskText('file:///w/compose.yaml', PRIVILEGED.replace('agent', 'other'));
      assert.deepEqual(model.findings('file:///w/compose.yaml').filter((f) => f.ruleId === 'TCB001'), []);
      model.closeBuffer('file:///w/compose.yaml');
      assert.match(model.findings('file:///w/compose.yaml').find((f) => f.ruleId === 'TCB001')!.message, /Service "other"/);
    });

    it('the text of an open document has one owner: the model reads the buffer it is told changed', () => {
      const buffers = new Map<string, string>();
      const model = new WorkspaceAnalysis(ALL_RULES, KNOWN_RULE_IDS, defaultOptions({ today: '2026-01-01' }), { text: (file) => buffers.get(file) });
      buffers.set('file:///w/c.yaml', PRIVILEGED);
      model.openDocumentChanged('file:///w/c.yaml');
      assert.equal(model.analysis('file:///w/c.yaml')!.text, PRIVILEGED);
      const edited = PRIVILEGED.replace('true', 'false');
      buffers.set('file:///w/c.yaml', edited);
      model.openDocumentChanged('file:///w/c.yaml');
      assert.equal(model.analysis('file:///w/c.yaml')!.text, edited, 'the edit is read from the owner, not handed over');
      buffers.delete('file:///w/c.yaml');
      model.openDocumentClosed('file:///w/c.yaml');
      assert.equal(model.activeText('file:///w/c.yaml'), undefined, 'no copy of the closed buffer stays behind');
    });

    it('a file only open in an editor leaves when it closes; a deleted file that is open stays', () => {
      const model = workspace();
      model.type('untitled:one', PRIVILEGED);
      model.closeBuffer('untitled:one');
      assert.equal(model.has('untitled:one'), false);
      model.setDiskText('file:///w/a.yaml', PRIVILEGED);
      model.type('file:///w/a.yaml', PRIVILEGED);
      model.removeDiskText('file:///w/a.yaml');
      assert.equal(model.has('file:///w/a.yaml'), true);
      model.closeBuffer('file:///w/a.yaml');
      assert.deepEqual(model.fileIds(), []);
    });
  });

  it('cross-file changes found while answering a lookup are still reported to the publisher', () => {
    const model = workspace();
    const main = 'threagile_version: 1.0.0\nincludes: [assets.yaml]\n';
    const assets = 'technical_assets:\n  Shop:\n    id: shop\n    type: process\n    communication_links:\n      DB:\n        target: db\n        protocol: jdbc\n        authentication: credentials\n        authorization: technical-user\n  DB:\n    id: db\n    type: datastore\n';
    model.setDiskText('file:///w/main.yaml', main);
    model.setDiskText('file:///w/assets.yaml', assets);
    assert.equal(model.findings('file:///w/assets.yaml').filter((f) => f.ruleId === 'ZT109').length, 1);
    model.refreshWorkspaceFindings();
    model.type('file:///w/main.yaml', `${main}risk_tracking:\n  unencrypted-communication@*@*@*:\n    status: mitigated\n    justification: loopback only\n`);
    // The publisher first asks for the edited file's findings, which recomputes the cross-file ones…
    model.findings('file:///w/main.yaml');
    // …and must still learn which other files changed.
    assert.deepEqual([...model.refreshWorkspaceFindings()], ['file:///w/assets.yaml']);
    assert.deepEqual(model.findings('file:///w/assets.yaml').filter((f) => f.ruleId === 'ZT109'), []);
  });

  it('after random edits, the cached incremental analysis equals a fresh one', () => {
    const base = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      containers:\n        - name: one\n          image: x/one:latest\n          securityContext: {privileged: true}\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n    - name: two\n      image: x/two\n      securityContext:\n        privileged: true\n',
      'services:\n  web:\n    image: nginx\n    privileged: true\n',
    ].join('---\n');
    const pieces = ['---\n', '\n', '  ', 'privileged: true\n', '{', '- ', 'image: y/z:latest\n', '# c\n', ': ', 'x'];
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 12 }), insert: fc.constantFrom(...pieces) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const live = workspace();
        let text = base;
        live.type('file:///w/live.yaml', text);
        live.findings('file:///w/live.yaml');
        for (const { at, remove, insert } of edits) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + insert + text.slice(Math.min(text.length, start + remove));
          live.type('file:///w/live.yaml', text);
          const incremental = live.analysis('file:///w/live.yaml')!.documentFindings;
          const fresh = workspace();
          fresh.type('file:///w/live.yaml', text);
          const expected = fresh.analysis('file:///w/live.yaml')!.documentFindings;
          assert.deepEqual(incremental.map(({ ruleId, range, message }) => ({ ruleId, range, message })), expected.map(({ ruleId, range, message }) => ({ ruleId, range, message })));
        }
      }),
      { numRuns: 60 },
    );
  });

  describe('half-typed documents', () => {
    const text = 'services:\n  web:\n    image: example/web:1.0.0\n    environment:\n      MODE: prod\n    privileged: true\n';

    it('an unclosed quote keeps the findings after it, moved by the edit, with the syntax error', () => {
      const model = workspace();
      model.type('file:///w/c.yaml', text);
      const clean = model.findings('file:///w/c.yaml').filter((f) => f.pattern);
      const typing = text.replace('MODE: prod', 'MODE: "pro');
      model.type('file:///w/c.yaml', typing);
      const during = model.findings('file:///w/c.yaml');
      assert.ok(during.some((f) => f.ruleId === 'SBD001'));
      const privileged = during.find((f) => f.ruleId === 'TCB001')!;
      assert.ok(privileged, 'TCB001 still shown');
      assert.equal(typing.slice(privileged.range.start, privileged.range.end), 'true');
      assert.equal(privileged.fixes, undefined, 'no fixes computed from a tree that is gone');
      assert.deepEqual(during.filter((f) => f.pattern).map((f) => f.ruleId).sort(), clean.map((f) => f.ruleId).sort(), 'the same set, no flashing');
      // Finishing the quote brings back fresh findings with their fixes.
      model.type('file:///w/c.yaml', typing.replace('"pro', '"prod"'));
      const done = model.findings('file:///w/c.yaml');
      assert.ok(!done.some((f) => f.ruleId === 'SBD001'));
      assert.ok(done.find((f) => f.ruleId === 'TCB001')!.fixes!.length > 0);
    });

    it('a finding inside the edited text is not carried over', () => {
      const model = workspace();
      model.type('file:///w/c.yaml', text);
      const broken = text.replace('    privileged: true\n', '    privileged: "tr\n');
      model.type('file:///w/c.yaml', broken);
      assert.deepEqual(model.findings('file:///w/c.yaml').filter((f) => f.ruleId === 'TCB001'), []);
    });
  });

  describe('client settings validation', () => {
    it('null or missing settings are the defaults', () => {
      assert.deepEqual(validateEditorSettings(null), { ok: true, settings: DEFAULT_EDITOR_SETTINGS });
      assert.deepEqual(validateEditorSettings({}), { ok: true, settings: DEFAULT_EDITOR_SETTINGS });
    });

    it('every wrong value is named with what was expected and what came', () => {
      const result = validateEditorSettings({ enable: 'yes', rules: { TCB001: 'loud', NOPE9: 'off' }, thresholds: { secretHolders: 0, colour: 3 }, zones: { namespaces: { prod: 'very' } }, ignore: [''], maxFileBytes: 12, debounceMs: -1 });
      assert.equal(result.ok, false);
      const problems = (result as { problems: string[] }).problems;
      for (const expected of [
        'secureByDesign.enable must be true or false, got "yes"',
        'secureByDesign.rules.TCB001 must be one of off, on, error, warning, info, got "loud"',
        'secureByDesign.rules: unknown rule "NOPE9" (run `sbd rules` for the list)',
        'secureByDesign.thresholds.secretHolders must be a whole number of holders from 1 to 1000, got 0',
        'secureByDesign.thresholds: unknown threshold "colour"; expected one of datastoreReach, secretHolders, tcbSize',
        'secureByDesign.zones.namespaces.prod must be one of untrusted, semi-trusted, trusted, highly-trusted, got "very"',
        'secureByDesign.ignore entries must be non-empty strings of at most 512 characters and 16 wildcards, got ""',
      ]) {
        assert.ok(problems.includes(expected), `missing: ${expected}\nin: ${problems.join('\n')}`);
      }
      assert.ok(problems.includes('secureByDesign.maxFileBytes must be a whole number of bytes from 1024 to 104857600, got 12'), problems.join('\n'));
      assert.ok(problems.includes('secureByDesign.debounceMs must be a number of milliseconds from 0 to 10000, got -1'), problems.join('\n'));
    });

    it('valid settings pass through, rule ids case-insensitively', () => {
      const result = validateEditorSettings({ rules: { tcb001: 'warning' }, thresholds: { secretHolders: 5 }, debounceMs: 0, trace: { server: 'off' } });
      assert.ok(result.ok);
      assert.deepEqual(result.ok && result.settings.overlay.rules, { TCB001: { enabled: true, severity: 'warning' } });
      assert.deepEqual(result.ok && result.settings.overlay.thresholds, { secretHolders: 5 });
      assert.equal(result.ok && result.settings.debounceMs, 0);
    });
  });

  describe('trust boundaries from compose and Kubernetes', () => {
    function documents(files: Record<string, string>) {
      const model = workspace();
      for (const [file, text] of Object.entries(files)) model.setDiskText(file, text);
      return model.fileIds().flatMap((file) => model.analysis(file)!.documents);
    }

    it('a compose override file adds to its base: one component, zones joined', () => {
      const result = trustBoundaryView(
        documents({
          'file:///p/compose.yaml': 'services:\n  api:\n    image: x/api:1.0.0\n    networks: [front]\n',
          'file:///p/compose.override.yaml': 'services:\n  api:\n    networks: [back]\n',
        }),
        defaultOptions(),
      );
      const api = result.zones.flatMap((zone) => zone.components).filter((c) => c.label === 'api');
      assert.equal(new Set(api.map((c) => c.id)).size, 1);
      assert.deepEqual(result.zones.map((z) => z.label).sort(), ['back', 'front']);
      assert.equal(api[0].place.file, 'file:///p/compose.yaml');
    });

    it('zones are ordered by the configured trust; secrets over the holder budget are flagged', () => {
      const holder = (name: string) => `  ${name}:\n    image: x/${name}:1.0.0\n    networks: [${name === 'db' ? 'data' : 'edge'}]\n    secrets: [key]\n`;
      const text = `services:\n${['a', 'b', 'c', 'db'].map(holder).join('')}`;
      const options = defaultOptions({ networkZones: { data: 'highly-trusted', edge: 'untrusted' } });
      const result = trustBoundaryView(documents({ 'file:///p/compose.yaml': text }), options);
      assert.deepEqual(result.zones.map((z) => [z.label, z.trust]), [['edge', 'untrusted'], ['data', 'highly-trusted']]);
      assert.deepEqual(result.secrets.map((s) => [s.secret, s.holders.length, s.overBudget]), [['secret "key"', 4, true]]);
    });

    it('NetworkPolicy ingress from another namespace is a flow that crosses the boundary', () => {
      const workload = (name: string, namespace: string, app: string) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  template:\n    metadata:\n      labels: {app: ${app}}\n    spec:\n      containers:\n        - name: c\n          image: x/${name}:1.0.0\n`;
      const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db-from-web\n  namespace: data\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress:\n    - from:\n        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}\n          podSelector: {matchLabels: {app: web}}\n';
      const result = trustBoundaryView(
        documents({ 'file:///k/all.yaml': [workload('web', 'shop', 'web'), workload('other', 'shop', 'other'), workload('db', 'data', 'db'), policy].join('---\n') }),
        defaultOptions(),
      );
      const flows = result.zones.flatMap((z) => z.components).flatMap((c) => c.outbound);
      assert.deepEqual(
        flows.map((f) => [f.from, f.to, f.label, f.crossesBoundary]),
        [['k8s:shop/Deployment/web', 'k8s:data/Deployment/db', 'allowed by NetworkPolicy db-from-web', true]],
      );
    });
  });
});
