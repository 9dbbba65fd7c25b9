import type { DefinitionParams, Location } from 'vscode-languageserver';
import type { ServerContext } from './context';
import { isValidPosition, isValidUri } from './convert';
import { idUnderCursor, locationOf, occurrencesOf } from './modelScope';

/** Go to definition of a zone, component, data asset or runtime id, across the model's files. */
export function definition(context: ServerContext, params: DefinitionParams): Location[] | null {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri) || !isValidPosition(params.position)) return null;
  const found = idUnderCursor(context, uri, params.position);
  if (!found) return null;
  const { scope, occurrence } = found;
  const definitions = occurrencesOf(scope, occurrence.kind, occurrence.id).filter((item) => item.role === 'definition');
  const locations = definitions.flatMap((item) => locationOf(scope, item.tree, item.range) ?? []);
  return locations.length > 0 ? locations : null;
}
