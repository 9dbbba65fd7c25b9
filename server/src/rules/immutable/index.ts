import type { Rule } from '../rule';
import { unpinnedImage } from './unpinnedImage';

export const immutableRules: readonly Rule[] = [unpinnedImage];
