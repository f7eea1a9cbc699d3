/**
 * The layers, as docs/architecture.md draws them: the folders of constructs/ import each
 * other without a cycle, `core` imports no other folder of the kit, no folder reaches into
 * another folder's private (`_`-prefixed) files, and the top-level folders import downwards
 * only (stacks → charts → constructs).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

interface Edge { readonly from: string; readonly to: string }

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative import of every source file under `dirs`, as repository paths. */
function importsUnder(...dirs: string[]): Edge[] {
  return dirs.flatMap(sourceFiles).flatMap((from) => {
    const text = readFileSync(join(ROOT, from), 'utf8');
    return [...text.matchAll(SPECIFIER)].map((m) => ({ from, to: normalize(join(dirname(from), (m[1] ?? m[2])!)) }));
  });
}

/** The folder of constructs/ a path is in (`.` for constructs/index.ts). */
function folderOf(path: string): string {
  const parts = relative('constructs', path).split('/');
  return parts.length > 1 ? parts[0]! : '.';
}

/** The cycles of a directed graph, each as the list of its nodes (Tarjan's strongly connected components of more than one node). */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

function folderGraph(edges: readonly Edge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [folderOf(from), folderOf(to)];
    if (!graph.has(a)) graph.set(a, new Set());
    if (a !== b && a !== '.') graph.get(a)!.add(b);
  }
  return graph;
}

const constructEdges = importsUnder('constructs').filter((e) => e.to.startsWith('constructs/'));

describe('the layers of constructs/', () => {
  it('the cycle finder reports a two-folder cycle and passes a chain (so an empty result means something)', () => {
    assert.deepEqual(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['a'])], ['c', new Set(['a'])]])), [['a', 'b']]);
    assert.deepEqual(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set<string>()]])), []);
  });

  it('has no folder-level import cycle', () => {
    const graph = folderGraph(constructEdges);
    assert.ok(graph.size >= 9, `folders seen: ${[...graph.keys()].join(', ')}`);
    assert.deepEqual(cycles(graph), []);
  });

  it('core imports no other folder of the kit (only the generated imports, at most)', () => {
    const out = constructEdges.filter((e) => folderOf(e.from) === 'core' && !['core', 'imports'].includes(folderOf(e.to)));
    assert.deepEqual(out.map((e) => `${e.from} -> ${e.to}`), []);
    assert.ok(constructEdges.some((e) => folderOf(e.from) === 'workloads' && folderOf(e.to) === 'core'), 'the folders above import core');
  });

  it('no folder imports another folder\'s private (_-prefixed) files', () => {
    const all = [...constructEdges, ...importsUnder('charts', 'stacks', 'examples', 'bench').filter((e) => e.to.startsWith('constructs/'))];
    const sideways = all.filter((e) => /^_/.test(e.to.split('/').pop()!) && (folderOf(e.from) !== folderOf(e.to) || !e.from.startsWith('constructs/')));
    assert.deepEqual(sideways.map((e) => `${e.from} -> ${e.to}`), []);
  });
});

describe('the top-level folders', () => {
  const top = (path: string) => path.split('/')[0]!;
  const edges = importsUnder('constructs', 'charts', 'stacks').filter((e) => top(e.from) !== top(e.to));

  it('constructs import neither charts nor stacks, and charts do not import stacks', () => {
    const upwards = edges.filter((e) => (top(e.from) === 'constructs' && ['charts', 'stacks'].includes(top(e.to)))
      || (top(e.from) === 'charts' && top(e.to) === 'stacks'));
    assert.deepEqual(upwards.map((e) => `${e.from} -> ${e.to}`), []);
    assert.ok(edges.some((e) => top(e.from) === 'stacks' && top(e.to) === 'charts'), 'the stacks deploy the charts');
  });
});
