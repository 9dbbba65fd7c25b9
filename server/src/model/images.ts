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

/** Whether an image reference names one of `repositories` (registry and `library/` ignored). */
export function imageRepositoryIs(image: string | undefined, repositories: RegExp): boolean {
  if (image === undefined) return false;
  const name = image.trim().split('@')[0];
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  let repository = colon > lastSlash ? name.slice(0, colon) : name;
  const segments = repository.split('/');
  // Drop a registry host (has a dot or a port, or is localhost) and the Docker Hub `library/` prefix.
  if (segments.length > 1 && (/[.:]/.test(segments[0]) || segments[0] === 'localhost')) segments.shift();
  if (segments[0] === 'library') segments.shift();
  repository = segments.join('/').toLowerCase();
  return repositories.test(repository);
}
