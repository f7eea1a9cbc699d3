/**
 * What the planner reads from manifests: pod requests as the scheduler computes them, replica
 * counts at rest and at the HPA's maximum, rollout budgets, and what it cannot know.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IPodSpec } from 'kubernetes-models/v1';
import { podRequests, resolveIntOrPercent, workloadsOf } from '../../../constructs/capacity/index.js';
import { buildApp } from '../../../charts/app.js';
import { loadEnvironment } from '../../../charts/environment.js';
import { objectsOf } from '../../../constructs/capacity/index.js';
import { deployment, helmRelease, hpa } from './_fixtures.js';

const MIB = 1024 * 1024;
const container = (name: string, cpu: string, memory: string, extra: Record<string, unknown> = {}) =>
  ({ name, image: 'x', resources: { requests: { cpu, memory } }, ...extra });

describe('pod requests', () => {
  it('sum the containers; a container with limits only is requested at its limits', () => {
    const spec = { containers: [container('a', '100m', '64Mi'), { name: 'b', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } as IPodSpec;
    assert.deepEqual(podRequests(spec), { cpu: 1100, memory: 1088 * MIB });
  });

  it('take the largest init container when it is larger, and add sidecars (init containers that keep running) to both', () => {
    const spec = {
      initContainers: [container('sidecar', '50m', '32Mi', { restartPolicy: 'Always' }), container('migrate', '1', '64Mi')],
      containers: [container('app', '200m', '256Mi')],
    } as IPodSpec;
    assert.deepEqual(podRequests(spec), { cpu: 1050, memory: 288 * MIB });
  });

  it('add the pod overhead', () => {
    const spec = { containers: [container('a', '100m', '64Mi')], overhead: { cpu: '250m', memory: '120Mi' } } as IPodSpec;
    assert.deepEqual(podRequests(spec), { cpu: 350, memory: 184 * MIB });
  });

  it('give containers without requests their namespace LimitRange defaults', () => {
    const limitRange = {
      apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'apps' },
      spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '250m', memory: '256Mi' }, default: { cpu: '500m', memory: '512Mi' } }] },
    };
    const bare = deployment('bare', { replicas: 1 });
    ((bare.spec as any).template.spec.containers[0] as Record<string, unknown>).resources = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
    const { workloads } = workloadsOf([limitRange, bare]);
    assert.deepEqual(workloads[0]?.template.requests, { cpu: 250, memory: 256 * MIB });
  });
});

describe('replicas and rollouts', () => {
  it('resolve percentages as the Deployment controller does: surge rounds up, unavailable down', () => {
    assert.equal(resolveIntOrPercent('25%', 6, '25%', true), 2);
    assert.equal(resolveIntOrPercent('25%', 6, '25%', false), 1);
    assert.equal(resolveIntOrPercent(undefined, 3, '25%', false), 0);
    assert.equal(resolveIntOrPercent(2, 10, '25%', true), 2);
  });

  it('read replicas, the HPA maximum, and the rollout budget of each Deployment', () => {
    const { workloads } = workloadsOf([
      deployment('web', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } }),
      hpa('web', 2, 10),
      deployment('worker', { replicas: 1, strategy: { type: 'Recreate' } }),
    ]);
    const [web, worker] = workloads;
    assert.equal(web?.id, 'Deployment/apps/web');
    assert.equal(web?.replicas, 4);
    assert.equal(web?.peakReplicas, 10);
    assert.deepEqual(web?.rollout, { maxSurge: 1, maxUnavailable: 0 });
    assert.equal(worker?.rollout, undefined, 'Recreate needs no extra room');
  });

  it('raise replicas below the HPA minimum to it', () => {
    const { workloads } = workloadsOf([deployment('web', { replicas: 1 }), hpa('web', 3, 5)]);
    assert.equal(workloads[0]?.replicas, 3);
  });

  it('count Jobs and CronJobs by parallelism and DaemonSets per node; list HelmReleases as not counted', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'apps' }, spec: { parallelism: 3, template: { spec: { containers: [container('c', '1', '1Gi')] } } } };
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'ops' }, spec: { template: { spec: { containers: [container('c', '10m', '10Mi')] } } } };
    const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'monitoring', namespace: 'ops' }, spec: {} };
    const { workloads, uncounted } = workloadsOf([job, ds, release]);
    assert.deepEqual(workloads.map((w) => [w.id, w.replicas, w.daemon]), [['Job/apps/j', 3, false], ['DaemonSet/ops/agent', 1, true]]);
    assert.deepEqual(uncounted, [{
      id: 'HelmRelease/ops/monitoring',
      reason: 'its pods are rendered from a chart when it is installed; declare them in its k8s-platform-kit.dev/workloads annotation to count them',
    }]);
  });

  it('list Gateways as not counted: their controller creates the proxy pods', () => {
    const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'edge' }, spec: {} };
    assert.deepEqual(workloadsOf([gateway]).uncounted, [{
      id: 'Gateway/edge/edge',
      reason: 'its proxy pods are created by its Gateway controller (Envoy Gateway: an Envoy Deployment per Gateway)',
    }]);
  });
});

describe('pods declared by HelmReleases', () => {
  it('are read from the workloads annotation, in the target namespace, named after their release', () => {
    const release = helmRelease('stack', 'flux-system', [
      { name: 'prometheus', kind: 'StatefulSet', replicas: 2, requests: { cpu: '210m', memory: '1074Mi' } },
      { name: 'node-exporter', kind: 'DaemonSet', requests: { cpu: '10m', memory: '32Mi' }, tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] },
      { name: 'operator', kind: 'Deployment', requests: { cpu: '0', memory: '0' } },
    ], 'monitoring');
    const { workloads, uncounted } = workloadsOf([release, hpa('operator', 3, 5, 'monitoring')]);
    assert.deepEqual(uncounted, []);
    assert.deepEqual(workloads.map((w) => [w.id, w.name, w.release, w.replicas, w.peakReplicas, w.daemon, w.rollout]), [
      ['StatefulSet/monitoring/prometheus (from HelmRelease flux-system/stack)', 'prometheus', 'flux-system/stack', 2, 2, false, undefined],
      ['DaemonSet/monitoring/node-exporter (from HelmRelease flux-system/stack)', 'node-exporter', 'flux-system/stack', 1, 1, true, undefined],
      ['Deployment/monitoring/operator (from HelmRelease flux-system/stack)', 'operator', 'flux-system/stack', 1, 1, false, undefined],
    ]);
    const [prometheus, nodeExporter] = workloads;
    assert.deepEqual(prometheus?.template, {
      namespace: 'monitoring',
      labels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'stack' },
      requests: { cpu: 210, memory: 1074 * MIB },
      nodeSelector: {},
      nodeAffinity: [],
      tolerations: [],
      topologySpread: [],
      antiAffinity: [],
      affinity: [],
    });
    assert.deepEqual(nodeExporter?.template.tolerations, [{ operator: 'Exists', effect: 'NoSchedule' }]);
  });

  it("are in the release's own namespace without a targetNamespace", () => {
    const { workloads } = workloadsOf([helmRelease('metrics-server', 'monitoring', [{ name: 'metrics-server', kind: 'Deployment', requests: { cpu: '50m', memory: '100Mi' } }])]);
    assert.equal(workloads[0]?.id, 'Deployment/monitoring/metrics-server (from HelmRelease monitoring/metrics-server)');
    assert.equal(workloads[0]?.template.namespace, 'monitoring');
  });

  it('a release with a bad annotation is not counted, and says why', () => {
    const bad = helmRelease('stack', 'monitoring', [{ name: 'grafana', kind: 'Deployment', requests: { cpu: 'lots', memory: '1Gi' } }]);
    const broken = { ...bad, metadata: { ...bad.metadata, name: 'broken', annotations: { 'k8s-platform-kit.dev/workloads': '[{' } } };
    const { workloads, uncounted } = workloadsOf([bad, broken]);
    assert.deepEqual(workloads, []);
    assert.deepEqual(uncounted.map((u) => u.reason), [
      "its k8s-platform-kit.dev/workloads annotation is not valid: workloads[0].requests.cpu ('lots') is not a Kubernetes quantity; expected e.g. '100m' or '0.5'",
      `its k8s-platform-kit.dev/workloads annotation is not valid: is not JSON (${jsonError('[{')})`,
    ]);
  });

  it("the repository's platform declares every controller's pods: prod's releases at prod's replicas", () => {
    const prod = loadEnvironment('prod');
    const { workloads, uncounted } = workloadsOf(objectsOf(buildApp(prod)));
    assert.deepEqual(uncounted.map((u) => u.id), ['Gateway/edge/edge']);
    assert.deepEqual(workloads.filter((w) => w.release).map((w) => [w.id, w.replicas, w.template.requests.cpu, w.template.requests.memory / MIB]), [
      ['Deployment/aws-load-balancer-controller/aws-load-balancer-controller (from HelmRelease aws-load-balancer-controller/aws-load-balancer-controller)', 2, 100, 128],
      ['Deployment/cluster-autoscaler/cluster-autoscaler (from HelmRelease cluster-autoscaler/cluster-autoscaler)', 1, 100, 300],
      ['Deployment/external-dns/external-dns (from HelmRelease external-dns/external-dns)', 1, 50, 64],
      ['Deployment/velero/velero (from HelmRelease velero/velero)', 1, 500, 128],
      ['Deployment/cert-manager/cert-manager (from HelmRelease cert-manager/cert-manager)', 2, 0, 0],
      ['Deployment/cert-manager/cert-manager-webhook (from HelmRelease cert-manager/cert-manager)', 2, 0, 0],
      ['Deployment/cert-manager/cert-manager-cainjector (from HelmRelease cert-manager/cert-manager)', 2, 0, 0],
      ['Deployment/envoy-gateway-system/envoy-gateway (from HelmRelease envoy-gateway-system/gateway-helm)', 2, 100, 256],
      ['StatefulSet/monitoring/prometheus (from HelmRelease monitoring/kube-prometheus-stack)', 2, 210, 1074],
      ['StatefulSet/monitoring/alertmanager (from HelmRelease monitoring/kube-prometheus-stack)', 3, 20, 114],
      ['Deployment/monitoring/operator (from HelmRelease monitoring/kube-prometheus-stack)', 1, 50, 128],
      ['Deployment/monitoring/grafana (from HelmRelease monitoring/kube-prometheus-stack)', 1, 50, 256],
      ['Deployment/monitoring/kube-state-metrics (from HelmRelease monitoring/kube-prometheus-stack)', 1, 10, 64],
      ['DaemonSet/monitoring/node-exporter (from HelmRelease monitoring/kube-prometheus-stack)', 1, 10, 32],
      ['Deployment/monitoring/metrics-server (from HelmRelease monitoring/metrics-server)', 1, 50, 100],
    ]);
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
