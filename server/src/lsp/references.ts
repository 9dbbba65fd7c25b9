import type { Location, ReferenceParams } from 'vscode-languageserver';
import type { ServerContext } from './context';
import { isValidPosition, isValidUri } from './convert';
import { idUnderCursor, locationOf, occurrencesOf } from './modelScope';

/** Every place a zone, component, data asset or runtime id is used, across the model's files. */
export function references(context: ServerContext, params: ReferenceParams): Location[] | null {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri) || !isValidPosition(params.position)) return null;
  const found = idUnderCursor(context, uri, params.position);
  if (!found) return null;
  const { scope, occurrence } = found;
  const withDeclaration = params.context?.includeDeclaration !== false;
  return occurrencesOf(scope, occurrence.kind, occurrence.id)
    .filter((item) => withDeclaration || item.role === 'reference')
    .flatMap((item) => locationOf(scope, item.tree, item.range) ?? []);
}
