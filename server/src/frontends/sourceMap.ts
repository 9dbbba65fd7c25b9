import type { OffsetRange } from '../core/types';

/**
 * The contract between a front end (Helm rendering, Kustomize builds) and the analysis: a front end
 * turns source files into ordinary Kubernetes YAML text plus a map from spans of that text back to
 * the files and lines that produced them. Rules never see a front end; the analysis runs on the
 * generated text and maps each finding's range through the source map.
 *
 * Offsets are UTF-16 code-unit offsets, as everywhere in the core. Paths are the host's file
 * identifiers ('/'-separated paths in the CLI, URIs in the language server): front ends treat them
 * as opaque strings apart from joining and normalising relative names.
 */

/** A span of a source file. */
export interface SourceSpan {
  readonly file: string;
  /** Half-open offset range into that file's text. */
  readonly range: OffsetRange;
}

/** Where a value was set, when the generated text came from configuration rather than from the template itself. */
export interface ValueOrigin extends SourceSpan {
  /** Dotted path of the value as users name it: `controller.hostNetwork`, `images[0].newTag`. */
  readonly path: string;
}

/**
 * One span of generated text and what produced it. Segments are sorted by `start` and do not
 * overlap; generated text not covered by a segment has no known source.
 */
export interface MappedSegment {
  /** Half-open range in the generated text. */
  readonly start: number;
  readonly end: number;
  /** The text that produced it: a template's literal text or action, a base's or a patch's line. */
  readonly producer: SourceSpan;
  /** The value it came from (values.yaml line, `--values` file line, a kustomization field), when it did. */
  readonly value?: ValueOrigin;
}

/** One generated file: the text the analysis reads and the map back to its sources. */
export interface GeneratedSource {
  /** An identifier for the generated text, shown in messages: `chart/templates/daemonset.yaml` or `overlays/prod (kustomize build)`. */
  readonly name: string;
  /** The file the generated text belongs to when findings cannot be mapped more precisely (the template, the kustomization.yaml). */
  readonly owner: string;
  readonly text: string;
  readonly segments: readonly MappedSegment[];
}

/** A finding's place after mapping: the primary span and the other places that explain it. */
export interface MappedPlace {
  readonly primary: SourceSpan;
  /** E.g. the template line that used a value, when the primary span is the values line that set it. */
  readonly related: ReadonlyArray<{ readonly span: SourceSpan; readonly role: 'used-in' | 'set-in' | 'produced-by' }>;
}

/**
 * Maps a range of generated text to its source: the value that set it when the range lies inside
 * text that came from a value (findings about a value are fixed where the value is set), else the
 * producer of the first segment that overlaps it. Returns `undefined` when no segment overlaps.
 * O(log n) in the number of segments.
 */
export function mapGeneratedRange(source: GeneratedSource, range: OffsetRange): MappedPlace | undefined {
  const segments = source.segments;
  let low = 0;
  let high = segments.length - 1;
  let first = -1;
  // First segment whose end is after range.start (segments are sorted and disjoint).
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (segments[mid].end > range.start) {
      first = mid;
      high = mid - 1;
    } else low = mid + 1;
  }
  if (first === -1) return undefined;
  const end = Math.max(range.end, range.start + 1);
  let chosen: MappedSegment | undefined;
  for (let i = first; i < segments.length && segments[i].start < end; i++) {
    const segment = segments[i];
    if (segment.value) {
      chosen = segment;
      break;
    }
    chosen ??= segment;
  }
  if (!chosen) return undefined;
  if (chosen.value) {
    const { file, range: valueRange } = chosen.value;
    return { primary: { file, range: valueRange }, related: [{ span: chosen.producer, role: 'used-in' }] };
  }
  return { primary: chosen.producer, related: [] };
}
