/** Errors of parsing and executing templates, with the place they refer to. */

/** 1-based line and 0-based column (UTF-16 units) of an offset, as Go's template errors count them. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastNewline = -1;
  const end = Math.min(offset, source.length);
  for (let i = source.indexOf('\n'); i !== -1 && i < end; i = source.indexOf('\n', i + 1)) {
    line++;
    lastNewline = i;
  }
  return { line, column: end - lastNewline - 1 };
}

export type TemplateErrorKind = 'parse' | 'exec' | 'limit' | 'fail';

/**
 * A parse or execution error at a place of a template. `message` reads like Go's:
 * `template: chart/templates/x.yaml:12:5: executing "chart/templates/x.yaml" at <required "…" .Values.x>: error calling required: …`.
 * `reason` is the bare cause (`error calling required: …`) for diagnostics that show the place separately.
 */
export class TemplateError extends Error {
  constructor(
    readonly kind: TemplateErrorKind,
    /** Host file identifier of the template text the error is in. */
    readonly file: string,
    /** Template (file) name used in the message. */
    readonly parseName: string,
    /** Offsets of the node that failed in `file`'s text. */
    readonly pos: number,
    readonly end: number,
    readonly reason: string,
    message: string,
    /** For an error raised inside an `include`/`tpl`/`template`: the innermost error, where it failed. */
    readonly inner?: TemplateError,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** Builds the parse error Go would print: `template: NAME:LINE: MESSAGE`. */
export function parseError(file: string, parseName: string, source: string, pos: number, end: number, reason: string): TemplateError {
  const { line } = lineColumn(source, pos);
  return new TemplateError('parse', file, parseName, pos, end, reason, `template: ${parseName}:${line}: ${reason}`);
}
