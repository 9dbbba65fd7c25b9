/**
 * The one place the `yaml` package is imported. Its next major removes isMap/isSeq/isScalar,
 * so keeping every use behind this module makes that upgrade a one-file change.
 */
export {
  Alias,
  Document,
  Lexer,
  LineCounter,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  isAlias,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
} from 'yaml';
export type { Node, ParsedNode, YAMLError } from 'yaml';
