import { createColors } from 'picocolors';

export type Colors = ReturnType<typeof createColors>;

/**
 * Characters that must never reach a terminal as they are: C0 controls (ESC starts colour and
 * cursor sequences, CR and BS overwrite what was printed), DEL, C1 controls (CSI), the Unicode
 * line and paragraph separators, and the bidirectional overrides and isolates that reorder text
 * on screen ("Trojan Source", CVE-2021-42574). File names and YAML values are attacker-chosen.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** Makes text safe for one terminal line: each unsafe character becomes a visible `\xNN` / `\u{NNNN}` escape. */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\n') return '\\n';
    if (char === '\t') return '\\t';
    if (char === '\r') return '\\r';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/**
 * Colour only for a terminal: never when the output is piped or written to a file, never with
 * NO_COLOR set (no-color.org), always with FORCE_COLOR set to something other than 0.
 */
export function useColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTTY === true && env.TERM !== 'dumb';
}

export function colors(enabled: boolean): Colors {
  return createColors(enabled);
}

/** Scans of more files than this show a progress line on stderr. */
export const PROGRESS_THRESHOLD = 300;

/**
 * One line on stderr, rewritten in place (`\r`), at most every 100 ms; cleared when done. Only
 * on a terminal: CI logs and pipes get no progress noise.
 */
export class Progress {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly total: number,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  update(done: number, file: string): void {
    if (!this.enabled) return;
    const time = this.now();
    if (done < this.total && time - this.lastDraw < 100) return;
    this.lastDraw = time;
    const name = escapeForTerminal(file);
    const shown = name.length > 50 ? `…${name.slice(-49)}` : name;
    this.write(`\r\u001b[2Ksbd: analysing ${done}/${this.total} files ${shown}`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.write('\r\u001b[2K');
    this.drawn = false;
  }
}
