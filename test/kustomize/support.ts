import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { SourceFiles } from '../../server/src/frontends/files';
import { listFolder } from '../../server/src/host/disk';

/** SourceFiles over a folder on disk ('/'-separated absolute paths), as the CLI host provides them. */
export function diskFiles(): SourceFiles {
  return {
    read: (file) => {
      try {
        return fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    list: listFolder,
  };
}

/** Objects of a multi-document YAML text, as plain values (empty documents left out). */
export function objectsOf(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS({ maxAliasCount: -1 }))
    .filter((value) => value !== null && value !== undefined);
}

/** Whether kubectl (with its built-in Kustomize) can be run here. */
export function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'pipe', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** `kubectl kustomize <folder>`: the objects, or the error text when it fails. */
export function kubectlKustomize(folder: string): { objects: unknown[] } | { error: string } {
  try {
    const output = execFileSync('kubectl', ['kustomize', folder], { stdio: 'pipe', timeout: 60_000, encoding: 'utf8', env: { ...process.env, KUBECONFIG: path.join(folder, 'no-kubeconfig') } });
    return { objects: objectsOf(output) };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    return { error: stderr.trim() };
  }
}

/** Runs `kubectl kustomize` on many folders at once (a few processes at a time): folder → result. */
export async function kubectlKustomizeAll(folders: readonly string[], parallel = 6): Promise<Map<string, { objects: unknown[] } | { error: string }>> {
  const results = new Map<string, { objects: unknown[] } | { error: string }>();
  const queue = [...folders];
  const worker = async (): Promise<void> => {
    for (let folder = queue.shift(); folder !== undefined; folder = queue.shift()) {
      const current = folder;
      results.set(
        current,
        await new Promise((resolve) => {
          execFile('kubectl', ['kustomize', current], { timeout: 60_000, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            resolve(error ? { error: (stderr || String(error)).trim() } : { objects: objectsOf(stdout) });
          });
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}
