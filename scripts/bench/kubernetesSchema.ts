/**
 * A Kubernetes JSON Schema for the peer, built offline from the `kubernetes-types` package
 * (Apache-2.0; TypeScript declarations generated from the Kubernetes OpenAPI definitions of the
 * version it is numbered after) in the shape yaml-language-server downloads from
 * yannh/kubernetes-json-schema's `*-standalone-strict` folder:
 *
 *   all.json           { "oneOf": [ { "$ref": "_definitions.json#/definitions/<name>" }, … ] }
 *   _definitions.json  { "definitions": { "<name>": <schema with "#/definitions/…" refs> } }
 *
 * What openapi2jsonschema's `--kubernetes --strict` adds is added here too: `apiVersion` and `kind`
 * as one-value enums (the declarations spell them as string literal types), IntOrString as
 * string-or-integer, and `additionalProperties: false` on every object that lists its properties.
 * Definition names follow the OpenAPI ones (`io.k8s.api.apps.v1.Deployment`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

type Schema = Record<string, unknown>;

export interface KubernetesSchema {
  /** Version of the Kubernetes API the declarations were generated from (the package's version). */
  readonly version: string;
  readonly all: string;
  readonly definitions: string;
  readonly count: number;
}

/** OpenAPI name prefix of a declaration file (relative path without `.d.ts`). */
function prefixOf(module: string): string {
  const dotted = module.split('/').join('.');
  if (module === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (module === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (module === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (module.startsWith('meta/')) return `io.k8s.apimachinery.pkg.apis.${dotted}`;
  if (module.startsWith('util/')) return `io.k8s.apimachinery.pkg.${dotted}`;
  if (module.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.${dotted}`;
  if (module.startsWith('apiregistration/')) return `io.k8s.kube-aggregator.pkg.apis.${dotted}`;
  return `io.k8s.api.${dotted}`;
}

function declarationFiles(root: string, directory = root): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) out.push(...declarationFiles(root, full));
    else if (entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

function docOf(node: ts.Node, source: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => source.text.startsWith('/**', r.pos)).pop();
  if (!last) return undefined;
  return source.text
    .slice(last.pos + 3, last.end - 2)
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

export function buildKubernetesSchema(packageRoot: string): KubernetesSchema {
  const version = (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const definitions: Record<string, Schema> = {};
  for (const file of declarationFiles(packageRoot)) {
    const module = path.relative(packageRoot, file).replace(/\.d\.ts$/, '').split(path.sep).join('/');
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    // Local name → OpenAPI name, for this file's own declarations and its imports.
    const names = new Map<string, string>();
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(module), statement.moduleSpecifier.text));
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.set(element.name.text, `${prefixOf(target)}.${(element.propertyName ?? element.name).text}`);
      } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
        names.set(statement.name.text, `${prefixOf(module)}.${statement.name.text}`);
      }
    }
    const convert = (type: ts.TypeNode): Schema => {
      if (type.kind === ts.SyntaxKind.StringKeyword) return { type: 'string' };
      if (type.kind === ts.SyntaxKind.NumberKeyword) return { type: 'number' };
      if (type.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
      if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return { type: 'string', enum: [type.literal.text] };
      if (ts.isArrayTypeNode(type)) return { type: 'array', items: convert(type.elementType) };
      if (ts.isParenthesizedTypeNode(type)) return convert(type.type);
      if (ts.isUnionTypeNode(type)) {
        const kinds = type.types.map((t) => t.kind);
        // IntOrString, as openapi2jsonschema writes it.
        if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
        return { anyOf: type.types.map(convert) };
      }
      if (ts.isTypeLiteralNode(type)) {
        const index = type.members.find(ts.isIndexSignatureDeclaration);
        if (index?.type) return { type: 'object', additionalProperties: convert(index.type) };
        return { type: 'object' };
      }
      if (ts.isTypeReferenceNode(type)) {
        const name = type.typeName.getText(source);
        if (name === 'Array' && type.typeArguments?.length === 1) return { type: 'array', items: convert(type.typeArguments[0]) };
        const full = names.get(name);
        if (full) return { $ref: `#/definitions/${full}` };
      }
      return {};
    };
    for (const statement of source.statements) {
      const name = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) ? `${prefixOf(module)}.${statement.name.text}` : undefined;
      if (!name) continue;
      const description = docOf(statement, source);
      if (ts.isTypeAliasDeclaration(statement)) {
        definitions[name] = { ...(description ? { description } : {}), ...convert(statement.type) };
        continue;
      }
      const properties: Record<string, Schema> = {};
      const required: string[] = [];
      for (const member of (statement as ts.InterfaceDeclaration).members) {
        if (!ts.isPropertySignature(member) || !member.type) continue;
        const key = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(source);
        const doc = docOf(member, source);
        properties[key] = { ...(doc ? { description: doc } : {}), ...convert(member.type) };
        if (!member.questionToken) required.push(key);
      }
      const schema: Schema = { ...(description ? { description } : {}), type: 'object' };
      if (Object.keys(properties).length > 0) {
        schema.properties = properties;
        schema.additionalProperties = false;
      }
      if (required.length > 0) schema.required = required;
      definitions[name] = schema;
    }
  }
  const sorted = Object.keys(definitions).sort();
  return {
    version,
    count: sorted.length,
    all: JSON.stringify({ oneOf: sorted.map((name) => ({ $ref: `_definitions.json#/definitions/${name}` })) }),
    definitions: JSON.stringify({ definitions: Object.fromEntries(sorted.map((name) => [name, definitions[name]])) }),
  };
}
