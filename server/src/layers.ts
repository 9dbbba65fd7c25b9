/**
 * The floors of the code and what each may import: the one statement of the allowed graph.
 * test/core/layers.test.ts reads every import of server/src and client/src and fails on one this
 * does not allow; each host-independent floor also has a tsconfig.json without Node or DOM types,
 * so a Node, VS Code or browser API fails to compile there; `npm run docs` draws the README's
 * Architecture section from this list.
 */

export interface Floor {
  /** Folder under server/src (or `client/src`); `protocol` is the file server/src/protocol.ts. */
  readonly name: string;
  /** What lives there, for the README. */
  readonly holds: string;
  /** Floors it may import (its own files always). */
  readonly imports: readonly string[];
  /** npm packages and Node built-ins it may import; `node:` covers every built-in; `package.json` and `schemas` name the repository's data files it may read. */
  readonly packages: readonly string[];
  /** Host-independent: compiled with its own tsconfig.json, `"types": []` and no DOM. */
  readonly pure: boolean;
}

/** Highest first. */
export const FLOORS: readonly Floor[] = [
  { name: 'client', holds: 'the VS Code extension: starts the server, trust-boundary tree, commands, status', imports: ['protocol'], packages: ['vscode', 'vscode-languageclient', 'node:'], pure: false },
  { name: 'cli', holds: 'sbd scan, baseline, fix, diagram, export, rules, profiles: files from disk, git, text, JSON and SARIF output, colour', imports: ['host', 'views', 'analysis', 'frontends', 'rules', 'model', 'core'], packages: ['node:', 'package.json', 'commander', 'diff', 'picocolors'], pure: false },
  { name: 'lsp', holds: 'the language server: documents, diagnostics, hovers, code actions, symbols, settings, the workspace index and baseline, the diagram\'s layout worker', imports: ['protocol', 'host', 'views', 'analysis', 'frontends', 'rules', 'model', 'core'], packages: ['vscode-languageserver', 'vscode-languageserver-textdocument', 'node:', 'package.json', 'schemas', 'elkjs'], pure: false },
  { name: 'protocol', holds: 'the custom LSP messages, typed, shared by server and client', imports: ['core'], packages: ['vscode-languageserver-protocol'], pure: false },
  { name: 'host', holds: 'file access both hosts share: size-limited reads of regular files, reads confined to the given folders', imports: [], packages: ['node:'], pure: false },
  { name: 'views', holds: 'what editors and reports show besides findings: the trust-boundary view, its diagram (ELK layout, SVG, Mermaid, DOT) and its Threagile export, key hovers, the security score', imports: ['analysis', 'rules', 'model', 'core'], packages: ['elkjs'], pure: true },
  { name: 'analysis', holds: 'the pipeline: text → documents → models → rules → findings, cross-file rules, the workspace of open and indexed files, finding fingerprints and baselines', imports: ['frontends', 'rules', 'model', 'core'], packages: [], pure: true },
  { name: 'frontends', holds: 'Helm and Kustomize: other inputs turned into Kubernetes YAML with a source map', imports: ['core'], packages: [], pure: true },
  { name: 'rules', holds: 'the rule framework and one file per rule, with its guidance, fixes and parameters', imports: ['model', 'core'], packages: [], pure: true },
  { name: 'model', holds: 'compose, Kubernetes, architecture and Threagile models, and the facts rules and views read from them', imports: ['core'], packages: [], pure: true },
  { name: 'core', holds: 'types, the one yaml import, UTF-8, parse, positions, tree, edits and safe fixes, suppressions, ignore globs, the configuration schema', imports: [], packages: ['yaml', 'picomatch'], pure: true },
];
