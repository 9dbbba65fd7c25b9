import { HelmEngine } from '../../../server/src/frontends/helm/engine';
import { TemplateError } from '../../../server/src/frontends/helm/template/errors';
import type { GoValue } from '../../../server/src/frontends/helm/template/values';
import { parseValuesYaml } from '../../../server/src/frontends/helm/valuesFile';

/** Data for a template from YAML text (`.` is the top-level map), as Helm reads values. */
export function data(yaml: string): GoValue {
  return parseValuesYaml(yaml, 'data.yaml').values;
}

/** Renders one template text with `dot` (and optional partial files); returns the output text. */
export function render(source: string, dot: GoValue = data(''), partials: Record<string, string> = {}, engine = new HelmEngine()): string {
  for (const [name, text] of Object.entries(partials)) {
    const error = engine.setFile(name, name, text);
    if (error) throw error;
  }
  const error = engine.setFile('t.yaml', 't.yaml', source);
  if (error) throw error;
  return engine.execute('t.yaml', dot).output.text;
}

/** The error a template raises (parse or execution); fails when it renders. */
export function renderError(source: string, dot: GoValue = data(''), partials: Record<string, string> = {}, engine?: HelmEngine): TemplateError {
  try {
    render(source, dot, partials, engine);
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error(`expected an error, rendered instead: ${source}`);
}
