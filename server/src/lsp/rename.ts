import { ResponseError, ErrorCodes, type PrepareRenameParams, type Range, type RenameParams, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { ServerContext } from './context';
import { isValidPosition, isValidUri } from './convert';
import { idUnderCursor, occurrencesOf, rangeIn } from './modelScope';

/** Ids as each format allows them: Threagile's `checkIdSyntax`, and our format's keys. */
const ID_SYNTAX = { threagile: /^[a-zA-Z0-9-]+$/, architecture: /^[A-Za-z0-9][A-Za-z0-9._-]*$/ };

/** Rename is offered on an id: the range of the id and its name. */
export function prepareRename(context: ServerContext, params: PrepareRenameParams): { range: Range; placeholder: string } | null {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri) || !isValidPosition(params.position)) return null;
  const found = idUnderCursor(context, uri, params.position);
  const where = found && found.scope.locate(found.occurrence.tree);
  return found && where ? { range: rangeIn(where, found.occurrence.range), placeholder: found.occurrence.id } : null;
}

/**
 * Renames an id where it is defined and everywhere it is used, in every file of the model (in a
 * Threagile model also inside tracked risk ids), refusing names the format does not allow.
 */
export function rename(context: ServerContext, params: RenameParams): WorkspaceEdit | null {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri) || !isValidPosition(params.position) || typeof params.newName !== 'string') return null;
  const found = idUnderCursor(context, uri, params.position);
  if (!found) return null;
  const { scope, occurrence } = found;
  if (!ID_SYNTAX[scope.format].test(params.newName)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `"${params.newName}" is not a valid ${scope.format === 'threagile' ? 'Threagile id (letters, digits and hyphens)' : 'id (letters, digits, dots, underscores and hyphens)'}`);
  }
  const taken = occurrencesOf(scope, occurrence.kind, params.newName).some((item) => item.role === 'definition');
  if (taken && params.newName !== occurrence.id) throw new ResponseError(ErrorCodes.InvalidParams, `the model already defines ${occurrence.kind} "${params.newName}"`);
  const changes: Record<string, TextEdit[]> = {};
  for (const item of occurrencesOf(scope, occurrence.kind, occurrence.id)) {
    const where = scope.locate(item.tree);
    if (!where) continue;
    (changes[where.uri] ??= []).push({ range: rangeIn(where, item.range), newText: params.newName });
  }
  return { changes };
}
