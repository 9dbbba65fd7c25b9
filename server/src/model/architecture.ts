import type { YAMLMap } from '../core/yaml';
import type { YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import type { TrustLevel } from '../core/options';

/** A value read from the model together with where it was written. */
export interface Located<T> {
  readonly value: T;
  readonly range: OffsetRange;
}

export interface ArchitectureZone {
  readonly id: string;
  readonly range: OffsetRange;
  readonly trust?: Located<TrustLevel>;
  readonly parent?: Located<string>;
}

export interface ArchitectureComponent {
  readonly id: string;
  readonly range: OffsetRange;
  readonly type?: Located<string>;
  readonly zone?: Located<string>;
  readonly node: YAMLMap;
}

export interface ArchitectureFlow {
  readonly id: string;
  readonly range: OffsetRange;
  readonly from?: Located<string>;
  readonly to?: Located<string>;
  readonly node: YAMLMap;
}

/**
 * The architecture as stated by the user (our `kind: Architecture` format or a Threagile
 * model read into the same shape). Every element keeps the range it was written at.
 */
export interface ArchitectureModel {
  readonly kind: 'architecture';
  readonly dialect: 'securebydesign' | 'threagile';
  readonly tree: YamlTree;
  readonly root: YAMLMap;
  readonly zones: readonly ArchitectureZone[];
  readonly components: readonly ArchitectureComponent[];
  readonly flows: readonly ArchitectureFlow[];
}
