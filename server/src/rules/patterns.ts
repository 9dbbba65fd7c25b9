import type { PatternId } from '../core/types';

export interface PatternInfo {
  readonly id: PatternId;
  readonly name: string;
  readonly principle: string;
  /** What a finding of this pattern means, in one sentence. */
  readonly meaning: string;
}

export const PATTERNS: Readonly<Record<PatternId, PatternInfo>> = {
  ZT: {
    id: 'ZT',
    name: 'Zero-Trust',
    principle:
      'Never trust, always verify: authenticate and authorize every request with strong identity (mTLS, signed tokens), grant least privilege, and assume breach.',
    meaning: 'Something is trusted because of where it sits, or holds more privilege than it needs.',
  },
  IMM: {
    id: 'IMM',
    name: 'Immutable Infrastructure',
    principle:
      'Replace, never modify at runtime: artifacts are versioned, pinned and signed, configuration lives in version control, and rollback is a redeploy.',
    meaning: 'Something can drift from its known-good state at runtime, or is not reproducible from version control.',
  },
  BND: {
    id: 'BND',
    name: 'Security Boundaries',
    principle:
      'Draw explicit trust zones and control every crossing (authenticate, authorize, validate, log); keep each boundary’s surface small.',
    meaning: 'A crossing lacks a control, or a zone is reachable by more than it should be.',
  },
  TCB: {
    id: 'TCB',
    name: 'TCB Minimization',
    principle:
      'Keep the trusted computing base small, isolated and auditable: few components hold secrets or host-level power, everything else uses the core’s API.',
    meaning: 'The set of things you must trust grew: secrets spread across services, privileged containers, host access.',
  },
  FF: {
    id: 'FF',
    name: 'Fail-Fast Security',
    principle:
      'Validate security properties at construction and startup, and refuse to run when misconfigured: no fail-open defaults, no exposure window.',
    meaning: 'A misconfiguration would be discovered at runtime, or never: a fail-open default, an optional secret, auth switched off.',
  },
};

export const PATTERN_FOLDERS: Readonly<Record<PatternId, string>> = {
  ZT: 'zero-trust',
  IMM: 'immutable',
  BND: 'boundaries',
  TCB: 'tcb',
  FF: 'fail-fast',
};
