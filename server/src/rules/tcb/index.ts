import type { Rule } from '../rule';
import { privilegedContainer } from './privilegedContainer';

export const tcbRules: readonly Rule[] = [privilegedContainer];
