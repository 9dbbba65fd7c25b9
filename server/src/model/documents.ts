import type { OffsetRange } from '../core/types';
import { shiftRange } from '../core/positions';
import type { ComposeModel } from './compose';
import type { KubernetesObject } from './kubernetes';
import type { ArchitectureModel } from './architecture';

/**
 * One analysed YAML document as the workspace sees it. Models are cached per document, so
 * cross-file rules re-run on every edit without re-reading or re-parsing anything.
 */
export interface AnalyzedDocument {
  /** File path (CLI) or URI (language server). */
  readonly file: string;
  /** Offset of the document's segment in its file; every model range is relative to it. */
  readonly offset: number;
  readonly compose?: ComposeModel;
  readonly kubernetes: readonly KubernetesObject[];
  readonly architecture?: ArchitectureModel;
}

/** A range of a file, in file offsets. */
export interface Place {
  readonly file: string;
  readonly range: OffsetRange;
}

/** Where a range of `document` (relative to its segment) lies in its file. */
export function placeIn(document: AnalyzedDocument, range: OffsetRange): Place {
  return { file: document.file, range: shiftRange(range, document.offset) };
}
