/**
 * The Helm line of `npm run bench`: typing in a template of the Argo CD chart (the server renders
 * the chart, re-renders the edited template and maps its findings back) side by side with typing
 * in one plain manifest holding the same rendered text. Two servers run at once and the
 * keystrokes alternate between them, so both series see the same machine load. Both with
 * debounceMs 0: the figure is the work after the debounce.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HelmChart } from '../../server/src/frontends/helm';
import type { SourceFiles } from '../../server/src/frontends/files';
import { EditSession, sleep, type ServerUnderTest } from './protocol';

export interface TypingFigures {
  /** didOpen → first diagnostics (ms). */
  readonly openMs: number;
  /** One per keystroke: didChange → diagnostics of that version (ms). */
  readonly editMs: readonly number[];
}

export interface ChartFigures {
  readonly renderedLines: number;
  readonly template: TypingFigures;
  readonly plain: TypingFigures;
}

const TEMPLATE = 'templates/argocd-server/deployment.yaml';

function diskFiles(): SourceFiles {
  return {
    read: (file) => (fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined),
    list: (folder) => (fs.existsSync(folder) && fs.statSync(folder).isDirectory() ? fs.readdirSync(folder, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name)).sort() : undefined),
  };
}

/**
 * The server opened on the chart folder indexes it after start-up; a user types in an indexed
 * workspace, so typing starts once the server says it is ready again (`sbd/status`).
 */
async function indexed(session: EditSession, timeoutMs: number): Promise<void> {
  const client = session.client;
  await client.waitForNotification('sbd/status', (params) => params?.state === 'indexing', { timeoutMs, description: 'indexing to start' });
  const started = client.notifications.findIndex((n) => n.method === 'sbd/status' && n.params?.state === 'indexing');
  await client.waitForNotification('sbd/status', (params) => params?.state === 'ready', { since: started + 1, timeoutMs, description: 'indexing to end' });
}

export async function chartFigures(chartRoot: string, server: ServerUnderTest, scratch: string, count: number, gapMs: number, timeoutMs: number): Promise<ChartFigures> {
  const templateText = fs.readFileSync(path.join(chartRoot, TEMPLATE), 'utf8');
  // Typed after `name: {{ template "argo-cd.server.fullname" . }}`: the rendered name changes, the YAML stays valid.
  const line = templateText.split('\n').findIndex((text) => /^\s+name: \{\{ template "argo-cd\.server\.fullname"/.test(text));
  const rendered = new HelmChart(diskFiles(), chartRoot).render().templates.map((t) => t.text.trimEnd()).join('\n---\n') + '\n';
  const plainLine = rendered.split('\n').findIndex((text) => /^\s+name: release-name-argocd-server$/.test(text));
  if (line < 0 || plainLine < 0) throw new Error(`the argocd-server name line was not found in ${TEMPLATE} or its rendering`);

  const template = await EditSession.open({ ...server, rootUri: pathToFileURL(chartRoot).href }, pathToFileURL(path.join(chartRoot, TEMPLATE)).href, templateText, line, timeoutMs);
  try {
    await indexed(template, timeoutMs);
    const plain = await EditSession.open(server, pathToFileURL(path.join(scratch, 'argo-cd-rendered.yaml')).href, rendered, plainLine, timeoutMs);
    try {
      // Let both settle (republishing after the index, the first garbage collections) before typing.
      await sleep(500);
      const templateMs: number[] = [];
      const plainMs: number[] = [];
      for (let i = 0; i < count; i++) {
        templateMs.push(await template.type());
        await sleep(gapMs);
        plainMs.push(await plain.type());
        await sleep(gapMs);
      }
      return { renderedLines: rendered.split('\n').length, template: { openMs: template.openMs, editMs: templateMs }, plain: { openMs: plain.openMs, editMs: plainMs } };
    } finally {
      await plain.stop();
    }
  } finally {
    await template.stop();
  }
}
