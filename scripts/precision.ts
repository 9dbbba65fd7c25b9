/**
 * `npm run precision`: how right the findings on real files are, from the ledger of judgements in
 * test/realworld/ledger/. Prints findings, wrong ones and % wrong by severity, by rule and by file
 * kind; lists unjudged findings as ready-to-edit ledger lines; records fixes. See
 * test/realworld/README.md for the workflow.
 */
import { parseArgs } from 'node:util';
import {
  FILE_GROUPS,
  addStubs,
  compare,
  corpusAvailable,
  formatJudgement,
  groupBy,
  judgementKey,
  loadLedger,
  percentWrong,
  recordFixes,
  retire,
  sourceLine,
  tally,
  unjudgedRows,
  writeLedger,
  type Comparison,
  type FileGroup,
  type Ledger,
  type Row,
  type Tally,
} from '../test/realworld/ledger';

const USAGE = `Usage: npm run precision -- [options]

  (no option)        the precision tables: by severity, by rule, by file kind
  --unjudged         findings nobody has judged, as ledger lines to fill in (verdict, why)
  --unjudged --write add those lines to the ledger as "?" stubs, with the message as a comment
  --update           record what needs no judgement: false findings no longer reported (gone),
                     FP-severity findings now at the right severity (TP)
  --retire RULE --why TEXT
                     record that RULE's true findings no longer reported were merged elsewhere
  --fp               the false findings grouped by kind, with counts per rule and examples
  --show PATH        every finding on one ledger file with its judgement and source line
  --add PATH --group compose|kubernetes|threagile
                     add a file (corpus/… or files/…) to the ledger, then judge it with --unjudged
  --rule ID          limit --unjudged, --fp and --show to one rule
  --problems         list what the ledger test would fail on`;

function main(): number {
  const { values } = parseArgs({
    options: {
      unjudged: { type: 'boolean' },
      write: { type: 'boolean' },
      update: { type: 'boolean' },
      retire: { type: 'string' },
      why: { type: 'string' },
      fp: { type: 'boolean' },
      show: { type: 'string' },
      add: { type: 'string' },
      group: { type: 'string' },
      rule: { type: 'string' },
      problems: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const ledger = loadLedger();
  if (ledger.problems.length > 0) {
    console.error(`The ledger has ${ledger.problems.length} problem(s):\n${ledger.problems.map((p) => `  ${p}`).join('\n')}`);
    return 2;
  }
  if (values.add) return add(ledger, values.add, values.group);
  if (!corpusAvailable()) console.error('note: the shared corpus is not beside the repository; its files are left out of these numbers.\n');
  const comparison = compare(ledger);
  const onRule = (row: Row) => !values.rule || row.finding.rule === values.rule;

  if (values.update) {
    const changes = recordFixes(ledger, comparison);
    writeLedger(ledger);
    console.log(changes.length === 0 ? 'Nothing to record.' : changes.join('\n'));
    return 0;
  }
  if (values.retire) {
    if (!values.why) {
      console.error('--retire needs --why "where the fact went"');
      return 2;
    }
    const changes = retire(comparison, values.retire, values.why);
    writeLedger(ledger);
    console.log(changes.length === 0 ? `No lost TP of ${values.retire}.` : changes.join('\n'));
    return 0;
  }
  if (values.unjudged) return unjudged(ledger, comparison, onRule, values.write ?? false);
  if (values.fp) return falseKinds(ledger, comparison, onRule);
  if (values.show) return show(ledger, comparison, values.show, values.rule);
  if (values.problems) {
    for (const problem of comparison.problems) console.log(`${problem.kind}: ${problem.message}`);
    console.log(`${comparison.problems.length} problem(s).`);
    return comparison.problems.length === 0 ? 0 : 1;
  }
  printTables(ledger, comparison);
  return 0;
}

function add(ledger: Ledger, ledgerPath: string, group: string | undefined): number {
  if (!FILE_GROUPS.includes(group as FileGroup)) {
    console.error(`--add needs --group ${FILE_GROUPS.join('|')}`);
    return 2;
  }
  if (ledger.files.some((f) => f.path === ledgerPath)) {
    console.error(`${ledgerPath} is already in the ledger`);
    return 2;
  }
  ledger.files.push({ path: ledgerPath, group: group as FileGroup, judgements: [] });
  writeLedger(ledger);
  console.log(`Added ${ledgerPath}; now run \`npm run precision -- --unjudged --write\` and judge its findings.`);
  return 0;
}

function unjudged(ledger: Ledger, comparison: Comparison, onRule: (row: Row) => boolean, write: boolean): number {
  const rows = unjudgedRows(comparison).filter(onRule);
  if (rows.length === 0) {
    console.log('Every finding is judged.');
    return 0;
  }
  if (write) {
    const notes = addStubs(rows);
    writeLedger(ledger, undefined, notes);
    console.log(`Added ${rows.length} "?" stub(s) to test/realworld/ledger/: set verdict (TP, FP, FP-severity + should) and why, and kind for false ones.`);
    return 0;
  }
  for (const [file, fileRows] of groupBy(rows, (row) => row.file.path)) {
    console.log(`${file}:   # in ledger/${fileRows[0].file.group}.yaml`);
    for (const row of fileRows) {
      const f = row.finding;
      console.log(`  # ${f.severity} ${f.rule}: ${f.message}`);
      console.log(`  #   line ${f.line}: ${sourceLine(file, f.line)}`);
      if (row.judgement && row.judgement.verdict !== '?') console.log(`  #   judged before at ${row.judgement.severity}: ${row.judgement.verdict} — ${row.judgement.why}`);
      console.log(`  - ${formatJudgement({ at: f.at, rule: f.rule, severity: f.severity, verdict: '?', why: '' })}`);
    }
  }
  console.log(`\n${rows.length} unjudged finding(s).`);
  return 0;
}

function falseKinds(ledger: Ledger, comparison: Comparison, onRule: (row: Row) => boolean): number {
  const wrong = comparison.rows.filter((row) => onRule(row) && (row.standing === 'wrong' || row.standing === 'wrong-severity'));
  const byKind = groupBy(wrong, (row) => row.judgement?.kind ?? (row.standing === 'wrong-severity' ? 'severity' : 'unclassified'));
  const kinds = [...byKind].sort((a, b) => b[1].length - a[1].length);
  for (const [kind, rows] of kinds) {
    console.log(`\n## ${kind} — ${rows.length} finding(s)`);
    if (ledger.policy.kinds[kind]) console.log(ledger.policy.kinds[kind]);
    for (const [rule, ruleRows] of [...groupBy(rows, (row) => row.finding.rule)].sort((a, b) => b[1].length - a[1].length)) {
      const severities = [...groupBy(ruleRows, (row) => row.finding.severity)].map(([s, r]) => `${r.length} ${s}`).join(', ');
      console.log(`- ${rule}: ${ruleRows.length} (${severities})`);
      const examples = pickExamples(ruleRows, 3);
      for (const row of examples) console.log(`    ${row.file.path}:${row.finding.at} — ${row.judgement?.why ?? ''}`);
    }
  }
  console.log(`\n${wrong.length} wrong finding(s).`);
  return 0;
}

/** Examples from different files first, so one big file does not fill the list. */
function pickExamples(rows: readonly Row[], count: number): Row[] {
  const picked: Row[] = [];
  const files = new Set<string>();
  for (const row of rows) if (picked.length < count && !files.has(row.file.path)) (picked.push(row), files.add(row.file.path));
  for (const row of rows) if (picked.length < count && !picked.includes(row)) picked.push(row);
  return picked;
}

function show(ledger: Ledger, comparison: Comparison, ledgerPath: string, rule: string | undefined): number {
  const rows = comparison.rows.filter((row) => row.file.path === ledgerPath && (!rule || row.finding.rule === rule));
  if (!comparison.scans.has(ledgerPath)) {
    console.error(`${ledgerPath} is not in the ledger (or could not be scanned)`);
    return 2;
  }
  for (const row of rows) {
    const f = row.finding;
    const j = row.judgement;
    console.log(`${f.at.padEnd(8)} ${f.severity.padEnd(7)} ${f.rule.padEnd(7)} ${(j ? j.verdict + (j.should ? `→${j.should}` : '') : 'unjudged').padEnd(16)} ${j?.why ?? ''}`);
    console.log(`         ${f.message}`);
    console.log(`         line ${f.line}: ${sourceLine(ledgerPath, f.line)}`);
  }
  const keys = new Set(rows.map((row) => judgementKey(row.finding)));
  const file = ledger.files.find((f) => f.path === ledgerPath);
  for (const j of file?.judgements ?? []) if (!keys.has(judgementKey(j)) && (!rule || j.rule === rule)) console.log(`${j.at.padEnd(8)} ${j.severity.padEnd(7)} ${j.rule.padEnd(7)} ${`${j.verdict}, not reported`.padEnd(16)} ${j.gone ?? j.why}`);
  return 0;
}

const SEVERITY_ORDER = ['error', 'warning', 'info'];

function printTables(ledger: Ledger, comparison: Comparison): void {
  const rows = comparison.rows;
  const all = tally(rows);
  const corpusFiles = ledger.files.filter((f) => f.path.startsWith('corpus/')).length;
  console.log(`Ledger: ${ledger.files.length} files (${corpusFiles} from the shared corpus, ${ledger.files.length - corpusFiles} collected in test/realworld/files), ${all.findings} findings reported today, ${all.judged} judged, ${all.unjudged} unjudged.`);
  if (comparison.skipped.length > 0) console.log(`Left out (shared corpus missing): ${comparison.skipped.length} files.`);
  console.log('"wrong" counts findings judged false (FP) plus right findings at the wrong severity (FP-severity); % wrong is of the judged ones.\n');

  console.log('By severity\n');
  printTable('severity', [...groupBy(rows, (row) => row.finding.severity)].sort((a, b) => SEVERITY_ORDER.indexOf(a[0]) - SEVERITY_ORDER.indexOf(b[0])), all);

  console.log('\nBy rule\n');
  printTable('rule', [...groupBy(rows, (row) => row.finding.rule)].sort((a, b) => a[0].localeCompare(b[0])), all);

  console.log('\nBy file kind\n');
  const header = '| kind | files | findings | error | warning | info | wrong | % wrong | unjudged |';
  console.log(header);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const group of FILE_GROUPS) {
    const groupRows = rows.filter((row) => row.file.group === group);
    const t = tally(groupRows);
    const files = ledger.files.filter((f) => f.group === group && comparison.scans.has(f.path)).length;
    const bySeverity = (severity: string) => groupRows.filter((row) => row.finding.severity === severity).length;
    console.log(`| ${group} | ${files} | ${t.findings} | ${bySeverity('error')} | ${bySeverity('warning')} | ${bySeverity('info')} | ${t.wrong + t.wrongSeverity} | ${percentWrong(t)} | ${t.unjudged} |`);
  }
  const problems = comparison.problems.length;
  if (problems > 0) console.log(`\n${problems} ledger problem(s): the ledger test fails; see \`npm run precision -- --problems\`.`);
}

function printTable(label: string, groups: Array<[string, Row[]]>, all: Tally): void {
  console.log(`| ${label} | findings | wrong | % wrong | of which wrong severity | unjudged |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [key, rows] of groups) {
    const t = tally(rows);
    console.log(`| ${key} | ${t.findings} | ${t.wrong + t.wrongSeverity} | ${percentWrong(t)} | ${t.wrongSeverity} | ${t.unjudged} |`);
  }
  console.log(`| **all** | ${all.findings} | ${all.wrong + all.wrongSeverity} | ${percentWrong(all)} | ${all.wrongSeverity} | ${all.unjudged} |`);
}

// `npm run precision | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = main();
