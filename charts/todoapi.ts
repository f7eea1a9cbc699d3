import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { HardenedDeployment, Probe, type IngressController } from '../constructs/index.js';
import type { Apps } from './environment.js';

/** Properties of {@link TodoApiChart}. */
export interface TodoApiChartProps extends ChartProps, Readonly<Apps['todoapi']> {
  /** The edge's controller (PlatformChart `ingressController`): its proxies are the API's only callers. */
  readonly edge: IngressController;
}

/**
 * The todoapi service: an HTTP API on port 8080 whose root endpoint answers 200, probed
 * for liveness and readiness, with requests sized so four replicas fit on three small nodes.
 */
export class TodoApiChart extends Chart {
  public readonly api: HardenedDeployment;

  constructor(scope: Construct, id: string, props: TodoApiChartProps) {
    super(scope, id, props);
    this.api = new HardenedDeployment(this, 'Api', {
      name: 'todoapi',
      ...(props.namespace !== undefined && { namespace: props.namespace }),
      image: props.image,
      replicas: props.replicas,
      ports: [{ number: 8080, name: 'http' }],
      resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '256Mi' } },
      liveness: Probe.httpGet('/', { periodSeconds: 10, failureThreshold: 3 }),
      readiness: Probe.httpGet('/', { periodSeconds: 5 }),
      writablePaths: ['/tmp'],
      allowIngressFrom: [props.edge.proxies],
    });
  }
}
