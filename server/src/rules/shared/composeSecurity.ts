import { isScalar, type Node, type Scalar } from '../../core/yaml';
import { scalarText, type YamlTree } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import { valueTextRange } from '../../model/common';
import type { ComposeService } from '../../model/compose';

/** One `security_opt` entry: `seccomp:unconfined`, `apparmor=unconfined`, `no-new-privileges:true`. */
export interface SecurityOption {
  readonly name: string;
  /** Undefined for a bare flag (`no-new-privileges`). */
  readonly value?: string;
  readonly node: Scalar;
  readonly range: OffsetRange;
}

export function securityOptions(tree: YamlTree, service: ComposeService): SecurityOption[] {
  if (!service.node) return [];
  const options: SecurityOption[] = [];
  for (const item of tree.items(tree.get(service.node, 'security_opt'))) {
    const text = scalarText(item);
    const range = valueTextRange(tree.text, item);
    if (!isScalar(item) || text === undefined || !range) continue;
    const separator = text.search(/[:=]/);
    options.push({
      name: (separator === -1 ? text : text.slice(0, separator)).trim().toLowerCase(),
      value: separator === -1 ? undefined : text.slice(separator + 1).trim(),
      node: item,
      range,
    });
  }
  return options;
}

export function securityOptionList(tree: YamlTree, service: ComposeService): Node | undefined {
  return service.node ? tree.get(service.node, 'security_opt') : undefined;
}

/** `extends:` pulls settings from another definition we may not see: a missing setting is not evidence. */
export function extendsAnotherService(tree: YamlTree, service: ComposeService): boolean {
  return service.node !== undefined && tree.pair(service.node, 'extends') !== undefined;
}
