/**
 * Helpers of the end-to-end suite: kubectl against the cluster under test, simulated nodes
 * (kwok) shaped like an environment's node pools, and synth of an environment.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Environment } from '../../charts/environment.js';
import { nodeOf, poolShapes, type NodeShape, type Resources } from '../../constructs/capacity/index.js';

/** The kubectl the suite runs: $KUBECTL, or kubectl on the PATH. */
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

/** Runs kubectl; throws with its output unless it exits 0 (or `allowFailure`). */
export function kubectl(args: readonly string[], options: { input?: string; allowFailure?: boolean } = {}) {
  const result = spawnSync(KUBECTL, args, { encoding: 'utf8', input: options.input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`kubectl ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** kubectl … -o json, parsed. */
export function getJson<T = any>(args: readonly string[]): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(kubectl([...args, '-o', 'json']).stdout) as T;
}

/** Writes an environment's manifests, as `npm run synth -- --env <name>` does, and returns the directory. */
export function synth(name: string): string {
  const outdir = mkdtempSync(join(tmpdir(), `kit-e2e-${name}-`));
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'charts/main.ts', '--env', name, '--outdir', outdir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`synth of ${name} failed:\n${result.stderr}`);
  return outdir;
}

/** The label the suite puts on every node it creates. */
export const E2E_NODE_LABEL = 'k8s-platform-kit.dev/e2e';

/** One simulated node. */
export interface NodeSpec {
  readonly name: string;
  readonly cpu: string;
  readonly memory: string;
  readonly pods: number;
  /** What the node offers pods; its capacity when omitted. */
  readonly allocatable?: { readonly cpu: string; readonly memory: string; readonly pods: number };
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
}

/** A Node object kwok manages (annotation kwok.x-k8s.io/node=fake) with the given capacity and allocatable. */
export function nodeManifest(node: NodeSpec): Record<string, unknown> {
  const capacity = { cpu: node.cpu, memory: node.memory, pods: String(node.pods) };
  const allocatable = node.allocatable ? { ...node.allocatable, pods: String(node.allocatable.pods) } : capacity;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        [E2E_NODE_LABEL]: 'true',
        ...node.labels,
      },
    },
    spec: { taints: node.taints },
    status: { capacity, allocatable },
  };
}

/** A planner node as a simulated node: the same capacity, allocatable, labels and taints. */
export function nodeSpecOf(node: NodeShape): NodeSpec {
  const quantity = (r: Resources) => ({ cpu: `${r.cpu}m`, memory: `${Math.floor(r.memory / 1024)}Ki`, pods: r.pods });
  const capacity = quantity(node.capacity);
  return { name: node.name, ...capacity, allocatable: quantity(node.allocatable), labels: node.labels, taints: node.taints };
}

/**
 * The nodes an environment's pools start with (`desired` per pool, at least one), as the
 * capacity planner models them: allocatable after the kubelet's reservations, spread over
 * the pool's zones, named `<env>-<pool>-<n>`.
 */
export function nodesOf(env: Environment): NodeSpec[] {
  return poolShapes(env).flatMap((shape) =>
    Array.from({ length: Math.max(shape.desired, 1) }, (_, i) => {
      const spec = nodeSpecOf(nodeOf(shape, i));
      const name = `${env.name}-${spec.name}`;
      return { ...spec, name, labels: { ...spec.labels, 'kubernetes.io/hostname': name } };
    }));
}

/** Creates nodes and waits until kwok reports them Ready. */
export function createNodes(nodes: readonly NodeSpec[]): void {
  kubectl(['apply', '-f', '-'], { input: nodes.map((n) => stringify(nodeManifest(n))).join('---\n') });
  for (const node of nodes) kubectl(['wait', '--for=condition=Ready', `node/${node.name}`, '--timeout=60s']);
}

/** Deletes every node the suite created. */
export function deleteNodes(): void {
  kubectl(['delete', 'nodes', '-l', `${E2E_NODE_LABEL}=true`, '--wait=true', '--timeout=60s'], { allowFailure: true });
}

/**
 * Every CRD file under the pinned third-party folder: the YAML files of its `crds/` folders
 * that define CustomResourceDefinitions (not the kustomization.yaml or admission policies
 * some upstream `crds/` folders also hold).
 */
export function crdFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.yaml') && dir.endsWith('crds') && /^kind: CustomResourceDefinition$/m.test(readFileSync(path, 'utf8'))) files.push(path);
    }
  };
  walk(root);
  return files.sort();
}
