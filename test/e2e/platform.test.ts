/**
 * End to end, against a real API server (`npm run test:e2e`): every environment's synth
 * output (the platform and the apps, chart by chart in Flux's order) is accepted by
 * server-side dry-run and apply, and its workloads roll out on simulated nodes shaped like
 * the environment's pools (those that claim volumes wait for a provisioner the simulated
 * cluster does not run; their claims are checked); image and config changes roll out; and the seed 003
 * story: the fifth replica stays Pending on "Too many pods" until a node pool with the
 * kit's EKS max-pods joins.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { buildApp } from '../../charts/app.js';
import { loadEnvironment, type Environment } from '../../charts/environment.js';
import { AppNamespace, HardenedDeployment, Probe } from '../../constructs/index.js';
import { createNodes, crdFiles, deleteNodes, getJson, kubectl, nodesOf, synth, type NodeSpec } from './_cluster.js';

const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const THIRD_PARTY = process.env.KIT_THIRD_PARTY ?? join('..', 'shared', 'third-party');
/** Set when the suite runs against a cluster it did not start (KIT_E2E_KUBECONFIG). */
const FOREIGN_CLUSTER = process.env.KIT_E2E_FOREIGN === '1';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/**
 * The chart directories of a synthesized environment in the order Flux applies them (each
 * after the charts its Kustomization dependsOn), each with its files in the order its
 * kustomization.yaml lists them.
 */
function manifestsIn(dir: string): { chart: string; file: string; objects: Manifest[] }[] {
  const read = (file: string) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as Manifest).filter(Boolean);
  const kustomizations = new Map((parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources
    .map((file) => read(file)[0] as unknown as { spec: { path: string; dependsOn?: { name: string }[] }; metadata: { name: string } })
    .map((k) => [k.metadata.name, k]));
  const order: string[] = [];
  const visit = (name: string) => {
    if (order.includes(name)) return;
    for (const dependency of kustomizations.get(name)?.spec.dependsOn ?? []) visit(dependency.name);
    order.push(name);
  };
  for (const name of [...kustomizations.keys()].sort()) visit(name);
  return order.flatMap((name) => {
    const chart = basename(kustomizations.get(name)!.spec.path);
    const listed = (parse(readFileSync(join(dir, chart, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources;
    return listed.map((file) => ({ chart, file: join(dir, chart, file), objects: read(join(chart, file)) }));
  });
}

/** Server-side dry-run, then apply, of a synthesized environment, chart by chart and file by file in order. */
function dryRunThenApply(dir: string): void {
  for (const { file } of manifestsIn(dir)) {
    kubectl(['apply', '--server-side', '--field-manager=k8s-platform-kit', '--dry-run=server', '-f', file]);
    kubectl(['apply', '--server-side', '--field-manager=k8s-platform-kit', '-f', file]);
  }
}

/** True for a workload whose pods claim volumes: they wait for a storage provisioner, which the simulated cluster does not run. */
function claimsVolumes(workload: Manifest & { spec?: { volumeClaimTemplates?: unknown[]; template?: { spec?: { volumes?: { persistentVolumeClaim?: unknown }[] } } } }): boolean {
  return (workload.spec?.volumeClaimTemplates?.length ?? 0) > 0 || (workload.spec?.template?.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim);
}

function rolloutStatus(kind: string, name: string, namespace: string): void {
  kubectl(['rollout', 'status', `${kind}/${name}`, '-n', namespace, '--timeout=180s']);
}

function deleteNamespace(name: string): void {
  kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=true', '--timeout=120s'], { allowFailure: true });
}

before(() => {
  if (FOREIGN_CLUSTER) return; // a user's cluster: use the CRDs installed there
  if (!existsSync(THIRD_PARTY)) {
    throw new Error(`${THIRD_PARTY} not found: the end-to-end suite installs the pinned CRDs from ../shared/third-party (set KIT_THIRD_PARTY to its path)`);
  }
  for (const file of crdFiles(THIRD_PARTY)) kubectl(['apply', '--server-side', '--force-conflicts', '-f', file]);
  kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
});

for (const name of ENVIRONMENTS) {
  describe(`${name}: synth output on a real API server`, () => {
    let env: Environment;
    let dir: string;
    before(() => {
      env = loadEnvironment(name);
      dir = synth(name);
      createNodes(nodesOf(env));
    });
    after(() => {
      // One cluster per environment in real life: remove this one's cluster-scoped objects
      // (a StorageClass's provisioner cannot change, for one) and its namespaces.
      for (const { file, objects } of manifestsIn(dir)) {
        if (objects.some((o) => o.kind !== 'Namespace' && o.metadata.namespace === undefined)) {
          kubectl(['delete', '-f', file, '--ignore-not-found', '--wait=false'], { allowFailure: true });
        }
      }
      for (const { objects } of manifestsIn(dir)) {
        for (const namespace of objects.filter((o) => o.kind === 'Namespace')) deleteNamespace(namespace.metadata.name);
      }
      if (manifestsIn(dir).some((m) => m.chart === 'backups')) deleteNamespace('velero');
      deleteNodes();
      rmSync(dir, { recursive: true, force: true });
    });

    it('is accepted object by object by server-side dry-run, then applied', () => {
      // Velero is installed outside the kit: its CRDs are (with the pinned ones), its namespace stands in for it.
      if (manifestsIn(dir).some((m) => m.chart === 'backups')) kubectl(['create', 'namespace', 'velero'], { allowFailure: true });
      dryRunThenApply(dir);
      for (const { file } of manifestsIn(dir)) kubectl(['get', '-f', file]);
    });

    it('rolls out every Deployment, StatefulSet and DaemonSet on nodes shaped like its pools (those without volume claims)', () => {
      const workloads = manifestsIn(dir).flatMap((m) => m.objects).filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
      const rolled = workloads.filter((w) => !claimsVolumes(w));
      assert.ok(rolled.some((w) => w.metadata.name === 'todoapi'));
      for (const workload of rolled) rolloutStatus(workload.kind.toLowerCase(), workload.metadata.name, workload.metadata.namespace ?? 'default');
      // Data stores wait for their volumes: their claims exist, Pending until a provisioner binds them.
      for (const workload of workloads.filter(claimsVolumes).filter((w) => w.kind === 'StatefulSet')) {
        const claims = getJson(['get', 'persistentvolumeclaims', '-n', workload.metadata.namespace ?? 'default']).items as { metadata: { name: string }; status: { phase: string } }[];
        assert.ok(claims.some((c) => c.metadata.name.endsWith(`-${workload.metadata.name}-0`)), `${workload.metadata.name}: no claim`);
      }
      const pods = getJson(['get', 'pods', '-n', env.apps.namespace]).items as { spec: { nodeName?: string }; status: { phase: string } }[];
      assert.equal(pods.length, env.apps.todoapi.replicas);
      assert.ok(pods.every((p) => p.status.phase === 'Running' && p.spec.nodeName?.startsWith(`${name}-`)));
    });

    it('has PodDisruptionBudgets the disruption controller evaluates over the running pods, and HPAs accepted', () => {
      const objects = manifestsIn(dir).flatMap((m) => m.objects);
      const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.namespace === env.apps.namespace);
      assert.ok(budgets.length > 0);
      for (const budget of budgets) {
        const status = waitFor(() => {
          const live = getJson(['get', 'poddisruptionbudget', budget.metadata.name, '-n', budget.metadata.namespace ?? 'default']);
          return live.status?.expectedPods === env.apps.todoapi.replicas ? live.status : undefined;
        });
        assert.ok(status.currentHealthy >= status.desiredHealthy, `PDB ${budget.metadata.name}: ${JSON.stringify(status)}`);
        assert.equal(status.disruptionsAllowed, status.currentHealthy - status.desiredHealthy);
      }
      for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
        kubectl(['get', 'horizontalpodautoscaler', hpa.metadata.name, '-n', hpa.metadata.namespace ?? 'default']);
      }
    });
  });
}

describe('rolling out changes', () => {
  const namespace = 'e2e-rollout';
  const node: NodeSpec = { name: 'rollout-0', cpu: '4', memory: '16Gi', pods: 110, labels: {}, taints: [] };

  function applyApp(image: string, config: string): void {
    const app = new App();
    new AppNamespace(new Chart(app, 'ns'), 'Ns', { name: namespace });
    new HardenedDeployment(new Chart(app, 'web', { namespace }), 'Web', {
      name: 'web',
      image,
      replicas: 2,
      ports: [{ number: 8080, name: 'http' }],
      resources: { cpu: { request: '100m' }, memory: { request: '64Mi', limit: '64Mi' } },
      liveness: Probe.httpGet('/healthz'),
      readiness: Probe.httpGet('/ready'),
      config: { 'app.yaml': config },
    });
    kubectl(['apply', '--server-side', '--field-manager=k8s-platform-kit', '-f', '-'], { input: app.synthYaml() });
  }

  function podTemplate() {
    return getJson(['get', 'deployment', 'web', '-n', namespace]).spec.template.spec;
  }

  before(() => createNodes([node]));
  after(() => {
    deleteNamespace(namespace);
    deleteNodes();
  });

  it('rolls a changed image out', () => {
    applyApp('registry.example.com/web:1.0.0', 'level: info\n');
    rolloutStatus('deployment', 'web', namespace);
    applyApp('registry.example.com/web:1.0.1', 'level: info\n');
    rolloutStatus('deployment', 'web', namespace);
    assert.equal(podTemplate().containers[0].image, 'registry.example.com/web:1.0.1');
  });

  it('rolls the pods when the configuration changes (the hashed ConfigMap)', () => {
    const before = podTemplate().volumes.find((v: { configMap?: unknown }) => v.configMap).configMap.name;
    applyApp('registry.example.com/web:1.0.1', 'level: debug\n');
    rolloutStatus('deployment', 'web', namespace);
    const afterName = podTemplate().volumes.find((v: { configMap?: unknown }) => v.configMap).configMap.name;
    assert.notEqual(afterName, before);
    const pods = getJson(['get', 'pods', '-n', namespace]).items as { spec: { volumes: { configMap?: { name: string } }[] } }[];
    assert.ok(pods.every((p) => p.spec.volumes.some((v) => v.configMap?.name === afterName)), 'every running pod mounts the new ConfigMap');
  });
});

describe('seed 003: the fifth replica and "Too many pods"', () => {
  const small = (i: number): NodeSpec => ({
    name: `small-${i}`,
    cpu: '2',
    memory: '4Gi',
    pods: 4, // the ENI-bound max-pods of a small instance without prefix delegation
    labels: { 'k8s-platform-kit.dev/pool': 'small' },
    taints: [],
  });
  const systemPods = (node: string, names: string[]) => names.map((pod) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${pod}-${node}`, namespace: 'kube-system' },
    spec: { nodeName: node, containers: [{ name: pod, image: 'registry.k8s.io/pause:3.10' }] },
  }));

  after(() => {
    deleteNamespace('todo');
    kubectl(['delete', 'pods', '-n', 'kube-system', '--all', '--wait=true', '--timeout=60s'], { allowFailure: true });
    deleteNodes();
  });

  it('leaves the fifth replica Pending on three small nodes, and schedules it on a node of the kit\'s EKS pool', () => {
    createNodes([small(0), small(1), small(2)]);
    // aws-node and kube-proxy on every node, CoreDNS on two: room for four more pods.
    const system = [
      ...systemPods('small-0', ['aws-node', 'kube-proxy', 'coredns']),
      ...systemPods('small-1', ['aws-node', 'kube-proxy', 'coredns']),
      ...systemPods('small-2', ['aws-node', 'kube-proxy']),
    ];
    kubectl(['apply', '-f', '-'], { input: system.map((p) => JSON.stringify(p)).join('\n') });

    const dev = loadEnvironment('dev');
    const five = { ...dev, apps: { ...dev.apps, todoapi: { ...dev.apps.todoapi, replicas: 5 } } };
    // The todoapi and its namespace: the seed's cluster runs nothing else.
    const app = buildApp(five);
    const todo = ['namespaces', 'todoapi'].flatMap((id) => (app.node.findChild(id) as Chart).toJson());
    kubectl(['apply', '--server-side', '--field-manager=k8s-platform-kit', '-f', '-'], { input: todo.map((o) => JSON.stringify(o)).join('\n') });

    const pending = waitFor(() => {
      const pods = getJson(['get', 'pods', '-n', 'todo']).items as { status: { phase: string; conditions?: { type: string; status: string; message?: string }[] } }[];
      const running = pods.filter((p) => p.status.phase === 'Running').length;
      const stuck = pods.filter((p) => p.status.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
      return pods.length === 5 && running === 4 && stuck.length === 1 ? stuck[0] : undefined;
    });
    const message = pending.status.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? '';
    assert.match(message, /Too many pods/);

    const prod = loadEnvironment('prod');
    const [general] = nodesOf(prod);
    assert.equal(general?.pods, 110, "the kit's EKS pools run 110 pods per node (prefix delegation)");
    createNodes([{ ...general!, name: 'prefix-delegation-0' }]);
    rolloutStatus('deployment', 'todoapi', 'todo');
  });
});

/** Polls `check` every second for up to two minutes until it returns a value. */
function waitFor<T>(check: () => T | undefined): T {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met within 120 s');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
}
