import { defineRule, type RuleContext } from '../rule';
import { scalarText, valueTextRange } from '../../core/tree';
import { checkEveryProcessSite, findInScalars, type ProcessSite } from '../shared/workloads';

/** Commands that change the code or packages of a container after it started. */
const RUNTIME_CHANGE = new RegExp(
  [
    '\\bgit\\s+(?:-C\\s+\\S+\\s+)?(?:pull|clone|fetch|checkout)\\b',
    '\\b(?:apt-get|apt|aptitude)\\s+(?:-\\S+\\s+)*install\\b',
    '\\bapk\\s+(?:-\\S+\\s+)*add\\b',
    '\\b(?:yum|dnf|microdnf|zypper)\\s+(?:-\\S+\\s+)*install\\b',
    '\\bpacman\\s+-S',
    '\\b(?:pip3?|python3?\\s+-m\\s+pip|uv\\s+pip|pipenv|poetry)\\s+(?:-\\S+\\s+)*(?:install|sync)\\b',
    '\\b(?:npm\\s+(?:install|i|ci|update)|yarn(?:\\s+install|\\s+add)|pnpm\\s+(?:install|i|add)|bun\\s+(?:install|add))(?=\\s|$|;|&|\\|)',
    '\\b(?:gem|bundle|composer|cargo)\\s+(?:-\\S+\\s+)*(?:install|require|update)\\b',
    '\\bgo\\s+(?:get|install)\\b',
    '\\b(?:curl|wget)\\b[^|;&]*\\|\\s*(?:sudo\\s+)?(?:ba|z|da)?sh\\b',
  ].join('|'),
  'i',
);

export const selfModifyingStartup = defineRule({
  id: 'IMM005',
  pattern: 'IMM',
  severity: 'warning',
  title: 'Container changes its own code or packages at startup',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  guidance: {
    why: 'A command that runs `git pull`, `apt-get install`, `pip install` or `curl … | sh` when the container starts is "ssh in, git pull, restart" moved inside the container: every start can run different code, fetched from the network at that moment, and a rollback does not roll it back. Immutable infrastructure builds once, into a versioned image, and starts exactly that.',
    fix: 'Move the install or checkout into the Dockerfile (or a CI build step), tag the resulting image with a version, and make the command only start the process.',
    bad: 'services:\n  api:\n    image: python:3.12.7-slim\n    command: sh -c "pip install -r requirements.txt && python app.py"',
    good: 'services:\n  api:\n    image: registry.example.com/api:2.3.1\n    command: ["python", "app.py"]',
  },
  ...checkEveryProcessSite(report),
});

function report(site: ProcessSite, context: RuleContext): void {
  const found = findInScalars(site.tree, site.commandScalars, RUNTIME_CHANGE)[0] ?? acrossArguments(site);
  if (!found) return;
  const command = found.text.replace(/\s+/g, ' ').trim();
  context.report({
    range: found.range,
    message: `${site.label} runs \`${command}\` when it starts: the code it runs is fetched at that moment instead of built into a versioned image, so two starts can run different code.`,
  });
}

/** `command: ["npm", "install"]`: the words are separate arguments; point at the first one. */
function acrossArguments(site: ProcessSite): { text: string; range: { start: number; end: number } } | undefined {
  let line = '';
  const starts: number[] = [];
  for (const scalar of site.commandScalars) {
    starts.push(line.length);
    line += `${scalarText(scalar) ?? ''} `;
  }
  const match = RUNTIME_CHANGE.exec(line);
  if (!match) return undefined;
  let index = 0;
  while (index + 1 < starts.length && starts[index + 1] <= match.index) index++;
  const range = valueTextRange(site.tree.text, site.commandScalars[index]);
  return range ? { text: match[0], range } : undefined;
}
