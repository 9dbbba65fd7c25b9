import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSegment, splitDocuments } from '../../server/src/core/parse';
import { buildComposeModel, composeServiceUses, composeServiceUsers, type ComposeModel } from '../../server/src/model/compose';
import { isDatastore } from '../../server/src/model/names';

const repoRoot = path.join(__dirname, '..', '..');
const corpus = path.join(repoRoot, '..', 'shared', 'corpus', 'compose');

function models(text: string): ComposeModel[] {
  return splitDocuments(text).flatMap((segment) => parseSegment(segment).trees.flatMap((tree) => buildComposeModel(tree) ?? []));
}

/** The index against the pairwise definition it stands for: every client, every server. */
function assertSameAnswers(model: ComposeModel, label: string): number {
  const servers = model.services.filter((service, index) => isDatastore(service.image?.value) || index % 2 === 0);
  const clients = model.services.filter((service) => !servers.includes(service));
  const users = composeServiceUsers(model.tree, clients, servers);
  for (const server of servers) {
    const expected = clients.filter((client) => composeServiceUses(model.tree, client, server) !== false).map((client) => client.name);
    assert.deepEqual([...users.get(server)!].map((client) => client.name).sort(), expected.sort(), `${label}: users of "${server.name}"`);
  }
  return servers.length * clients.length;
}

describe('composeServiceUsers (the BND003 index) answers as composeServiceUses does pair by pair', () => {
  it('on names, host names, aliases, dotted and upper-case mentions, password variables, variable hosts and env_files', () => {
    const text = `services:
  db:
    image: postgres:16.4
    hostname: Primary-DB
    environment:
      POSTGRES_PASSWORD: \${PG_PASSWORD}
  cache:
    image: redis:7.4
    networks:
      backend:
        aliases: [sessions.internal, kv]
  search:
    image: elasticsearch:8.15.0
    container_name: es-node
  api:
    image: example/api:2.3.1
    environment:
      DATABASE_URL: postgres://app@primary-db:5432/app
      SESSIONS: redis://sessions.internal:6379
  worker:
    image: example/worker:1.0.0
    depends_on: [cache]
    command: ["sh", "-c", "wait-for es-node.local:9200 && run"]
  reporter:
    image: example/reporter:1.0.0
    environment:
      PASSWORD: \${PG_PASSWORD}
      OTHER: x.kv and kv-store and KV
  dotted:
    image: example/dotted:1.0.0
    environment:
      TARGET: api.db
  variable:
    image: example/variable:1.0.0
    environment:
      DB_HOST: \${DB_HOST}
  reads-env-file:
    image: example/env:1.0.0
    env_file: .env
  bare:
`;
    const [model] = models(text);
    assert.ok(assertSameAnswers(model, 'fixture') > 0);
    const users = composeServiceUsers(model.tree, model.services.filter((s) => !isDatastore(s.image?.value)), model.services.filter((s) => isDatastore(s.image?.value)));
    const byName = (name: string) => [...users.get(model.services.find((s) => s.name === name)!)!].map((s) => s.name).sort();
    assert.deepEqual(byName('db'), ['api', 'reads-env-file', 'reporter', 'variable']);
    assert.deepEqual(byName('cache'), ['api', 'reads-env-file', 'reporter', 'variable', 'worker']);
    assert.deepEqual(byName('search'), ['reads-env-file', 'variable', 'worker']);
  });

  it('on every compose file of the corpus', function () {
    if (!fs.existsSync(corpus)) {
      if (process.env.CI === 'true') throw new Error('the shared corpus is missing');
      console.log('    (skipped: the shared corpus is not beside the repository)');
      this.skip();
    }
    let pairs = 0;
    for (const name of fs.readdirSync(corpus).filter((file) => /\.ya?ml$/.test(file))) {
      for (const model of models(fs.readFileSync(path.join(corpus, name), 'utf8'))) pairs += assertSameAnswers(model, name);
    }
    assert.ok(pairs > 300, `only ${pairs} pairs compared`);
  });
});
