export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Contains interpolation or templating (`${TAG}`, `{{ .Values }}`): the real value is decided elsewhere. */
  readonly templated: boolean;
}

/** Splits `registry:5000/org/name:tag@sha256:…` into its parts. */
export function parseImageReference(image: string): ImageReference | undefined {
  const text = image.trim();
  if (text === '') return undefined;
  const templated = /\$\{|\$[A-Za-z_]|\{\{/.test(text);
  const at = text.indexOf('@');
  const digest = at === -1 ? undefined : text.slice(at + 1);
  const name = at === -1 ? text : text.slice(0, at);
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    tag: hasTag ? name.slice(colon + 1) : undefined,
    digest: digest || undefined,
    templated,
  };
}
