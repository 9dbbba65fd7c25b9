import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.join(__dirname, '..', '..', '..', '..');
/**
 * The extension folder the extension host loads in development: the repository's package.json is
 * the npm package's (a scoped name no extension host accepts), so scripts/stage-extension.mjs
 * writes the extension's manifest here and links dist/ and the assets.
 */
export function stagedExtension(): string {
  const target = path.join(REPO_ROOT, '.e2e', 'extension');
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'stage-extension.mjs'), target, '--link'], { stdio: 'pipe' });
  return target;
}

/** Where scripts/setup-e2e.sh installs code-server. */
export const CODE_SERVER_BIN = path.join(REPO_ROOT, '.e2e', 'code-server', 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Why the real-editor tests cannot run here, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (!fs.existsSync(CODE_SERVER_BIN)) return `code-server is not installed (${path.relative(REPO_ROOT, CODE_SERVER_BIN)}); run scripts/setup-e2e.sh`;
  if (!fs.existsSync(CHROMIUM)) return `Chromium is not installed (${CHROMIUM}); run scripts/setup-e2e.sh`;
  return undefined;
}

/** Quiet, deterministic workbench: no welcome tab, no trust prompt, no update checks, no gallery. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'files.autoSave': 'off',
};

export interface CodeServer {
  readonly url: string;
  readonly stateDir: string;
  /** code-server's own log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  readonly workspace: string;
  /** .vsix files installed before start, as a user would. */
  readonly vsix?: readonly string[];
  /** Open the folder in restricted mode: workspace trust on, the folder not trusted, no prompt. */
  readonly untrusted?: boolean;
  /** User settings on top of the quiet defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** Workspace trust on, never asked about: the folder opens untrusted (restricted mode). */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.untrustedFiles': 'open',
};

/**
 * A throw-away code-server on 127.0.0.1 with fresh user-data and extensions directories.
 * `stop()` kills it and every process it started (extension hosts, language servers), which
 * otherwise wait hours for a browser to reconnect.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-code-server-'));
  fs.mkdirSync(path.join(stateDir, 'user-data', 'User'), { recursive: true });
  fs.mkdirSync(path.join(stateDir, 'extensions'));
  fs.writeFileSync(path.join(stateDir, 'user-data', 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...(options.untrusted ? UNTRUSTED_SETTINGS : {}), ...options.settings }, null, 2));
  // Always an explicit config file: without one code-server writes ~/.config/code-server/config.yaml.
  const common = ['--config', path.join(stateDir, 'config.yaml'), '--user-data-dir', path.join(stateDir, 'user-data'), '--extensions-dir', path.join(stateDir, 'extensions')];
  // An empty gallery URL keeps code-server from querying open-vsx.org.
  const env = { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":""}' };
  for (const vsix of options.vsix ?? []) {
    const install = spawnSync(CODE_SERVER_BIN, [...common, '--install-extension', vsix], { encoding: 'utf8', env, timeout: 60_000 });
    if (install.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed:\n${install.stdout}\n${install.stderr}`);
  }
  const port = await freePort();
  const logFile = path.join(stateDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'w');
  const child = spawn(
    CODE_SERVER_BIN,
    [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', ...(options.untrusted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', options.workspace],
    { env, stdio: ['ignore', logFd, logFd], detached: true },
  );
  fs.closeSync(logFd);
  const url = `http://127.0.0.1:${port}/`;
  const server: CodeServer = {
    url,
    stateDir,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    stop: () => stopProcessGroup(child, stateDir),
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${server.log()}`);
    if (await healthy(url)) return server;
    await delay(100);
  }
  await server.stop();
  throw new Error(`code-server did not answer on ${url} within 30 s:\n${server.log()}`);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}healthz`);
    return response.ok;
  } catch {
    return false;
  }
}

/** code-server runs in its own process group (detached): one signal reaches everything it started. */
async function stopProcessGroup(child: ChildProcess, stateDir: string): Promise<void> {
  if (child.pid !== undefined && child.exitCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child.pid, 'SIGTERM');
    await Promise.race([exited, delay(5000)]);
    signalGroup(child.pid, 'SIGKILL');
  }
  fs.rmSync(stateDir, { recursive: true, force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A copy of examples/ to open as the workspace: the tests edit and create files in it. */
export function exampleWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-e2e-workspace-'));
  fs.cpSync(path.join(REPO_ROOT, 'examples'), dir, { recursive: true });
  return dir;
}
