/**
 * The ledger of judged real-world findings: which files are scanned, what a person decided about
 * each finding `sbd scan FILE` gives on them, and how today's scan compares with those decisions.
 * Shared by the mocha test (`ledger.test.ts`) and `npm run precision` (`scripts/precision.ts`).
 *
 * A judgement is keyed by file, rule id and the 1-based `line:column` where the finding starts
 * (what `sbd scan` prints), so a reworded message keeps its judgement while a finding that moves,
 * changes rule or changes severity is judged again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../server/src/cli/main';
import { parseDocument } from '../../server/src/core/yaml';
import type { Severity } from '../../server/src/core/types';

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const REALWORLD_DIR = __dirname;
export const LEDGER_DIR = path.join(__dirname, 'ledger');
export const COLLECTED_DIR = path.join(__dirname, 'files');
/** The shared corpus sits beside the repository; ledger paths starting with `corpus/` point into it. */
export const CORPUS_DIR = path.join(REPO_ROOT, '..', 'shared', 'corpus');
/** An empty project configuration, so a `.sbd.yaml` lying around cannot change what is judged. */
export const DEFAULTS_CONFIG = path.join(__dirname, 'sbd-defaults.yaml');

export const FILE_GROUPS = ['compose', 'kubernetes', 'threagile'] as const;
export type FileGroup = (typeof FILE_GROUPS)[number];

export const VERDICTS = ['TP', 'FP', 'FP-severity', '?'] as const;
/**
 * `TP`: right finding at the right severity. `FP`: the file does not prove it, or another finding
 * already states the fact. `FP-severity`: the fact is right but the severity is not (`should` says
 * which is). `?`: recorded, not judged yet.
 */
export type Verdict = (typeof VERDICTS)[number];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface Judgement {
  /** 1-based `line:column` of the finding's start, as `sbd scan` prints it. */
  at: string;
  rule: string;
  /** The severity the finding had when it was judged. */
  severity: Severity;
  verdict: Verdict;
  /** For `FP-severity`: the severity the finding should have. */
  should?: Severity;
  /** For `FP` and `FP-severity`: a kind from `policy.yaml`, so like mistakes are counted together. */
  kind?: string;
  /** One line a file's author would accept. */
  why: string;
  /**
   * Set when the finding is no longer reported: for a false one, that it was fixed; for a true one,
   * where its fact went (e.g. "merged into the hardening-baseline finding at 12:3").
   */
  gone?: string;
}

export interface LedgerFile {
  /** `corpus/<folder>/<file>` (the shared corpus) or `files/<owner>__<repo>/<path>` (collected here). */
  path: string;
  group: FileGroup;
  judgements: Judgement[];
}

export interface Policy {
  /** With CI=true the test fails when more findings than this are unjudged. */
  unjudgedTolerance: number;
  /** FP kind id → what that kind of mistake is. */
  kinds: Record<string, string>;
}

export interface Ledger {
  files: LedgerFile[];
  policy: Policy;
  /** Problems in the ledger's own data (unknown verdict, duplicate key…). */
  problems: string[];
}

export interface Observed {
  rule: string;
  at: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
}

export interface ScanResult {
  path: string;
  /** Absent when the file is not available (the shared corpus is missing). */
  findings?: Observed[];
  kinds: string[];
  errors: string[];
}

// ---------------------------------------------------------------------------------------------
// Reading and writing the ledger

/** Reads `ledger/policy.yaml` and `ledger/<group>.yaml`. */
export function loadLedger(dir = LEDGER_DIR): Ledger {
  const problems: string[] = [];
  const policy = readPolicy(path.join(dir, 'policy.yaml'), problems);
  const files: LedgerFile[] = [];
  const seenPaths = new Set<string>();
  for (const group of FILE_GROUPS) {
    const file = path.join(dir, `${group}.yaml`);
    if (!fs.existsSync(file)) continue;
    const where = path.relative(REPO_ROOT, file);
    const document = parseDocument(fs.readFileSync(file, 'utf8'), { uniqueKeys: true, prettyErrors: false });
    for (const error of document.errors) problems.push(`${where}: ${error.message.split('\n')[0]}`);
    if (document.errors.length > 0) continue;
    const data = document.toJS() as Record<string, unknown> | null;
    for (const [filePath, entries] of Object.entries(data ?? {})) {
      if (seenPaths.has(filePath)) problems.push(`${where}: ${filePath} is listed twice`);
      seenPaths.add(filePath);
      if (!/^(corpus|files)\//.test(filePath)) problems.push(`${where}: ${filePath}: a ledger path starts with corpus/ or files/`);
      const judgements: Judgement[] = [];
      if (!Array.isArray(entries)) {
        problems.push(`${where}: ${filePath}: expected a list of judgements ([] for none)`);
      } else {
        for (const entry of entries) {
          const judgement = readJudgement(entry, `${where}: ${filePath}`, policy, problems);
          if (judgement) judgements.push(judgement);
        }
      }
      const keys = new Set<string>();
      for (const judgement of judgements) {
        const key = judgementKey(judgement);
        if (keys.has(key)) problems.push(`${where}: ${filePath}: ${judgement.rule} at ${judgement.at} is judged twice`);
        keys.add(key);
      }
      files.push({ path: filePath, group, judgements });
    }
  }
  return { files, policy, problems };
}

function readPolicy(file: string, problems: string[]): Policy {
  const policy: Policy = { unjudgedTolerance: 0, kinds: {} };
  if (!fs.existsSync(file)) {
    problems.push(`${path.relative(REPO_ROOT, file)} is missing`);
    return policy;
  }
  const data = parseDocument(fs.readFileSync(file, 'utf8'), { uniqueKeys: true }).toJS() as Partial<Policy> | null;
  if (typeof data?.unjudgedTolerance === 'number' && data.unjudgedTolerance >= 0) policy.unjudgedTolerance = data.unjudgedTolerance;
  else problems.push('policy.yaml: unjudgedTolerance must be a number ≥ 0');
  if (data?.kinds && typeof data.kinds === 'object') policy.kinds = data.kinds;
  else problems.push('policy.yaml: kinds must map each FP kind to its description');
  return policy;
}

function readJudgement(entry: unknown, where: string, policy: Policy, problems: string[]): Judgement | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    problems.push(`${where}: a judgement is a map {at, rule, severity, verdict, why}`);
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const label = `${where}: ${String(e.rule)} at ${String(e.at)}`;
  const known = new Set(['at', 'rule', 'severity', 'verdict', 'should', 'kind', 'why', 'gone']);
  for (const key of Object.keys(e)) if (!known.has(key)) problems.push(`${label}: unknown field "${key}"`);
  if (typeof e.at !== 'string' || !/^\d+:\d+(#\d+)?$/.test(e.at)) problems.push(`${label}: at must be "line:column" (or "line:column#n" for the n-th finding of the rule there)`);
  if (typeof e.rule !== 'string' || !/^[A-Z]{2,4}\d{3}$/.test(e.rule)) problems.push(`${label}: rule must be a rule id`);
  if (!SEVERITIES.includes(e.severity as Severity)) problems.push(`${label}: severity must be error, warning or info`);
  if (!VERDICTS.includes(e.verdict as Verdict)) problems.push(`${label}: verdict must be one of ${VERDICTS.join(', ')}`);
  const why = typeof e.why === 'string' ? e.why : '';
  if (e.verdict !== '?' && why.trim() === '') problems.push(`${label}: a judgement needs a reason (why)`);
  if (/[\r\n]/.test(why)) problems.push(`${label}: why is one line`);
  if (e.verdict === 'FP-severity') {
    if (!SEVERITIES.includes(e.should as Severity) || e.should === e.severity) problems.push(`${label}: FP-severity needs should: the right severity, different from severity`);
  } else if (e.should !== undefined) problems.push(`${label}: should is only for FP-severity`);
  if (e.verdict === 'FP' && e.kind === undefined) problems.push(`${label}: an FP needs a kind (see policy.yaml)`);
  if (e.kind !== undefined && !(String(e.kind) in policy.kinds)) problems.push(`${label}: unknown kind "${String(e.kind)}" (add it to policy.yaml)`);
  if (e.kind !== undefined && (e.verdict === 'TP' || e.verdict === '?')) problems.push(`${label}: kind is only for FP and FP-severity`);
  if (e.gone !== undefined && (typeof e.gone !== 'string' || e.gone.trim() === '')) problems.push(`${label}: gone says why the finding is no longer reported`);
  return {
    at: String(e.at),
    rule: String(e.rule),
    severity: e.severity as Severity,
    verdict: e.verdict as Verdict,
    ...(e.should !== undefined ? { should: e.should as Severity } : {}),
    ...(e.kind !== undefined ? { kind: String(e.kind) } : {}),
    why,
    ...(e.gone !== undefined ? { gone: String(e.gone) } : {}),
  };
}

const HEADERS: Record<FileGroup, string> = {
  compose: '# Judged findings of `sbd scan FILE` on real Docker Compose files. Format and workflow: ../README.md.',
  kubernetes: '# Judged findings of `sbd scan FILE` on real Kubernetes manifests. Format and workflow: ../README.md.',
  threagile: '# Judged findings of `sbd scan FILE` on real Threagile models. Format and workflow: ../README.md.',
};

/**
 * Writes the ledger in its one canonical form: files sorted by path, judgements by position then
 * rule, one line each. `notes` (ledger path → key → text) adds a comment above an entry, used to
 * show an unjudged finding's message next to its stub.
 */
export function writeLedger(ledger: Ledger, dir = LEDGER_DIR, notes: Map<string, Map<string, string>> = new Map()): void {
  for (const group of FILE_GROUPS) {
    const files = ledger.files.filter((file) => file.group === group).sort((a, b) => a.path.localeCompare(b.path));
    if (files.length === 0) continue;
    const lines = [HEADERS[group]];
    for (const file of files) {
      const sorted = [...file.judgements].sort(compareJudgements);
      if (sorted.length === 0) {
        lines.push(`${file.path}: []`);
        continue;
      }
      lines.push(`${file.path}:`);
      for (const judgement of sorted) {
        const note = notes.get(file.path)?.get(judgementKey(judgement));
        if (note) lines.push(...note.split('\n').map((line) => `  # ${line}`));
        lines.push(`  - ${formatJudgement(judgement)}`);
      }
    }
    fs.writeFileSync(path.join(dir, `${group}.yaml`), lines.join('\n') + '\n');
  }
}

export function formatJudgement(j: Judgement): string {
  const fields = [`at: "${j.at}"`, `rule: ${j.rule}`, `severity: ${j.severity}`, `verdict: ${j.verdict === '?' ? '"?"' : j.verdict}`];
  if (j.should) fields.push(`should: ${j.should}`);
  if (j.kind) fields.push(`kind: ${j.kind}`);
  fields.push(`why: ${JSON.stringify(j.why)}`);
  if (j.gone) fields.push(`gone: ${JSON.stringify(j.gone)}`);
  return `{ ${fields.join(', ')} }`;
}

function compareJudgements(a: { at: string; rule: string }, b: { at: string; rule: string }): number {
  const [al, ac, an = 1] = a.at.split(/[:#]/).map(Number);
  const [bl, bc, bn = 1] = b.at.split(/[:#]/).map(Number);
  return al - bl || ac - bc || a.rule.localeCompare(b.rule) || an - bn;
}

export function judgementKey(j: { rule: string; at: string }): string {
  return `${j.rule}@${j.at}`;
}

// ---------------------------------------------------------------------------------------------
// Scanning

/** Absolute path of a ledger path, or undefined for a path outside the two roots. */
export function resolveLedgerPath(ledgerPath: string): string | undefined {
  if (ledgerPath.startsWith('corpus/')) return path.join(CORPUS_DIR, ledgerPath.slice('corpus/'.length));
  if (ledgerPath.startsWith('files/')) return path.join(COLLECTED_DIR, ledgerPath.slice('files/'.length));
  return undefined;
}

export function corpusAvailable(): boolean {
  return fs.existsSync(CORPUS_DIR);
}

/**
 * Scans one file exactly as `sbd scan FILE --format json --fail-on never` does (the CLI's own
 * entry point, run in-process), with the default configuration pinned by `DEFAULTS_CONFIG`.
 */
export function scanFile(ledgerPath: string): ScanResult {
  const absolute = resolveLedgerPath(ledgerPath);
  if (!absolute || !fs.existsSync(absolute)) return { path: ledgerPath, kinds: [], errors: absolute ? [] : [`${ledgerPath}: not under corpus/ or files/`] };
  let out = '';
  let err = '';
  const status = run(['scan', absolute, '--format', 'json', '--fail-on', 'never', '--config', DEFAULTS_CONFIG], { out: (text) => void (out += text), err: (text) => void (err += text) });
  const errors = err.trim() === '' ? [] : [`${ledgerPath}: ${err.trim()}`];
  if (status !== 0) errors.push(`${ledgerPath}: sbd scan exited with ${status}`);
  const report = JSON.parse(out || '{"files":[]}') as { files: Array<{ kinds: string[]; findings: Array<{ ruleId: string; severity: Severity; message: string; startLine: number; startColumn: number }> }> };
  const result = report.files[0];
  // Two findings of one rule starting at one place (e.g. one per container, on a pod-level field)
  // are told apart by their order: the second is "line:column#2".
  const seen = new Map<string, number>();
  const findings = (result?.findings ?? []).map((f) => {
    const place = `${f.ruleId}@${f.startLine}:${f.startColumn}`;
    const n = (seen.get(place) ?? 0) + 1;
    seen.set(place, n);
    return { rule: f.ruleId, at: `${f.startLine}:${f.startColumn}${n > 1 ? `#${n}` : ''}`, severity: f.severity, message: f.message, line: f.startLine, column: f.startColumn };
  });
  return { path: ledgerPath, findings, kinds: result?.kinds ?? [], errors };
}

// ---------------------------------------------------------------------------------------------
// Comparing a scan with the ledger

/** How a reported finding counts today. */
export type Standing =
  | 'right' // judged TP at this severity, or FP-severity now at the severity it should have
  | 'wrong' // judged FP
  | 'wrong-severity' // judged FP-severity and still at the judged severity
  | 'unjudged'; // no judgement, `?`, or a judgement made at another severity

export interface Row {
  file: LedgerFile;
  finding: Observed;
  judgement?: Judgement;
  standing: Standing;
}

export type ProblemKind =
  | 'fp-returned' // a false finding recorded as gone is reported again
  | 'tp-lost' // a true finding is no longer reported and nobody said where its fact went
  | 'tp-severity-changed' // a true finding is reported at another severity: judge it again
  | 'fixed-unrecorded' // a false finding (or its severity) was fixed: record it with --update
  | 'gone-reappeared' // a true finding recorded as gone is reported again: record it with --update
  | 'scan-error'; // the CLI could not scan the file

export interface Problem {
  kind: ProblemKind;
  file: string;
  judgement?: Judgement;
  finding?: Observed;
  message: string;
}

export interface Comparison {
  rows: Row[];
  problems: Problem[];
  /** Ledger paths that could not be scanned because the shared corpus is missing. */
  skipped: string[];
  scans: Map<string, ScanResult>;
}

/** Scans every ledger file and compares the findings with the judgements. */
export function compare(ledger: Ledger, scan: (ledgerPath: string) => ScanResult = scanFile): Comparison {
  const rows: Row[] = [];
  const problems: Problem[] = [];
  const skipped: string[] = [];
  const scans = new Map<string, ScanResult>();
  for (const file of ledger.files) {
    if (file.path.startsWith('corpus/') && !corpusAvailable()) {
      skipped.push(file.path);
      continue;
    }
    const result = scan(file.path);
    scans.set(file.path, result);
    for (const message of result.errors) problems.push({ kind: 'scan-error', file: file.path, message });
    if (!result.findings) {
      problems.push({ kind: 'scan-error', file: file.path, message: `${file.path}: file not found` });
      continue;
    }
    const byKey = new Map(file.judgements.map((j) => [judgementKey(j), j]));
    const reported = new Set<string>();
    for (const finding of result.findings) {
      const key = judgementKey(finding);
      reported.add(key);
      const judgement = byKey.get(key);
      const standing = standingOf(finding, judgement);
      rows.push({ file, finding, judgement, standing });
      if (!judgement || judgement.verdict === '?') continue;
      const where = `${file.path}:${finding.at} ${finding.rule}`;
      if (judgement.gone !== undefined) {
        if (standing === 'wrong' || standing === 'wrong-severity') problems.push({ kind: 'fp-returned', file: file.path, judgement, finding, message: `${where}: judged ${judgement.verdict} (${judgement.why}) and recorded as gone, but reported again: ${finding.message}` });
        else if (standing === 'right') problems.push({ kind: 'gone-reappeared', file: file.path, judgement, finding, message: `${where}: recorded as gone (${judgement.gone}) but reported again; run \`npm run precision -- --update\` if that is intended` });
        else problems.push({ kind: 'tp-severity-changed', file: file.path, judgement, finding, message: `${where}: recorded as gone at ${judgement.severity}, now reported at ${finding.severity}: judge it again` });
        continue;
      }
      if (judgement.verdict === 'TP' && finding.severity !== judgement.severity) problems.push({ kind: 'tp-severity-changed', file: file.path, judgement, finding, message: `${where}: judged TP at ${judgement.severity}, now reported at ${finding.severity}: judge it again (set severity and verdict)` });
      if (judgement.verdict === 'FP-severity' && finding.severity === judgement.should) problems.push({ kind: 'fixed-unrecorded', file: file.path, judgement, finding, message: `${where}: now at ${finding.severity} as judged right; record it with \`npm run precision -- --update\`` });
      if (judgement.verdict === 'FP-severity' && finding.severity !== judgement.should && finding.severity !== judgement.severity) problems.push({ kind: 'tp-severity-changed', file: file.path, judgement, finding, message: `${where}: judged right at ${judgement.should}, now reported at ${finding.severity}: judge it again` });
    }
    for (const judgement of file.judgements) {
      if (reported.has(judgementKey(judgement)) || judgement.gone !== undefined || judgement.verdict === '?') continue;
      const where = `${file.path}:${judgement.at} ${judgement.rule}`;
      if (judgement.verdict === 'TP') problems.push({ kind: 'tp-lost', file: file.path, judgement, message: `${where}: judged TP (${judgement.why}) but no longer reported. If its fact is now stated by another finding, record where with \`npm run precision -- --retire ${judgement.rule} --why "…"\`; otherwise a true finding was lost` });
      else problems.push({ kind: 'fixed-unrecorded', file: file.path, judgement, message: `${where}: judged ${judgement.verdict} (${judgement.why}) and no longer reported; record the fix with \`npm run precision -- --update\`` });
    }
  }
  return { rows, problems, skipped, scans };
}

function standingOf(finding: Observed, judgement: Judgement | undefined): Standing {
  if (!judgement || judgement.verdict === '?') return 'unjudged';
  if (judgement.verdict === 'FP') return 'wrong';
  if (judgement.verdict === 'FP-severity') {
    if (finding.severity === judgement.severity) return 'wrong-severity';
    if (finding.severity === judgement.should) return 'right';
    return 'unjudged';
  }
  return finding.severity === judgement.severity ? 'right' : 'unjudged';
}

// ---------------------------------------------------------------------------------------------
// Ledger maintenance (used by `npm run precision -- --update | --retire | --unjudged --write`)

/**
 * Applies the changes that need no judgement: a false finding that is no longer reported is marked
 * gone; an FP-severity now at the right severity becomes TP; a gone TP reported again loses `gone`.
 * Returns one line per change.
 */
export function recordFixes(ledger: Ledger, comparison: Comparison): string[] {
  const changes: string[] = [];
  for (const problem of comparison.problems) {
    const j = problem.judgement;
    if (!j) continue;
    if (problem.kind === 'fixed-unrecorded' && !problem.finding) {
      j.gone = 'no longer reported';
      changes.push(`${problem.file}:${j.at} ${j.rule}: ${j.verdict} recorded as fixed`);
    } else if (problem.kind === 'fixed-unrecorded' && problem.finding && j.should) {
      changes.push(`${problem.file}:${j.at} ${j.rule}: severity ${j.severity} → ${j.should}, now TP`);
      j.severity = j.should;
      j.verdict = 'TP';
      delete j.should;
      delete j.kind;
    } else if (problem.kind === 'gone-reappeared') {
      delete j.gone;
      changes.push(`${problem.file}:${j.at} ${j.rule}: reported again, gone removed`);
    }
  }
  return changes;
}

/** Marks the lost TPs of one rule as gone with the reason a person gave. */
export function retire(comparison: Comparison, rule: string, why: string): string[] {
  const changes: string[] = [];
  for (const problem of comparison.problems) {
    if (problem.kind !== 'tp-lost' || !problem.judgement || problem.judgement.rule !== rule) continue;
    problem.judgement.gone = why;
    changes.push(`${problem.file}:${problem.judgement.at} ${rule}: retired (${why})`);
  }
  return changes;
}

/** Rows nobody has judged (at the finding's current severity). */
export function unjudgedRows(comparison: Comparison): Row[] {
  return comparison.rows.filter((row) => row.standing === 'unjudged');
}

/** The text of a file's line (1-based), trimmed, for context next to a finding. */
export function sourceLine(ledgerPath: string, line: number): string {
  const absolute = resolveLedgerPath(ledgerPath);
  if (!absolute || !fs.existsSync(absolute)) return '';
  return (fs.readFileSync(absolute, 'utf8').split(/\r?\n/)[line - 1] ?? '').trim();
}

/**
 * Adds a `?` stub for every unjudged row (replacing a judgement made at another severity) and
 * returns comments showing each stub's message and source line.
 */
export function addStubs(rows: readonly Row[]): Map<string, Map<string, string>> {
  const notes = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const key = judgementKey(row.finding);
    const previous = row.judgement;
    const stub: Judgement = { at: row.finding.at, rule: row.finding.rule, severity: row.finding.severity, verdict: '?', why: previous && previous.verdict !== '?' ? `was ${previous.verdict} at ${previous.severity}: ${previous.why}` : '' };
    const index = row.file.judgements.findIndex((j) => judgementKey(j) === key);
    if (index >= 0) row.file.judgements[index] = stub;
    else row.file.judgements.push(stub);
    if (!notes.has(row.file.path)) notes.set(row.file.path, new Map());
    notes.get(row.file.path)!.set(key, `${row.finding.message}\n  line ${row.finding.line}: ${sourceLine(row.file.path, row.finding.line)}`);
  }
  return notes;
}

// ---------------------------------------------------------------------------------------------
// Counting

export interface Tally {
  findings: number;
  judged: number;
  wrong: number;
  wrongSeverity: number;
  unjudged: number;
}

export function tally(rows: readonly Row[]): Tally {
  const t: Tally = { findings: rows.length, judged: 0, wrong: 0, wrongSeverity: 0, unjudged: 0 };
  for (const row of rows) {
    if (row.standing === 'unjudged') t.unjudged++;
    else t.judged++;
    if (row.standing === 'wrong') t.wrong++;
    if (row.standing === 'wrong-severity') t.wrongSeverity++;
  }
  return t;
}

/** Share of judged findings that are wrong (false, or at the wrong severity), in percent. */
export function percentWrong(t: Tally): string {
  return t.judged === 0 ? '–' : `${(((t.wrong + t.wrongSeverity) / t.judged) * 100).toFixed(1)} %`;
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  return groups;
}

/** Files under `files/` that the ledger does not list, and SOURCES.tsv rows without a file or license. */
export function collectedFileProblems(ledger: Ledger): string[] {
  const problems: string[] = [];
  const sourcesFile = path.join(COLLECTED_DIR, 'SOURCES.tsv');
  const rows = fs.readFileSync(sourcesFile, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
  const sources = new Map(rows.map((cells) => [cells[0], cells]));
  for (const [file, cells] of sources) {
    const [, repo, upstreamPath, commit, license] = cells;
    if (cells.length !== 5 || !repo || !upstreamPath || !/^[0-9a-f]{40}$/.test(commit ?? '') || !license) problems.push(`SOURCES.tsv: ${file}: expected file, repo, path, 40-hex commit, license`);
    if (!fs.existsSync(path.join(COLLECTED_DIR, file))) problems.push(`SOURCES.tsv: ${file} does not exist`);
    if (repo && !fs.existsSync(path.join(COLLECTED_DIR, 'LICENSES', `${repo.replace('/', '__')}.txt`))) problems.push(`SOURCES.tsv: no license text LICENSES/${repo.replace('/', '__')}.txt for ${repo}`);
  }
  const listed = new Set(ledger.files.map((f) => f.path));
  for (const file of walk(COLLECTED_DIR)) {
    const relative = path.relative(COLLECTED_DIR, file).split(path.sep).join('/');
    if (relative === 'SOURCES.tsv' || relative.startsWith('LICENSES/')) continue;
    if (!sources.has(relative)) problems.push(`files/${relative} has no row in SOURCES.tsv`);
    // A Dockerfile beside a compose file is read by the scan (a build's USER), not scanned itself.
    if (!listed.has(`files/${relative}`) && !isSupportFile(relative)) problems.push(`files/${relative} is not in the ledger`);
  }
  for (const file of ledger.files) {
    if (file.path.startsWith('files/') && !sources.has(file.path.slice('files/'.length))) problems.push(`${file.path} is in the ledger but has no row in SOURCES.tsv`);
  }
  return problems;
}

/** Files collected for what a scan reads beside a ledger file (a build's Dockerfile), not scanned themselves. */
function isSupportFile(relative: string): boolean {
  return /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[^/]*)?$/.test(relative);
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}
