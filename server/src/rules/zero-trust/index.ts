import type { Rule } from '../rule';

export const zeroTrustRules: readonly Rule[] = [];
