import { strict as assert } from 'node:assert';
import { analyzeText } from '../../server/src/analysis/engine';
import type { Finding } from '../../server/src/core/types';
import { findInterpolations, splitShortSyntax, valueWhenUnset } from '../../server/src/model/interpolation';
import { dockerfileUser } from '../../server/src/model/dockerfile';
import { applyEdits, FIXTURE_OPTIONS } from '../fixtureSupport';

function findingsOf(ruleId: string, text: string): Finding[] {
  return analyzeText(text, FIXTURE_OPTIONS).filter((finding) => finding.ruleId === ruleId);
}

function textAt(text: string, finding: Finding): string {
  return text.slice(finding.range.start, finding.range.end);
}

const service = (body: string) => `services:\n  app:\n    image: example/app:1.0.0\n${body}`;

describe('compose interpolation and short syntax: one parser', () => {
  it('splits short syntax at colons outside ${…} and outside a bracketed IPv6 address', () => {
    const parts = (text: string) => splitShortSyntax(text, ':').map((part) => part.text);
    assert.deepEqual(parts('${PROJECT_DIR:-.}/dags:/opt/app/dags'), ['${PROJECT_DIR:-.}/dags', '/opt/app/dags']);
    assert.deepEqual(parts('${BIND_IP:-0.0.0.0}:6379:6379'), ['${BIND_IP:-0.0.0.0}', '6379', '6379']);
    assert.deepEqual(parts('${HTTP_BIND:-}:9000:9000'), ['${HTTP_BIND:-}', '9000', '9000']);
    assert.deepEqual(parts('[::1]:8080:80'), ['[::1]', '8080', '80']);
    assert.deepEqual(parts('${A:-${B:-x:y}}:/data:ro'), ['${A:-${B:-x:y}}', '/data', 'ro']);
    assert.deepEqual(parts('$${NOT_A_VARIABLE}:/x'), ['$${NOT_A_VARIABLE}', '/x']);
  });

  it('reads the value compose uses when variables are unset, and says when the environment decides', () => {
    assert.equal(valueWhenUnset('${BIND_IP:-0.0.0.0}'), '0.0.0.0');
    assert.equal(valueWhenUnset('${HTTP_BIND:-}'), '');
    assert.equal(valueWhenUnset('${A:-${B:-nested}}/x'), 'nested/x');
    assert.equal(valueWhenUnset('${TAG-1.2}'), '1.2');
    assert.equal(valueWhenUnset('${FEATURE:+on}'), '');
    assert.equal(valueWhenUnset('price $$5'), 'price $5');
    assert.equal(valueWhenUnset('${BIND_IP}'), undefined);
    assert.equal(valueWhenUnset('$HOME/.ssh'), undefined);
    assert.equal(valueWhenUnset('${TOKEN:?set it}'), undefined);
  });

  it('finds nested interpolations whole and skips escaped dollars', () => {
    const found = findInterpolations('a ${A:-${B:-x}} $${C} ${D}', 0);
    assert.deepEqual(found.map((i) => [i.variable, i.operator, i.argument]), [['A', ':-', '${B:-x}'], ['D', '', '']]);
  });
});

describe('every rule that reads compose short syntax understands interpolated forms', () => {
  it('BND001: a port on a defaulted host IP or port publishes on every interface', () => {
    const text = service('    ports:\n      - "${ADMIN_PORT:-8080}:8080"\n      - "${HTTP_BIND:-}:9000:9000"\n      - "${LOCAL_IP:-127.0.0.1}:7000:7000"\n      - "${BIND_IP}:7001:7001"\n');
    const findings = findingsOf('BND001', text);
    assert.deepEqual(findings.map((f) => textAt(text, f)), ['${ADMIN_PORT:-8080}:8080', '${HTTP_BIND:-}:9000:9000']);
    assert.match(findings[1].message, /unless HTTP_BIND is set/);
    // The quick fix keeps the variable and makes loopback its default.
    assert.ok(applyEdits(text, findings[1].fixes![0].edits).includes('"${HTTP_BIND:-127.0.0.1}:9000:9000"'));
  });

  it('BND002: a datastore published on a defaulted wildcard address is reported', () => {
    const text = 'services:\n  cache:\n    image: redis:7.4.1\n    ports:\n      - "${BIND_IP:-0.0.0.0}:6379:6379"\n';
    const [finding] = findingsOf('BND002', text);
    assert.equal(textAt(text, finding), '${BIND_IP:-0.0.0.0}:6379:6379');
    assert.equal(finding.severity, 'error', 'Redis without a password is open as written');
    assert.match(finding.message, /all host interfaces unless BIND_IP is set, and it runs Redis with no password/);
  });

  it('BND009: a host-level service publishing on a defaulted wildcard address is reported', () => {
    const text = service('    network_mode: host\n    privileged: true\n    ports:\n      - "${METRICS_BIND:-0.0.0.0}:9100:9100"\n');
    assert.equal(findingsOf('BND009', text).length, 1);
  });

  it('IMM004: a volume under a defaulted project directory points at the whole source', () => {
    const text = service('    volumes:\n      - ${PROJECT_DIR:-.}/dags:/opt/app/dags\n');
    const [finding] = findingsOf('IMM004', text);
    assert.equal(textAt(text, finding), '${PROJECT_DIR:-.}/dags');
    assert.match(finding.message, /host path \$\{PROJECT_DIR:-\.\}\/dags at \/opt\/app\/dags/);
  });

  it('TCB007: a runtime socket mounted from a variable is reported by its default or by where it lands', () => {
    const text = service('    volumes:\n      - ${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock\n      - ${SOCKET}:/run/containerd/containerd.sock:ro\n');
    assert.deepEqual(findingsOf('TCB007', text).map((f) => textAt(text, f)), ['${DOCKER_SOCK:-/var/run/docker.sock}', '${SOCKET}']);
  });

  it('TCB008: a sensitive host path given as a default, and a raw disk mapped as a device, are reported', () => {
    const text = service('    volumes:\n      - ${HOST_ETC:-/etc}:/host/etc:ro\n    devices:\n      - "${DISK:-/dev/sda}:/dev/xvda:rwm"\n');
    const findings = findingsOf('TCB008', text);
    assert.deepEqual(findings.map((f) => [textAt(text, f), f.severity]), [['${HOST_ETC:-/etc}', 'warning'], ['${DISK:-/dev/sda}', 'error']]);
    assert.match(findings[1].message, /maps host device \$\{DISK:-\/dev\/sda\} writable: it hands a raw disk of the host/);
  });

  it('a named volume chosen by a default is no host path', () => {
    const text = service('    volumes:\n      - ${DATA_VOLUME:-appdata}:/etc/app\n');
    assert.deepEqual(findingsOf('IMM004', text), []);
    assert.deepEqual(findingsOf('TCB008', text), []);
  });

  it('FF003: an env_file of secrets marked optional is reported in the long form', () => {
    const text = service('    env_file:\n      - path: ${SECRETS_DIR:-.}/secrets.env\n        required: false\n');
    assert.equal(findingsOf('FF003', text).length, 1);
  });

  it('IMM001: a tag chosen by a variable is judged by its default', () => {
    const text = 'services:\n  app:\n    image: appwrite/appwrite:${_APP_VERSION:-latest}\n  pinned:\n    image: appwrite/appwrite:${_APP_VERSION:-1.6.0}\n  env:\n    image: appwrite/appwrite:${_APP_VERSION}\n';
    const findings = findingsOf('IMM001', text);
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /mutable tag latest \(the default when its variables are unset\)/);
  });
});

describe('the Dockerfile user', () => {
  it('is the USER of the last stage, inherited through FROM <stage>, with ARG and ENV defaults read', () => {
    assert.deepEqual(dockerfileUser('FROM node:22 AS build\nUSER node\nFROM build AS final\nCMD ["node"]\n'), { user: 'node', root: false, baseImage: 'node:22', line: 2 });
    assert.equal(dockerfileUser('ARG APP_USER=graylog\nFROM eclipse-temurin:21\nARG APP_USER\nUSER ${APP_USER}\n')?.user, 'graylog');
    assert.equal(dockerfileUser('FROM alpine:3.20\nENV RUN_AS=0\nUSER $RUN_AS\n')?.root, true);
    assert.equal(dockerfileUser('FROM alpine:3.20\nUSER 1000\nFROM debian:12\nRUN true\n')?.user, undefined, 'a later stage from an image starts over');
    assert.equal(dockerfileUser('FROM debian:12\nRUN apt-get update && \\\n    # a comment inside\n    apt-get install -y curl\nUSER 65532:65532\n')?.user, '65532:65532');
    assert.equal(dockerfileUser('# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo `\n  hi\nUSER ContainerUser\n')?.user, 'ContainerUser');
  });

  it('follows the build target when one is named', () => {
    const text = 'FROM node:22 AS dev\nUSER root\nFROM node:22 AS prod\nUSER node\n';
    assert.equal(dockerfileUser(text)?.user, 'node');
    assert.equal(dockerfileUser(text, 'dev')?.root, true);
  });

  it('is undefined for text that is no Dockerfile', () => {
    assert.equal(dockerfileUser('just some text\n'), undefined);
  });
});
