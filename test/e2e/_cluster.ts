/**
 * Helpers of the end-to-end suite: kubectl against the cluster under test, simulated nodes
 * (kwok) shaped like an environment's node pools, and synth of an environment.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Environment } from '../../charts/environment.js';
import { machineSize, machineTypeOf } from '../../constructs/environment/index.js';

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
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
}

/** A Node object kwok manages (annotation kwok.x-k8s.io/node=fake) with the given capacity. */
export function nodeManifest(node: NodeSpec): Record<string, unknown> {
  const resources = { cpu: node.cpu, memory: node.memory, pods: String(node.pods) };
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
    status: { capacity: resources, allocatable: resources },
  };
}

/** The nodes an environment's pools start with (`desired` per pool), spread over the pool's zones. */
export function nodesOf(env: Environment): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  for (const pool of env.cluster.nodePools) {
    const type = machineTypeOf(pool);
    const size = machineSize(type);
    if (!size) throw new Error(`${env.name}: pool '${pool.name}' uses ${type}, whose size the kit does not know; add it to MACHINE_SIZES`);
    const zones = pool.zones ?? env.cluster.zones;
    for (let i = 0; i < Math.max(pool.desired, 1); i++) {
      const zone = zones.length > 0 ? zones[i % zones.length] : undefined;
      nodes.push({
        name: `${env.name}-${pool.name}-${i}`,
        cpu: String(size.cpu),
        memory: `${size.memoryGiB}Gi`,
        pods: pool.maxPods,
        labels: {
          'k8s-platform-kit.dev/pool': pool.name,
          'node.kubernetes.io/instance-type': type,
          'topology.kubernetes.io/region': env.region,
          ...(zone !== undefined && { 'topology.kubernetes.io/zone': env.cloud === 'azure' ? `${env.region}-${zone}` : zone }),
          ...pool.labels,
        },
        taints: pool.taints,
      });
    }
  }
  return nodes;
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
