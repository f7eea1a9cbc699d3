/**
 * The generated fleet of the benchmark: N services spread over namespaces, one Chart per
 * namespace. The kit builds each as a HardenedDeployment (Deployment, Service, PDB, HPA,
 * NetworkPolicy, ServiceMonitor and a hashed ConfigMap); the baseline builds the same
 * containers as plain cdk8s-plus Deployments and Services.
 */
import { Chart, Size, type App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EnvValue, HardenedDeployment, IngressPeer, Probe, type HardenedDeploymentProps } from '../constructs/index.js';

/** Services per namespace (and so per Chart, and per manifest file). */
export const SERVICES_PER_NAMESPACE = 25;

/** The objects one kit service synthesizes to. */
export const KIT_KINDS: readonly string[] = [
  'ConfigMap', 'Deployment', 'Service', 'ServiceMonitor', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy',
];

/** The objects one baseline service synthesizes to. */
export const BASELINE_KINDS: readonly string[] = ['Deployment', 'Service'];

/** What varies from service to service; the same inputs feed the kit and the baseline. */
export interface ServiceSpec {
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly cpuRequest: string;
  readonly memory: string;
  readonly logLevel: string;
  readonly config: Readonly<Record<string, string>>;
}

/** The namespace of service `index`. */
export function namespaceOf(index: number): string {
  return `team-${String(Math.floor(index / SERVICES_PER_NAMESPACE)).padStart(3, '0')}`;
}

/** The inputs of service `index` (deterministic: the same index always gives the same service). */
export function serviceSpec(index: number): ServiceSpec {
  const name = `svc-${String(index).padStart(4, '0')}`;
  return {
    index,
    name,
    namespace: namespaceOf(index),
    image: `registry.example.com/fleet/${name}:1.${index % 40}.${index % 7}`,
    cpuRequest: `${100 + (index % 5) * 50}m`,
    memory: `${128 * (1 + (index % 4))}Mi`,
    logLevel: index % 3 === 0 ? 'debug' : 'info',
    config: {
      'app.yaml': `service: ${name}\nreplicasHint: ${2 + (index % 3)}\nfeatures:\n  search: ${index % 2 === 0}\n  cache: true\n`,
      'log.properties': `level=${index % 3 === 0 ? 'debug' : 'info'}\nformat=json\n`,
    },
  };
}

/** The specs of the fleet, grouped by namespace, in order. */
export function fleetByNamespace(count: number): Map<string, ServiceSpec[]> {
  const groups = new Map<string, ServiceSpec[]>();
  for (let index = 0; index < count; index++) {
    const spec = serviceSpec(index);
    const group = groups.get(spec.namespace) ?? [];
    group.push(spec);
    groups.set(spec.namespace, group);
  }
  return groups;
}

/** The HardenedDeployment props of one service. */
export function kitProps(spec: ServiceSpec): HardenedDeploymentProps {
  return {
    name: spec.name,
    namespace: spec.namespace,
    image: spec.image,
    ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }],
    resources: { cpu: { request: spec.cpuRequest }, memory: { request: spec.memory, limit: spec.memory } },
    liveness: Probe.httpGet('/healthz', { port: 'http' }),
    readiness: Probe.httpGet('/ready', { port: 'http', periodSeconds: 5 }),
    env: [{ name: 'LOG_LEVEL', value: EnvValue.fromValue(spec.logLevel) }],
    config: spec.config,
    writablePaths: ['/tmp'],
    autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilizationPercent: 70 },
    metrics: { port: 'metrics' },
    allowIngressFrom: [IngressPeer.namespace('gateway')],
  };
}

/** Adds the kit's fleet of `count` services to `app`: one Chart per namespace. */
export function buildKitFleet(app: App, count: number): void {
  for (const [namespace, specs] of fleetByNamespace(count)) {
    const chart = new Chart(app, namespace, { namespace });
    for (const spec of specs) new HardenedDeployment(chart, spec.name, kitProps(spec));
  }
}

/** Adds the baseline fleet to `app`: the same containers as plain cdk8s-plus Deployments and Services. */
export function buildBaselineFleet(app: App, count: number): void {
  for (const [namespace, specs] of fleetByNamespace(count)) {
    const chart = new Chart(app, namespace, { namespace });
    for (const spec of specs) {
      const deployment = new kplus.Deployment(chart, spec.name, {
        metadata: { name: spec.name },
        replicas: 2,
        containers: [{
          name: 'main',
          image: spec.image,
          ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }],
          resources: {
            cpu: { request: kplus.Cpu.millis(parseInt(spec.cpuRequest, 10)) },
            memory: { request: Size.mebibytes(parseInt(spec.memory, 10)), limit: Size.mebibytes(parseInt(spec.memory, 10)) },
          },
          liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
          readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
          envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue(spec.logLevel) },
        }],
      });
      new kplus.Service(chart, `${spec.name}-service`, {
        metadata: { name: spec.name },
        selector: deployment,
        ports: [{ port: 8080, targetPort: 8080, name: 'http' }, { port: 9090, targetPort: 9090, name: 'metrics' }],
      });
    }
  }
}

