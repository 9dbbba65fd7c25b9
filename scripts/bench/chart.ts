/**
 * The Helm line of `npm run bench`: typing in a template of the Argo CD chart (the server renders
 * the chart, re-renders the edited template and maps its findings back) next to typing in one
 * plain manifest holding the same rendered text. Both with debounceMs 0: the figure is the work
 * after the debounce.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HelmChart } from '../../server/src/frontends/helm';
import type { SourceFiles } from '../../server/src/frontends/files';
import { measureServer, type ProtocolFigures, type ServerUnderTest } from './protocol';

export interface ChartFigures {
  readonly renderedLines: number;
  readonly template: ProtocolFigures;
  readonly plain: ProtocolFigures;
}

const TEMPLATE = 'templates/argocd-server/deployment.yaml';

function diskFiles(): SourceFiles {
  return {
    read: (file) => (fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined),
    list: (folder) => (fs.existsSync(folder) && fs.statSync(folder).isDirectory() ? fs.readdirSync(folder, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name)).sort() : undefined),
  };
}

export async function chartFigures(chartRoot: string, server: ServerUnderTest, scratch: string, count: number, gapMs: number, timeoutMs: number): Promise<ChartFigures> {
  const templateText = fs.readFileSync(path.join(chartRoot, TEMPLATE), 'utf8');
  // Typed after `name: {{ template "argo-cd.server.fullname" . }}`: the rendered name changes, the YAML stays valid.
  const line = templateText.split('\n').findIndex((text) => /^\s+name: \{\{ template "argo-cd\.server\.fullname"/.test(text));
  const rootUri = pathToFileURL(chartRoot).href;
  const template = await measureServer({ ...server, rootUri }, pathToFileURL(path.join(chartRoot, TEMPLATE)).href, templateText, { line, count, gapMs }, timeoutMs);
  const rendered = new HelmChart(diskFiles(), chartRoot).render().templates.map((t) => t.text.trimEnd()).join('\n---\n') + '\n';
  const plainLine = rendered.split('\n').findIndex((text) => /^\s+name: release-name-argocd-server$/.test(text));
  const plain = await measureServer(server, pathToFileURL(path.join(scratch, 'argo-cd-rendered.yaml')).href, rendered, { line: plainLine, count, gapMs }, timeoutMs);
  return { renderedLines: rendered.split('\n').length, template, plain };
}
