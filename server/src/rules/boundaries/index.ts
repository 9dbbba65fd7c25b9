import type { Rule } from '../rule';

export const boundaryRules: readonly Rule[] = [];
