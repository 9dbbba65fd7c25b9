/**
 * The Helm front end: renders a chart in-process into `GeneratedSource`s (one per template) whose
 * source maps lead back to template lines and values lines. See `chart.ts` for the renderer and
 * `engine.ts` / `template/` for the Go template engine it runs on.
 *
 * How a host uses it:
 * - `findChartRoot(files, path)` says whether a file belongs to a chart (and which);
 *   `isTemplatePath(path)` says it is a template, never to be parsed as plain YAML.
 * - `new HelmChart(files, root, options)` once per chart; `render()` gives the rendered templates
 *   (text, segments, `---` document spans, notes) and problems (parse and render errors at the
 *   place they happened, values-file problems, subchart archives not analysed).
 * - On an edit: `chart.invalidate(path)` for each changed file (`dependsOn(path)` tells whether the
 *   chart reads it), then `render()` again: it re-reads only those files and re-renders only the
 *   templates they affect; `result.rendered` counts the templates rendered in that call.
 */
export {
  BUILTIN_API_VERSIONS,
  DEFAULT_KUBE_VERSION,
  findChartRoot,
  HelmChart,
  isChartRoot,
  isTemplatePath,
  splitDocuments,
  type ChartRender,
  type DocumentSpan,
  type HelmProblem,
  type HelmRenderOptions,
  type RenderedTemplate,
} from './chart';
