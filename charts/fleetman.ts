import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  AppNamespace, BlueGreenDeployment, EnvValue, HardenedDeployment, IngressPeer, Probe, StatefulMongo,
  type HardenedDeploymentProps, type IngressController,
} from '../constructs/index.js';
import type { Apps } from './environment.js';

/** Properties of {@link FleetmanChart}. */
export interface FleetmanChartProps extends Omit<ChartProps, 'namespace'>, Readonly<NonNullable<Apps['fleetman']>> {
  /** The edge's controller (PlatformChart `ingressController`): its proxies are the webapp's only callers from outside. */
  readonly edge: IngressController;
  /**
   * Who scrapes the services' metrics (MonitoringStack `scrapers`).
   * @default - HardenedDeployment's metrics default (the pods of namespace `monitoring`)
   */
  readonly scrapedBy?: IngressPeer;
}

/** The Spring Boot services' shared shape: port 8080, actuator-less TCP probes, JVM-sized memory. */
const SPRING: Pick<HardenedDeploymentProps, 'resources' | 'liveness' | 'readiness' | 'startup' | 'writablePaths'> = {
  resources: { cpu: { request: '100m' }, memory: { request: '384Mi', limit: '512Mi' } },
  startup: Probe.tcpSocket({ periodSeconds: 5, failureThreshold: 36 }),
  liveness: Probe.tcpSocket({ periodSeconds: 10 }),
  readiness: Probe.tcpSocket({ periodSeconds: 5 }),
  writablePaths: ['/tmp'],
};

/**
 * The fleetman microservices of the course notes: vehicles' positions flow from the
 * position simulator through an ActiveMQ queue to the position tracker (which keeps them in
 * MongoDB), the API gateway serves them and the Angular webapp shows them on a map.
 *
 * - webapp: blue/green (the chart's release example; `webapp.active` moves the traffic);
 * - api-gateway and position-tracker: replicated and autoscaled;
 * - position-simulator: a singleton, because two simulators would report every vehicle twice;
 * - queue: a singleton ActiveMQ broker, because its messages live in one broker's memory;
 * - MongoDB: a StatefulMongo replica set.
 *
 * Service names are the ones the images look up (`fleetman-queue`, `fleetman-api-gateway`, …).
 */
export class FleetmanChart extends Chart {
  public readonly webapp: BlueGreenDeployment;
  public readonly apiGateway: HardenedDeployment;
  public readonly positionTracker: HardenedDeployment;
  public readonly positionSimulator: HardenedDeployment;
  public readonly queue: HardenedDeployment;
  public readonly mongo: StatefulMongo;

  constructor(scope: Construct, id: string, props: FleetmanChartProps) {
    super(scope, id, props);
    const { namespace, images } = props;
    new AppNamespace(this, 'Namespace', { name: namespace });

    this.mongo = new StatefulMongo(this, 'Mongo', {
      namespace,
      members: props.mongo.members,
      storage: { size: props.mongo.storage, ...(props.storageClass !== undefined && { storageClass: props.storageClass }) },
      admin: { username: { name: 'mongo-admin', key: 'username' }, password: { name: 'mongo-admin', key: 'password' } },
      keyfile: { name: 'mongo-keyfile', key: 'keyfile' },
    });

    this.queue = new HardenedDeployment(this, 'Queue', {
      name: 'fleetman-queue',
      image: images.queue,
      singleton: { reason: 'one ActiveMQ broker: its queue lives in its memory, and a second broker would split the messages between them' },
      ports: [{ number: 61616, name: 'openwire' }, { number: 8161, name: 'admin' }],
      resources: { cpu: { request: '100m' }, memory: { request: '512Mi', limit: '768Mi' } },
      startup: Probe.tcpSocket({ port: 61616, periodSeconds: 5, failureThreshold: 24 }),
      liveness: Probe.tcpSocket({ port: 61616, periodSeconds: 10 }),
      readiness: Probe.tcpSocket({ port: 61616, periodSeconds: 5 }),
      writablePaths: ['/tmp', '/opt/activemq/data'],
      allowIngressFrom: [],
    });

    this.positionSimulator = new HardenedDeployment(this, 'PositionSimulator', {
      name: 'fleetman-position-simulator',
      image: images.positionSimulator,
      singleton: { reason: 'two simulators would report every vehicle twice' },
      env: [{ name: 'SPRING_PROFILES_ACTIVE', value: EnvValue.fromValue('production-microservice') }],
      resources: { cpu: { request: '50m' }, memory: { request: '256Mi', limit: '384Mi' } },
      liveness: Probe.waived('a batch publisher with no port or health command; the kubelet restarts it if the JVM exits'),
      readiness: Probe.waived('serves no traffic, so readiness gates nothing'),
      writablePaths: ['/tmp'],
    });

    this.positionTracker = new HardenedDeployment(this, 'PositionTracker', {
      ...SPRING,
      name: 'fleetman-position-tracker',
      image: images.positionTracker,
      ports: [{ number: 8080, name: 'http' }],
      autoscaling: { minReplicas: 2, maxReplicas: props.maxReplicas, cpuUtilizationPercent: 200 },
      env: [
        { name: 'SPRING_PROFILES_ACTIVE', value: EnvValue.fromValue('production-microservice') },
        { name: 'SPRING_DATA_MONGODB_URI', value: EnvValue.fromValue(this.mongo.connectionStringFor('fleetman')) },
      ],
      metrics: { port: 'http', path: '/actuator/prometheus', ...(props.scrapedBy && { allowFrom: [props.scrapedBy] }) },
    });
    this.mongo.allowFrom(this.positionTracker);

    this.apiGateway = new HardenedDeployment(this, 'ApiGateway', {
      ...SPRING,
      name: 'fleetman-api-gateway',
      image: images.apiGateway,
      ports: [{ number: 8080, name: 'http' }],
      autoscaling: { minReplicas: 2, maxReplicas: props.maxReplicas, cpuUtilizationPercent: 400 },
      env: [{ name: 'SPRING_PROFILES_ACTIVE', value: EnvValue.fromValue('production-microservice') }],
    });

    this.webapp = new BlueGreenDeployment(this, 'Webapp', {
      name: 'fleetman-webapp',
      blue: { image: images.webapp.blue },
      ...(images.webapp.green !== undefined && { green: { image: images.webapp.green } }),
      active: images.webapp.active,
      replicas: 2,
      ports: [{ number: 8080, name: 'http' }],
      resources: { cpu: { request: '50m' }, memory: { request: '64Mi', limit: '128Mi' } },
      liveness: Probe.httpGet('/', { periodSeconds: 10 }),
      readiness: Probe.httpGet('/', { periodSeconds: 5 }),
      writablePaths: ['/tmp', '/var/cache/nginx'],
      allowIngressFrom: [props.edge.proxies],
    });

    // Who calls whom: every NetworkPolicy admits exactly its callers.
    this.queue.allowIngress([this.positionSimulator, this.positionTracker].map((caller) => IngressPeer.workload(caller)), ['openwire']);
    this.positionTracker.allowIngress([IngressPeer.workload(this.apiGateway)]);
    this.apiGateway.allowIngress(Object.values(this.webapp.copies).map((caller) => IngressPeer.workload(caller)));
  }
}
