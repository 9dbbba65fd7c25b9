import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from '../core/yaml';
import { rangeOf, scalarText, valueTextRange, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { readComposeEnvironment, type EnvVar } from './common';
import { splitShortSyntax, valueWhenUnset } from './interpolation';
import { imageRepository } from './images';
import { dockerfileUser, type DockerfileUser } from './dockerfile';

export interface ComposePort {
  readonly node: Node;
  readonly range: OffsetRange;
  /** Host interface the port is bound to; undefined means all interfaces. */
  readonly hostIp?: string;
  readonly published?: string;
  readonly target?: string;
  readonly protocol?: string;
  readonly form: 'short' | 'long';
}

export interface ComposeVolume {
  readonly node: Node;
  readonly range: OffsetRange;
  readonly type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** The source as written (may hold interpolation: `${PROJECT_DIR:-.}/dags`). */
  readonly source?: string;
  readonly target?: string;
  readonly readOnly: boolean;
  /**
   * Bind propagation as written (`shared`, `rshared`, `slave`, `rslave`, `private`, `rprivate`):
   * the short syntax's mode option or the long syntax's `bind.propagation`, with where it is written.
   */
  readonly propagation?: { readonly value: string; readonly range: OffsetRange };
  readonly form: 'short' | 'long';
}

/** Propagation modes of a bind mount (compose-spec "volumes", Docker's bind propagation). */
const PROPAGATION_MODES = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

/** A `devices:` entry: a host device made available in the container (`/dev/ttyUSB0:/dev/ttyUSB0:rwm`). */
export interface ComposeDevice {
  readonly node: Node;
  readonly range: OffsetRange;
  /** The host device path as written. */
  readonly source: string;
  readonly target?: string;
  /** cgroup permissions (`rwm` when not written). */
  readonly permissions: string;
}

/** `build:` of a service: what is built in the workspace instead of pulled. */
export interface ComposeBuild {
  /** The `build` key: where findings about the build point. */
  readonly keyRange: OffsetRange;
  /** The build context as written (`.` when only a Dockerfile is given). */
  readonly context: string;
  /** The Dockerfile as written, relative to the context (`Dockerfile` when not written). */
  readonly dockerfile: string;
  /** Whether the Dockerfile is given inline (`dockerfileUserinline`) or the context is remote (a URL). */
  readonly outOfWorkspace: boolean;
  /** `target:` stage, when the build stops at a named stage instead of the last one. */
  readonly target?: string;
  /** The Dockerfile's path relative to the compose file's folder (`./api/Dockerfile`), as the host is asked for it. */
  readonly dockerfilePath: string;
  /**
   * What the Dockerfile says about the user, when the host supplied its text (the CLI reads it
   * next to the compose file, the language server from its workspace index); undefined when the
   * Dockerfile was not available.
   */
  readonly dockerfileUser?: DockerfileUser;
}

/**
 * Reads a file a compose document refers to (a build's Dockerfile), by its path relative to the
 * compose file's folder; undefined when the host has no such file. Supplied by the host, so the
 * model stays free of I/O.
 */
export type BuildFileReader = (relativePath: string) => string | undefined;

export interface ComposeNamedRef {
  readonly name: string;
  readonly node: Node;
  readonly range: OffsetRange;
}

export interface ComposeService {
  readonly name: string;
  /** The service's key: where findings about something missing point. */
  readonly key: Scalar;
  readonly keyRange: OffsetRange;
  /** The definition map; undefined while the user has only typed the name. */
  readonly node: YAMLMap | undefined;
  readonly image?: { readonly value: string; readonly node: Scalar; readonly range: OffsetRange };
  readonly environment: readonly EnvVar[];
  readonly ports: readonly ComposePort[];
  readonly volumes: readonly ComposeVolume[];
  readonly devices: readonly ComposeDevice[];
  /** `env_file:` paths as written (short string, list, or long `path:` form). */
  readonly envFiles: readonly ComposeNamedRef[];
  readonly build?: ComposeBuild;
  /** Networks the service joins; empty means the project's default network. */
  readonly networks: readonly ComposeNamedRef[];
  readonly secrets: readonly ComposeNamedRef[];
}

export interface ComposeModel {
  readonly kind: 'compose';
  readonly tree: YamlTree;
  readonly root: YAMLMap;
  readonly servicesKey: Scalar;
  readonly services: readonly ComposeService[];
  /** Top-level `networks:` definitions. */
  readonly networks: readonly ComposeNamedRef[];
  /** Top-level `secrets:` definitions. */
  readonly secrets: readonly ComposeNamedRef[];
  /**
   * Set on a one-service view of a document (what the analysis runs a service-scoped rule on,
   * `Rule.composeScope`): the model of the whole document, for facts read once per document.
   */
  readonly document?: ComposeModel;
}

export function buildComposeModel(tree: YamlTree, readBuildFile?: BuildFileReader): ComposeModel | undefined {
  const root = tree.root;
  if (!isMap(root)) return undefined;
  const servicesPair = tree.pair(root, 'services');
  if (!servicesPair || !isScalar(servicesPair.key)) return undefined;
  const services: ComposeService[] = [];
  for (const [key, value] of tree.entries(servicesPair.value)) {
    services.push(buildService(tree, key, isMap(value) ? value : undefined, readBuildFile));
  }
  return {
    kind: 'compose',
    tree,
    root,
    servicesKey: servicesPair.key,
    services,
    networks: namedEntries(tree, tree.get(root, 'networks')),
    secrets: namedEntries(tree, tree.get(root, 'secrets')),
  };
}

function buildService(tree: YamlTree, key: Scalar, node: YAMLMap | undefined, readBuildFile: BuildFileReader | undefined): ComposeService {
  const imageNode = node ? tree.scalar(node, 'image') : undefined;
  const imageText = scalarText(imageNode);
  return {
    name: String(key.value),
    key,
    keyRange: rangeOf(key) ?? { start: 0, end: 0 },
    node,
    image: imageNode && imageText !== undefined ? { value: imageText, node: imageNode, range: valueTextRange(tree.text, imageNode) ?? { start: 0, end: 0 } } : undefined,
    environment: node ? readComposeEnvironment(tree, tree.get(node, 'environment')) : [],
    ports: node ? readPorts(tree, tree.get(node, 'ports')) : [],
    volumes: node ? readVolumes(tree, tree.get(node, 'volumes')) : [],
    devices: node ? readDevices(tree, tree.get(node, 'devices')) : [],
    envFiles: node ? readEnvFiles(tree, tree.get(node, 'env_file')) : [],
    build: node ? readBuild(tree, node, readBuildFile) : undefined,
    networks: node ? namedRefs(tree, tree.get(node, 'networks')) : [],
    secrets: node ? namedRefs(tree, tree.get(node, 'secrets'), 'source') : [],
  };
}

/** `networks: [a, b]`, `networks: {a: {...}}` and `secrets: [{source: x}]` all give names with nodes. */
function namedRefs(tree: YamlTree, node: Node | undefined, longKey = ''): ComposeNamedRef[] {
  if (isMap(node)) return namedEntries(tree, node);
  const refs: ComposeNamedRef[] = [];
  for (const item of tree.items(node)) {
    if (isScalar(item)) {
      const name = scalarText(item);
      const range = rangeOf(item);
      if (name !== undefined && range) refs.push({ name, node: item, range });
    } else if (isMap(item) && longKey) {
      const source = tree.scalar(item, longKey);
      const name = scalarText(source);
      const range = rangeOf(source);
      if (name !== undefined && range && source) refs.push({ name, node: source, range });
    }
  }
  return refs;
}

function namedEntries(tree: YamlTree, node: Node | undefined): ComposeNamedRef[] {
  return tree.entries(node).flatMap(([key, value]) => {
    const range = rangeOf(key);
    return range ? [{ name: String(key.value), node: (value ?? key) as Node, range }] : [];
  });
}

/**
 * Ports in short syntax (`[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]`, compose-spec "ports") and long
 * syntax. Parts are split by the one short-syntax parser, so `"${BIND_IP:-0.0.0.0}:6379:6379"` and
 * `"${ADMIN_PORT:-8080}:8080"` keep their interpolations whole.
 */
function readPorts(tree: YamlTree, node: Node | undefined): ComposePort[] {
  const ports: ComposePort[] = [];
  for (const item of tree.items(node)) {
    const range = rangeOf(item);
    if (!range) continue;
    if (isScalar(item)) {
      const text = scalarText(item);
      if (text === undefined) continue;
      const [spec, ...protocol] = splitShortSyntax(text.trim(), '/');
      const parts = splitShortSyntax(spec.text, ':').map((part) => part.text);
      const target = parts[parts.length - 1];
      const published = parts.length >= 2 ? parts[parts.length - 2] : undefined;
      // More than three parts: an unbracketed IPv6 host address (`::1:8080:80`).
      const hostIp = parts.length >= 3 ? parts.slice(0, parts.length - 2).join(':').replace(/^\[|\]$/g, '') : undefined;
      if (target.trim() === '') continue;
      ports.push({ node: item, range, hostIp, published: published === '' ? undefined : published, target, protocol: protocol.map((part) => part.text).join('/') || undefined, form: 'short' });
    } else if (isMap(item)) {
      ports.push({
        node: item,
        range,
        hostIp: tree.string(item, 'host_ip'),
        published: tree.string(item, 'published'),
        target: tree.string(item, 'target'),
        protocol: tree.string(item, 'protocol'),
        form: 'long',
      });
    }
  }
  return ports;
}

/** A volume source that names a host path (compose-spec: starts with `.`, `/` or `~`), judged by its value when variables are unset. */
function isHostPath(source: string): boolean {
  const effective = valueWhenUnset(source);
  if (effective === undefined) return true; // `${DATA_DIR}/x`: a path chosen by the environment
  return /^(?:[./~]|[A-Za-z]:[\\/])/.test(effective.trim());
}

/** Volumes in short syntax (`SOURCE:TARGET[:MODE]`, interpolation kept whole) and long syntax. */
function readVolumes(tree: YamlTree, node: Node | undefined): ComposeVolume[] {
  const volumes: ComposeVolume[] = [];
  for (const item of tree.items(node)) {
    const range = rangeOf(item);
    if (!range) continue;
    if (isScalar(item)) {
      const text = scalarText(item);
      if (text === undefined) continue;
      const parts = windowsDriveJoined(splitShortSyntax(text, ':').map((part) => part.text));
      const hasSource = parts.length >= 2;
      const source = hasSource ? parts[0] : undefined;
      const target = hasSource ? parts[1] : parts[0];
      const mode = parts.length >= 3 ? parts.slice(2).join(':') : '';
      const options = splitShortSyntax(mode, ',');
      const propagation = options.find((option) => PROPAGATION_MODES.has(option.text.trim()));
      const inner = valueTextRange(tree.text, item);
      // The mode starts after SOURCE:TARGET: in the value; its source text is the value's when unquoted or simply quoted.
      const modeStart = inner && tree.text.slice(inner.start, inner.end) === text ? inner.start + text.length - mode.length : undefined;
      volumes.push({
        node: item,
        range,
        type: source === undefined ? 'volume' : isHostPath(source) ? 'bind' : 'volume',
        source,
        target,
        readOnly: options.some((option) => option.text.trim() === 'ro'),
        propagation: propagation && inner ? { value: propagation.text.trim(), range: modeStart !== undefined ? { start: modeStart + propagation.offset, end: modeStart + propagation.offset + propagation.text.length } : inner } : undefined,
        form: 'short',
      });
    } else if (isMap(item)) {
      const type = tree.string(item, 'type');
      const propagationNode = tree.get(tree.get(item, 'bind'), 'propagation');
      const propagation = scalarText(propagationNode);
      const propagationRange = valueTextRange(tree.text, propagationNode);
      volumes.push({
        node: item,
        range,
        type: type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : 'other',
        source: tree.string(item, 'source'),
        target: tree.string(item, 'target'),
        readOnly: tree.boolean(item, 'read_only') === true,
        propagation: propagation !== undefined && propagationRange ? { value: propagation.trim(), range: propagationRange } : undefined,
        form: 'long',
      });
    }
  }
  return volumes;
}

/** `C:\\data:/data` splits into `C`, `\\data`, `/data`: join the drive letter back. */
function windowsDriveJoined(parts: string[]): string[] {
  if (parts.length >= 3 && /^[A-Za-z]$/.test(parts[0]) && /^[\\/]/.test(parts[1])) return [`${parts[0]}:${parts[1]}`, ...parts.slice(2)];
  return parts;
}

/** `devices:` in short syntax (`HOST[:CONTAINER[:PERMISSIONS]]`) and the long `source`/`target` form. */
function readDevices(tree: YamlTree, node: Node | undefined): ComposeDevice[] {
  const devices: ComposeDevice[] = [];
  for (const item of tree.items(node)) {
    const range = rangeOf(item);
    if (!range) continue;
    if (isScalar(item)) {
      const text = scalarText(item);
      if (text === undefined || text.trim() === '') continue;
      const parts = splitShortSyntax(text.trim(), ':').map((part) => part.text);
      devices.push({ node: item, range, source: parts[0], target: parts[1], permissions: parts[2] ?? 'rwm' });
    } else if (isMap(item)) {
      const source = tree.string(item, 'source');
      if (source !== undefined) devices.push({ node: item, range, source, target: tree.string(item, 'target'), permissions: tree.string(item, 'permissions') ?? 'rwm' });
    }
  }
  return devices;
}

/** `env_file: .env`, `env_file: [a.env, b.env]` and `env_file: [{path: a.env, required: false}]`. */
function readEnvFiles(tree: YamlTree, node: Node | undefined): ComposeNamedRef[] {
  const files: ComposeNamedRef[] = [];
  for (const item of isScalar(node) ? [node] : tree.items(node)) {
    const pathNode = isMap(item) ? tree.get(item, 'path') : item;
    const name = scalarText(pathNode);
    const range = valueTextRange(tree.text, pathNode);
    if (name !== undefined && range && pathNode) files.push({ name, node: pathNode as Node, range });
  }
  return files;
}

/** `build: ./dir` or `build: {context, dockerfile, target}` (compose-spec "build"), with its Dockerfile's user when the host can read it. */
function readBuild(tree: YamlTree, node: YAMLMap, readBuildFile: BuildFileReader | undefined): ComposeBuild | undefined {
  const pair = tree.pair(node, 'build');
  const keyRange = pair ? rangeOf(pair.key) : undefined;
  if (!pair || !keyRange) return undefined;
  const value = tree.resolve(pair.value);
  const map = isMap(value) ? value : undefined;
  const context = (isScalar(value) ? scalarText(value) : map ? tree.string(map, 'context') : undefined) ?? '.';
  const dockerfile = (map ? tree.string(map, 'dockerfile') : undefined) ?? 'Dockerfile';
  const target = map ? tree.string(map, 'target') : undefined;
  const outOfWorkspace = isRemoteContext(context) || (map !== undefined && tree.pair(map, 'dockerfileUserinline') !== undefined) || /\$\{?[A-Za-z_]/.test(context + dockerfile);
  const dockerfilePath = joinPosix(context, dockerfile);
  const text = outOfWorkspace || !readBuildFile ? undefined : readBuildFile(dockerfilePath);
  return { keyRange, context, dockerfile, outOfWorkspace, target, dockerfilePath, dockerfileUser: text === undefined ? undefined : dockerfileUser(text, target) };
}

/** `./api` + `Dockerfile` → `api/Dockerfile`; an absolute Dockerfile path stays as it is. */
function joinPosix(context: string, file: string): string {
  if (file.startsWith('/')) return file;
  const parts = `${context.replace(/\\/g, '/')}/${file}`.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return (context.startsWith('/') ? '/' : '') + out.join('/');
}

/** A Git or HTTP build context is fetched at build time, not read from the workspace. */
function isRemoteContext(context: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i.test(context.trim());
}

/** Service names a service depends on or links to (for "who reaches whom" questions). */
export function serviceList(tree: YamlTree, node: Node | undefined): string[] {
  if (isSeq(node)) return tree.items(node).map(scalarText).filter((n): n is string => n !== undefined);
  return tree.entries(node).map(([key]) => String(key.value));
}

/** Whether a compose host IP keeps a published port on this machine. */
export function isLoopback(hostIp: string): boolean {
  const ip = hostIp.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return ip === 'localhost' || ip === '::1' || /^127\.\d+\.\d+\.\d+$/.test(ip);
}

/**
 * The host interface a published port listens on when no variable is set: '' (every interface)
 * for no host IP or `${BIND_IP:-}`, the default of `${BIND_IP:-0.0.0.0}`, and undefined when the
 * environment decides (`${BIND_IP}` with no default).
 */
export function hostIpWhenUnset(port: ComposePort): string | undefined {
  if (port.hostIp === undefined) return '';
  return valueWhenUnset(port.hostIp)?.trim().replace(/^\[|\]$/g, '');
}

/**
 * Whether a published compose port is reachable from other machines: no host IP (all
 * interfaces), an explicit wildcard, or a variable whose default is one. A variable without a
 * default is decided elsewhere and left alone.
 */
export function publishedOnAllInterfaces(port: ComposePort): boolean {
  const ip = hostIpWhenUnset(port);
  return ip === '' || ip === '0.0.0.0' || ip === '::';
}

/** A published port kept on this machine: bound to a loopback address (by default, when templated). */
export function publishedOnLoopback(port: ComposePort): boolean {
  const ip = hostIpWhenUnset(port);
  return ip !== undefined && ip !== '' && isLoopback(ip);
}

/** For messages: how the host interface is chosen (`on all interfaces unless BIND_IP is set`). */
export function interfaceChoice(port: ComposePort): string {
  if (port.hostIp === undefined) return '';
  const variable = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(port.hostIp)?.[1];
  return variable ? ` unless ${variable} is set` : '';
}

/** `network_mode`, `privileged`, `pid`, `ipc`: how a compose service shares the host. */
export function composeHostAccess(tree: YamlTree, service: ComposeService): Array<{ reason: string; range: OffsetRange }> {
  const node = service.node;
  if (!node) return [];
  const found: Array<{ reason: string; range: OffsetRange }> = [];
  if (tree.boolean(node, 'privileged') === true) found.push({ reason: 'privileged: true', range: valueTextRange(tree.text, tree.get(node, 'privileged'))! });
  for (const key of ['network_mode', 'pid', 'ipc']) {
    if (tree.string(node, key) === 'host') found.push({ reason: `${key}: host`, range: valueTextRange(tree.text, tree.get(node, key))! });
  }
  return found;
}

/** One `security_opt` entry: `seccomp:unconfined`, `apparmor=unconfined`, `no-new-privileges:true`. */
export interface SecurityOption {
  readonly name: string;
  /** Undefined for a bare flag (`no-new-privileges`). */
  readonly value?: string;
  readonly node: Scalar;
  readonly range: OffsetRange;
}

export function securityOptions(tree: YamlTree, service: ComposeService): SecurityOption[] {
  if (!service.node) return [];
  const options: SecurityOption[] = [];
  for (const item of tree.items(tree.get(service.node, 'security_opt'))) {
    const text = scalarText(item);
    const range = valueTextRange(tree.text, item);
    if (!isScalar(item) || text === undefined || !range) continue;
    const separator = text.search(/[:=]/);
    options.push({
      name: (separator === -1 ? text : text.slice(0, separator)).trim().toLowerCase(),
      value: separator === -1 ? undefined : text.slice(separator + 1).trim(),
      node: item,
      range,
    });
  }
  return options;
}

export function securityOptionList(tree: YamlTree, service: ComposeService): Node | undefined {
  return service.node ? tree.get(service.node, 'security_opt') : undefined;
}

/** `extends:` pulls settings from another definition we may not see: a missing setting is not evidence. */
export function extendsAnotherService(tree: YamlTree, service: ComposeService): boolean {
  return service.node !== undefined && tree.pair(service.node, 'extends') !== undefined;
}

/**
 * The program a service runs, so that roles of one application (`web`, `worker`, `scheduler`
 * merged from one `x-app: &app` anchor, or one image started with different commands) count once:
 * the build context and Dockerfile for a service built here, else the image repository without its
 * tag (`appwrite/appwrite`), else the service itself.
 */
export function composeProgram(service: ComposeService): string {
  let program = PROGRAMS.get(service);
  if (program === undefined) PROGRAMS.set(service, (program = programOf(service)));
  return program;
}

/** Rules ask for the program of every service pair (BND003) and holder (TCB010): computed once per service model. */
const PROGRAMS = new WeakMap<ComposeService, string>();

function programOf(service: ComposeService): string {
  if (service.build) return `build:${service.build.context}#${service.build.dockerfile}`;
  if (service.image) return `image:${imageRepository(service.image.value) ?? service.image.value.replace(/[:@].*$/, '')}`;
  return `service:${service.name}`;
}

/** Names other services reach this one by: its key, `hostname`, `container_name` and network aliases. */
export function composeHostNames(tree: YamlTree, service: ComposeService): string[] {
  const names = new Set([service.name]);
  if (service.node) {
    for (const key of ['hostname', 'container_name']) {
      const value = tree.string(service.node, key);
      if (value) names.add(value);
    }
    for (const [, network] of tree.entries(tree.get(service.node, 'networks'))) {
      for (const alias of tree.items(tree.get(network, 'aliases'))) {
        const text = scalarText(alias);
        if (text) names.add(text);
      }
    }
  }
  return [...names];
}

/** What a service's text says about the services it uses, read once however many servers it is compared with. */
interface ClientReading {
  readonly dependencies: ReadonlySet<string>;
  /** Environment values, `command`, `entrypoint` and `healthcheck` scalars. */
  readonly texts: readonly string[];
  /** The texts lower-cased and joined: a cheap test that a name cannot be mentioned. */
  readonly lowerText: string;
  /** Variables its environment values interpolate. */
  readonly variables: ReadonlySet<string>;
  /** Its host is chosen by a variable (`@${POSTGRES_HOST}:`, `DB_HOST: ${DB_HOST}`), or it reads an `env_file`: not judged. */
  readonly undecided: boolean;
}

/** What a service is reached by: its host names, and the variables its own password settings read. */
interface ServerReading {
  readonly mention: RegExp;
  /** Lower-cased host names, when all are ASCII (then a name absent from a client's lower-cased text is not mentioned). */
  readonly asciiNames?: readonly string[];
  readonly secrets: ReadonlySet<string>;
}

const CLIENT_READINGS = new WeakMap<ComposeService, ClientReading>();
const SERVER_READINGS = new WeakMap<ComposeService, ServerReading>();
const VARIABLE_REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

function clientReading(tree: YamlTree, client: ComposeService, node: YAMLMap): ClientReading {
  let reading = CLIENT_READINGS.get(client);
  if (reading) return reading;
  const dependencies = new Set<string>();
  for (const key of ['depends_on', 'links']) for (const entry of serviceList(tree, tree.resolve(tree.get(node, key)))) dependencies.add(entry.split(':')[0]);
  const texts = [...client.environment.map((variable) => variable.value ?? ''), ...['command', 'entrypoint', 'healthcheck'].flatMap((key) => scalarsUnder(tree, tree.get(node, key)))];
  const variables = new Set(client.environment.flatMap((variable) => [...(variable.value ?? '').matchAll(VARIABLE_REFERENCE)].map((match) => match[1])));
  const undecided =
    texts.some((text) => /(?:@|:\/\/)\$\{?[A-Za-z_]/.test(text)) ||
    client.environment.some((variable) => /HOST(?:NAME)?$/i.test(variable.name) && /^\s*\$\{?[A-Za-z_]/.test(variable.value ?? '')) ||
    client.envFiles.length > 0;
  reading = { dependencies, texts, lowerText: texts.join('\n').toLowerCase(), variables, undecided };
  CLIENT_READINGS.set(client, reading);
  return reading;
}

function serverReading(tree: YamlTree, server: ComposeService): ServerReading {
  let reading = SERVER_READINGS.get(server);
  if (reading) return reading;
  const names = composeHostNames(tree, server);
  const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const mention = new RegExp(`(?:^|[^A-Za-z0-9_.-])(?:${escaped.join('|')})(?=$|[^A-Za-z0-9_-])`, 'i');
  const asciiNames = names.every((name) => /^[\x20-\x7e]*$/.test(name)) ? names.map((name) => name.toLowerCase()) : undefined;
  const secrets = new Set(server.environment.filter((variable) => /PASS(?:WORD)?|SECRET|AUTH/i.test(variable.name)).flatMap((variable) => [...(variable.value ?? '').matchAll(VARIABLE_REFERENCE)].map((match) => match[1])));
  reading = { mention, asciiNames, secrets };
  SERVER_READINGS.set(server, reading);
  return reading;
}

/**
 * Whether the file shows `client` using `server`: a `depends_on` or `links` entry, or one of the
 * server's host names in the client's environment or command (`postgres://app@db:5432/app`,
 * `REDIS_HOST: redis`), or the server's own password variable in the client's environment.
 * Undefined when the host it connects to is a variable (`@${POSTGRES_HOST}`) or the client reads an
 * `env_file` we do not see: it may name the server there. What each side's text says is read once
 * per service model, so comparing every client with every datastore stays cheap.
 */
export function composeServiceUses(tree: YamlTree, client: ComposeService, server: ComposeService): boolean | undefined {
  const node = client.node;
  if (!node) return false;
  const reading = clientReading(tree, client, node);
  if (reading.dependencies.has(server.name)) return true;
  const target = serverReading(tree, server);
  // A name missing from the lower-cased text cannot match the case-insensitive mention (ASCII names only).
  const mayMention = !target.asciiNames || target.asciiNames.some((name) => reading.lowerText.includes(name));
  if (mayMention && reading.texts.some((text) => target.mention.test(text))) return true;
  // Holding the datastore's own password variable (`${POSTGRES_PASSWORD}` in both) is using it.
  if (target.secrets.size > 0) for (const variable of reading.variables) if (target.secrets.has(variable)) return true;
  return reading.undecided ? undefined : false;
}

/**
 * For every server, the clients `composeServiceUses` does not answer `false` for (the file shows
 * the client using it, or cannot tell): the same answers as asking pair by pair, found through
 * indexes of names, host names and password variables, so a file of hundreds of services costs
 * what its texts hold, not services × services regular-expression tests.
 */
export function composeServiceUsers(tree: YamlTree, clients: readonly ComposeService[], servers: readonly ComposeService[]): Map<ComposeService, Set<ComposeService>> {
  const users = new Map(servers.map((server) => [server, new Set<ComposeService>()]));
  const byName = new Map<string, ComposeService[]>();
  const byHostName = new Map<string, ComposeService[]>();
  const bySecret = new Map<string, ComposeService[]>();
  const add = <K>(index: Map<K, ComposeService[]>, key: K, server: ComposeService) => {
    const list = index.get(key);
    if (list) list.push(server);
    else index.set(key, [server]);
  };
  // Host names that are one run of name characters are found by reading the client's runs;
  // any other (a dot, a non-ASCII letter) is tested with the server's own expression.
  const byExpression: ComposeService[] = [];
  for (const server of servers) {
    add(byName, server.name, server);
    const names = composeHostNames(tree, server);
    if (names.every((name) => /^[A-Za-z0-9_-]+$/.test(name))) for (const name of names) add(byHostName, name.toLowerCase(), server);
    else byExpression.push(server);
    for (const secret of serverReading(tree, server).secrets) add(bySecret, secret, server);
  }
  for (const client of clients) {
    if (!client.node) continue;
    const reading = clientReading(tree, client, client.node);
    const use = (server: ComposeService) => users.get(server)!.add(client);
    if (reading.undecided) {
      for (const server of servers) use(server);
      continue;
    }
    for (const name of reading.dependencies) byName.get(name)?.forEach(use);
    for (const text of reading.texts) for (const run of mentionRuns(text)) byHostName.get(run)?.forEach(use);
    for (const variable of reading.variables) bySecret.get(variable)?.forEach(use);
    for (const server of byExpression) if (reading.texts.some((text) => serverReading(tree, server).mention.test(text))) use(server);
  }
  return users;
}

/**
 * The lower-cased maximal runs of `[A-Za-z0-9_-]` not preceded by a dot: exactly the places a
 * host name made of such characters can match `composeServiceUses`' mention expression (preceded
 * by none of `[A-Za-z0-9_.-]`, followed by none of `[A-Za-z0-9_-]`).
 */
function mentionRuns(text: string): string[] {
  const runs: string[] = [];
  for (const match of text.matchAll(/[A-Za-z0-9_-]+/g)) if (match.index === 0 || text[match.index - 1] !== '.') runs.push(match[0].toLowerCase());
  return runs;
}

/** The scalar texts under a node, each node read once: an alias bomb (`command: *a12`) costs its distinct nodes, not its expansion. */
function scalarsUnder(tree: YamlTree, node: Node | undefined, seen = new Set<Node>()): string[] {
  if (node === undefined || seen.has(node)) return [];
  seen.add(node);
  if (isScalar(node)) return [scalarText(node) ?? ''];
  if (isSeq(node)) return tree.items(node).flatMap((item) => scalarsUnder(tree, item, seen));
  if (isMap(node)) return tree.entries(node).flatMap(([, value]) => scalarsUnder(tree, value, seen));
  return [];
}

/**
 * A one-off job: a service that runs a shell script and is not restarted (`restart` absent, `no`
 * or `on-failure`), rather than a long-running server. A datastore image used so (a `chown` job, a
 * replica-set init) serves no data; a script that ends in `exec mongod …` still starts the server.
 */
export function isOneShotJob(tree: YamlTree, service: ComposeService): boolean {
  let oneShot = ONE_SHOT_JOBS.get(service);
  if (oneShot === undefined) ONE_SHOT_JOBS.set(service, (oneShot = oneShotJob(tree, service)));
  return oneShot;
}

const ONE_SHOT_JOBS = new WeakMap<ComposeService, boolean>();

function oneShotJob(tree: YamlTree, service: ComposeService): boolean {
  if (!service.node) return false;
  const restart = (tree.string(service.node, 'restart') ?? 'no').trim().replace(/:.*$/, '');
  if (restart === 'always' || restart === 'unless-stopped') return false;
  const script = ['entrypoint', 'command'].flatMap((key) => scalarsUnder(tree, tree.get(service.node, key))).join(' ');
  if (!/^\s*(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash)(?:\s|$)/.test(script)) return false;
  return !/\bexec\s+(?:\S*\/)?(?:mongod|postgres|mysqld|mariadbd|redis-server|valkey-server|docker-entrypoint(?:\.sh)?|\S*server)\b/.test(script);
}

/**
 * Lets `to` reuse what was read from `from` and is kept per service model: its program, what its
 * text says about the services it uses (`composeServiceUses`) and the names it is reached by,
 * whether it is a one-off job. None of these hold offsets or nodes, only names and texts. For the
 * analysis, which calls it for a service whose definition is the same text, in the same document
 * around it and with the same anchors within reach, as a service of the document's previous
 * analysis (analysis/analyze.ts): a keystroke in one service then reads only that one again.
 */
export function carryServiceReadings(from: ComposeService, to: ComposeService): void {
  const program = PROGRAMS.get(from);
  if (program !== undefined && !PROGRAMS.has(to)) PROGRAMS.set(to, program);
  const client = CLIENT_READINGS.get(from);
  if (client && !CLIENT_READINGS.has(to)) CLIENT_READINGS.set(to, client);
  const server = SERVER_READINGS.get(from);
  if (server && !SERVER_READINGS.has(to)) SERVER_READINGS.set(to, server);
  const oneShot = ONE_SHOT_JOBS.get(from);
  if (oneShot !== undefined && !ONE_SHOT_JOBS.has(to)) ONE_SHOT_JOBS.set(to, oneShot);
}
