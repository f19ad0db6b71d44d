import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// The sandbox reads bottom-up (docs: ARCHITECTURE.md §5); a file may import its own layer or one below, never
// one above, and nothing may import in a circle. Type-only imports count: a type loop is still a loop a reader
// has to untangle. The CLI reaches the sandbox only through a dynamic import() behind --sandbox, so its real-AWS
// path loads no file of local/ (and none of the sandbox's devDependencies).
const LOCAL_LAYERS: readonly (readonly string[])[] = [
  ['local/time/'],
  ['local/account/account.ts'],
  ['local/account/services/'],
  ['local/account/'],
  ['local/template/', 'local/lambda/', 'local/eventbus/', 'local/stepfunctions/', 'local/sinks/', 'local/dynamodb/', 'local/k8s/', 'local/tags-fleet.ts'],
  ['local/sandbox-core.ts'],
  ['local/plugins/'],
  ['local/sandbox.ts', 'local/sandbox-functions.ts'],
  ['local/scenarios/'],
  // The sandbox halves of CLI commands, which cli/ loads with a dynamic import behind --sandbox.
  ['local/commands/'],
];

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface ImportEdges {
  /** `import … from` and `export … from`, type-only included. */
  static: string[];
  /** Those of them that load the module at run time (not `import type …`, which is erased). */
  loaded: string[];
  /** `import('…')` calls. */
  dynamic: string[];
}

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.posix.join(folder, file.split(path.sep).join('/')));
}

/** The project-relative files a source imports (relative specifiers only; packages are not layers). */
function importsOf(file: string): ImportEdges {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const edges: ImportEdges = { static: [], loaded: [], dynamic: [] };
  const resolve = (specifier: string) => path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (node.moduleSpecifier.text.startsWith('.')) {
        const target = resolve(node.moduleSpecifier.text);
        edges.static.push(target);
        const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
        if (!typeOnly) edges.loaded.push(target);
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (specifier && ts.isStringLiteralLike(specifier) && specifier.text.startsWith('.')) edges.dynamic.push(resolve(specifier.text));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

function layerOf(file: string): number | undefined {
  let best: { layer: number; length: number } | undefined;
  LOCAL_LAYERS.forEach((prefixes, layer) => {
    for (const prefix of prefixes) if (file.startsWith(prefix) && prefix.length > (best?.length ?? -1)) best = { layer, length: prefix.length };
  });
  return best?.layer;
}

/** Every circle of a graph (its strongly connected components of more than one file, or a file importing itself). */
function circlesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) circles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return circles;
}

const files = [...sourceFiles('local'), ...sourceFiles('cli')];
const imports = new Map(files.map((file) => [file, importsOf(file)]));
const staticGraph = new Map([...imports].map(([file, edges]) => [file, edges.static]));

describe('import layers of local/ and cli/', () => {
  it('finds a circle when there is one (the check can fail)', () => {
    const graph = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(circlesOf(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(circlesOf(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
  });

  it('reads import, export-from and type-only imports', () => {
    const edges = importsOf('local/sandbox.ts');
    expect(edges.static).toEqual(expect.arrayContaining(['local/plugins/index.ts', 'local/sandbox-core.ts']));
    expect(importsOf('local/plugins/access.ts').static).toContain('local/sandbox-core.ts');
    expect(importsOf('local/plugins/access.ts').loaded).not.toContain('local/sandbox-core.ts');
  });

  it('has no import circle', () => {
    expect(circlesOf(staticGraph)).toEqual([]);
  });

  it('places every file of local/ in a layer', () => {
    expect(files.filter((file) => file.startsWith('local/') && layerOf(file) === undefined)).toEqual([]);
  });

  it('never imports a layer above its own', () => {
    const upward = files
      .filter((file) => file.startsWith('local/'))
      .flatMap((file) => (staticGraph.get(file) ?? []).filter((target) => target.startsWith('local/') && (layerOf(target) ?? 0) > (layerOf(file) ?? 0)).map((target) => `${file} → ${target}`));
    expect(upward).toEqual([]);
  });

  it('never imports cli/ from local/', () => {
    const arrows = [...imports]
      .filter(([file]) => file.startsWith('local/'))
      .flatMap(([file, edges]) => [...edges.static, ...edges.dynamic].filter((target) => target.startsWith('cli/')).map((target) => `${file} → ${target}`));
    expect(arrows).toEqual([]);
  });

  it('keeps the CLI\'s static imports out of local/ (the sandbox loads only behind --sandbox; types are erased)', () => {
    const arrows = files
      .filter((file) => file.startsWith('cli/'))
      .flatMap((file) => (imports.get(file)?.loaded ?? []).filter((target) => target.startsWith('local/')).map((target) => `${file} → ${target}`));
    expect(arrows).toEqual([]);
  });
});
