import type { DocumentLink, DocumentLinkParams } from 'vscode-languageserver';
import { resolveInclude } from '../model/threagileSystem';
import type { ServerContext } from './context';
import { isValidUri, toRange } from './convert';

/** Each entry of a Threagile model's `includes:` links to the file it names (relative to this file). */
export function documentLinks(context: ServerContext, params: DocumentLinkParams): DocumentLink[] {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri)) return [];
  const analysis = context.analysis(uri);
  if (!analysis) return [];
  const known = new Map(context.workspace.fileIds().map((file) => [comparable(file), file]));
  const links: DocumentLink[] = [];
  for (const document of analysis.documents) {
    for (const include of document.architecture?.threagile?.documents[0]?.includes ?? []) {
      const resolved = resolveInclude(uri, include.value);
      // Prefer the spelling the workspace uses for the file; an include that names no known file still links to where it points.
      const target = known.get(comparable(resolved)) ?? encodeTarget(resolved);
      links.push({ range: toRange(analysis.lines, { start: include.range.start + document.offset, end: include.range.end + document.offset }), target, tooltip: `Open ${include.value}` });
    }
  }
  return links;
}

function comparable(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

/** Spaces and other characters of a file name written in an include are escaped in the link's URI. */
function encodeTarget(uri: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(uri)?.[0] ?? '';
  return scheme + uri.slice(scheme.length).split('/').map((part) => encodeURIComponent(comparable(part))).join('/');
}
