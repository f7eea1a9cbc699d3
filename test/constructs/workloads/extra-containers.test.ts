/**
 * The rest of a real pod, part two: native sidecars and init containers on the hardened
 * pod (restricted context, pinned image, resources counted in the QoS class and by the
 * planner), mounting the pod's own volumes; each refused when it has no resources, an
 * unpinned image, a taken name or a volume the pod does not have.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { EnvValue, HardenedDeployment, Probe, QosClass, validateApp, type ExtraContainer, type HardenedDeploymentProps } from '../../../constructs/index.js';
import { podRequests } from '../../../constructs/capacity/workloads.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const SMALL = { cpu: { request: '50m', limit: '50m' }, memory: { request: '64Mi', limit: '64Mi' } };
const WEB: HardenedDeploymentProps = {
  name: 'web',
  image: 'registry.example.com/web:1.4.2',
  ports: [{ number: 8080, name: 'http' }],
  resources: { cpu: { request: '100m', limit: '100m' }, memory: { request: '128Mi', limit: '128Mi' } },
  liveness: Probe.httpGet('/healthz'),
  readiness: Probe.httpGet('/ready'),
  writablePaths: ['/tmp'],
};
const PROXY: ExtraContainer = { name: 'proxy', image: 'registry.example.com/proxy:2.0.0', resources: SMALL, mounts: [{ volume: 'writable-0', mountPath: '/tmp' }] };
const MIGRATE: ExtraContainer = { name: 'migrate', image: 'registry.example.com/migrate:1.0.0', args: ['up'], resources: SMALL, env: [{ name: 'MODE', value: EnvValue.fromValue('up') }] };

function build(props: Partial<HardenedDeploymentProps>) {
  const app = new App();
  const web = new HardenedDeployment(new Chart(app, 'c', { namespace: 'shop' }), 'Web', { ...WEB, ...props });
  const deployment = app.charts.flatMap((chart) => chart.toJson() as any[]).find((o) => o.kind === 'Deployment');
  return { app, web, pod: deployment.spec.template.spec, annotations: deployment.spec.template.metadata.annotations };
}

describe('sidecars and init containers', () => {
  it('run sidecars first and restarted, then init containers, each hardened like main, counted in the QoS class and the pod\'s requests', async () => {
    const { app, web, pod, annotations } = build({ sidecars: [PROXY], initContainers: [MIGRATE] });
    assert.deepEqual(pod.initContainers.map((c: any) => [c.name, c.restartPolicy, c.imagePullPolicy]), [['proxy', 'Always', 'IfNotPresent'], ['migrate', undefined, 'IfNotPresent']]);
    for (const container of pod.initContainers) {
      assert.deepEqual([container.securityContext.readOnlyRootFilesystem, container.securityContext.capabilities], [true, { drop: ['ALL'] }]);
      assert.deepEqual(container.resources, { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '50m', memory: '64Mi' } });
    }
    assert.deepEqual(pod.initContainers[0].volumeMounts, [{ name: 'writable-0', mountPath: '/tmp' }]);
    assert.deepEqual(pod.initContainers[1].env, [{ name: 'MODE', value: 'up' }]);
    // Every container's limits equal its requests: Guaranteed, with the sidecar's.
    assert.deepEqual([web.qosClass, annotations['k8s-platform-kit.dev/qos-class']], [QosClass.GUARANTEED, 'Guaranteed']);
    // The scheduler's view: main plus the sidecar, or the init container beside the sidecar, whichever is larger.
    assert.deepEqual(podRequests(pod), { cpu: 150, memory: 192 * 1024 * 1024 });
    assert.deepEqual((await validateApp(app)).errors.map((f) => f.message), []);
  });

  it('make the pod Burstable when a sidecar has no CPU limit, as Kubernetes counts it', () => {
    assert.equal(build({ sidecars: [{ ...PROXY, resources: { ...SMALL, cpu: { request: '50m' } } }] }).web.qosClass, QosClass.BURSTABLE);
  });

  const refuses: [string, Partial<HardenedDeploymentProps>, string][] = [
    ['a sidecar with no resources', { sidecars: [{ ...PROXY, resources: undefined as never }] },
      "HardenedDeployment 'c/Web': sidecars[0].resources (undefined) needs cpu.request, memory.request and memory.limit"],
    ['a container named main', { initContainers: [{ ...MIGRATE, name: 'main' }] },
      "HardenedDeployment 'c/Web': initContainers[0].name ('main') is the name of another container of the pod (main); expected each container name once"],
    ['an unpinned image', { sidecars: [{ ...PROXY, image: 'registry.example.com/proxy:latest' }] },
      "HardenedDeployment 'c/Web': sidecars[0].image ('registry.example.com/proxy:latest') uses the mutable tag 'latest'; expected an image pinned by a version tag or a digest, e.g. 'busybox:1.37.0' or 'busybox@sha256:<digest>'"],
    ['a mount of a volume the pod does not have', { sidecars: [{ ...PROXY, mounts: [{ volume: 'logs', mountPath: '/logs' }] }] },
      "HardenedDeployment 'c/Web': sidecars[0].mounts[0].volume ('logs') is not a volume of the pod; expected one of: writable-0"],
    ['a limit below its request', { initContainers: [{ ...MIGRATE, resources: { ...SMALL, memory: { request: '128Mi', limit: '64Mi' } } }] },
      "HardenedDeployment 'c/Web': initContainers[0].resources.memory.limit ('64Mi') is below initContainers[0].resources.memory.request (128Mi)"],
  ];
  for (const [title, props, message] of refuses) {
    it(`refuses ${title}, naming the prop and the value`, () => {
      assert.throws(() => build(props), (error: Error) => {
        assert.equal(error.message, message);
        return true;
      });
    });
  }
});
