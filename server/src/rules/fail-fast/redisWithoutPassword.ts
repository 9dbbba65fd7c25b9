import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import type { Fix } from '../../core/types';
import { checkEveryProcessSite, findInScalars, startupFacts, type ProcessSite } from '../shared/workloads';
import { redisWithoutPassword } from '../../model/authentication';
import type { RuleContext } from '../rule';
import { isCredentialName } from '../../model/names';

/** Images whose server binary we can name when adding a command (redis-stack wraps its own). */
const SERVER_BINARY = /(?:^|\/)(redis|valkey|keydb)(?::|@|$)/;
const PROTECTED_MODE_OFF = /--protected-mode[= ]+(?:no|false|0)\b/;

export const redisNoPassword = defineRule({
  id: 'FF005',
  pattern: 'FF',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'Redis runs without a password',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: [],
  guidance: {
    why: 'Redis (and Valkey, KeyDB) accept every command from every client unless `requirepass` or ACLs are set, and the official image switches protected mode off so it listens to the whole network. Anything that reaches it reads the cache or the session store, and `CONFIG SET dir` turns that into writing files. It starts without complaint: nothing fails fast. A server started by a script the file does not show (a mounted start-up script, a shell command using a password variable) is not judged: the script may set the password.',
    fix: 'Start it with a password from your secret store: `command: ["redis-server", "--requirepass", "${REDIS_PASSWORD:?REDIS_PASSWORD must be set}"]` (or an ACL file / a mounted redis.conf), and give clients the same secret.',
    bad: 'services:\n  cache:\n    image: redis:7.4.1',
    good: 'services:\n  cache:\n    image: redis:7.4.1\n    command: ["redis-server", "--requirepass", "${REDIS_PASSWORD:?REDIS_PASSWORD must be set}"]',
  },
  ...checkEveryProcessSite(report),
});

function report(site: ProcessSite, context: RuleContext): void {
  if (!site.imageRange || !redisWithoutPassword(startupFacts(site), (name) => isCredentialName(name))) return;
  const protectedModeOff = findInScalars(site.tree, site.commandScalars, PROTECTED_MODE_OFF)[0];
  const requirePassword = '--requirepass ${REDIS_PASSWORD:?REDIS_PASSWORD must be set}';
  // Clients must be given the same secret, so the fix is offered, never applied in bulk.
  let fixes: Fix[] = [];
  if (protectedModeOff && protectedModeOff.scalar.type !== 'QUOTE_SINGLE') {
    fixes = fix('Require a password (--requirepass from REDIS_PASSWORD)', [{ ...protectedModeOff.range, newText: requirePassword }], false);
  } else if (!protectedModeOff && site.commandScalars.length === 0 && site.service?.node) {
    const server = SERVER_BINARY.exec(site.image ?? '')?.[1] ?? 'redis';
    const command = `["${server}-server", "--requirepass", "\${REDIS_PASSWORD:?REDIS_PASSWORD must be set}"]`;
    fixes = fix('Start it with --requirepass from REDIS_PASSWORD', [setMapValue(site.tree, site.service.node, 'command', command)], false);
  }
  context.report({
    fixes,
    range: protectedModeOff?.range ?? site.imageRange,
    message: protectedModeOff
      ? `${site.label} runs Redis with protected mode off and no password (no --requirepass or ACL): every client that reaches it can read, change and reconfigure it.`
      : `${site.label} runs Redis with no password (no --requirepass, ACL file or redis.conf): every client that reaches it can read, change and reconfigure it.`,
  });
}
