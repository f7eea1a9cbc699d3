/**
 * Test helpers for HardenedDeployment: minimal valid props, and a synth that returns the
 * objects of one deployment by kind.
 */
import { Testing } from 'cdk8s';
import { HardenedDeployment, Probe, type HardenedDeploymentProps } from '../../../constructs/index.js';

/** The objects `Testing.synth` returns (plain JSON). */
export type Manifests = ReturnType<typeof Testing.synth>;

/**
 * The smallest props HardenedDeployment accepts: a pinned image, one named port, requests
 * and a memory limit (Burstable), and HTTP liveness and readiness probes.
 */
export function minimalProps(overrides: Partial<HardenedDeploymentProps> = {}): HardenedDeploymentProps {
  return {
    image: 'registry.example.com/todo-api:1.4.2',
    ports: [{ number: 8080, name: 'http' }],
    resources: { cpu: { request: '250m' }, memory: { request: '256Mi', limit: '256Mi' } },
    liveness: Probe.httpGet('/healthz'),
    readiness: Probe.httpGet('/ready'),
    ...overrides,
  };
}

/** Minimal valid props for a workload with no ports (exec probes need none). */
export function portlessProps(overrides: Partial<HardenedDeploymentProps> = {}): HardenedDeploymentProps {
  return minimalProps({
    ports: [],
    liveness: Probe.exec(['/bin/healthcheck', 'live']),
    readiness: Probe.exec(['/bin/healthcheck', 'ready']),
    ...overrides,
  });
}

/** The first object of `kind`, or undefined. */
export function ofKind(manifests: Manifests, kind: string) {
  return manifests.find((o) => o.kind === kind);
}

/** Every object of `kind`. */
export function allOfKind(manifests: Manifests, kind: string): Manifests {
  return manifests.filter((o) => o.kind === kind);
}

/**
 * Builds a HardenedDeployment with id `api` in `Testing.chart()` (construct path `test/api`)
 * and synthesizes it.
 */
export function synthDeployment(props: HardenedDeploymentProps) {
  const chart = Testing.chart();
  const workload = new HardenedDeployment(chart, 'api', props);
  const manifests = Testing.synth(chart);
  const deployment = ofKind(manifests, 'Deployment');
  return {
    workload,
    manifests,
    deployment,
    podTemplate: deployment.spec.template,
    pod: deployment.spec.template.spec,
    container: deployment.spec.template.spec.containers[0],
    service: ofKind(manifests, 'Service'),
    pdb: ofKind(manifests, 'PodDisruptionBudget'),
    networkPolicy: ofKind(manifests, 'NetworkPolicy'),
    hpa: ofKind(manifests, 'HorizontalPodAutoscaler'),
    configMap: ofKind(manifests, 'ConfigMap'),
  };
}

/** Builds a HardenedDeployment with id `api` in `Testing.chart()`, for error tests. */
export function build(props: HardenedDeploymentProps): HardenedDeployment {
  return new HardenedDeployment(Testing.chart(), 'api', props);
}

/** The start of every HardenedDeployment error in these tests. */
export const AT = "HardenedDeployment 'test/api': ";
