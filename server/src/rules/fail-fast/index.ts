import type { Rule } from '../rule';
import { failOpenSecretDefault } from './failOpenSecretDefault';

export const failFastRules: readonly Rule[] = [failOpenSecretDefault];
