import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppNamespace, EnvValue, HardenedDeployment, Probe, Secret, StatefulRedis, type IngressController } from '../constructs/index.js';
import type { Apps } from './environment.js';

/** Properties of {@link JournalChart}. */
export interface JournalChartProps extends Omit<ChartProps, 'namespace'>, Readonly<NonNullable<Apps['journal']>> {
  /** The edge's controller (PlatformChart `ingressController`): its proxies are the only callers from outside. */
  readonly edge: IngressController;
}

/**
 * The journal app of the course notes: an API on port 8080 that serves `/api` and keeps the
 * entries in Redis (reads from any member, writes to the primary), and nginx serving the
 * static files on `/`. The number of entries per page is in the pod template, so changing
 * it rolls the API's pods (the course notes' lesson on ConfigMaps edited in place). The Redis password comes from the `redis-password` Secret, never from
 * the manifests.
 */
export class JournalChart extends Chart {
  public readonly api: HardenedDeployment;
  public readonly files: HardenedDeployment;
  public readonly redis: StatefulRedis;

  constructor(scope: Construct, id: string, props: JournalChartProps) {
    super(scope, id, props);
    const { namespace, images } = props;
    const fromGateway = [props.edge.proxies];
    new AppNamespace(this, 'Namespace', { name: namespace });

    this.redis = new StatefulRedis(this, 'Redis', {
      name: 'redis',
      namespace,
      members: props.redis.members,
      storage: { size: props.redis.storage, ...(props.storageClass !== undefined && { storageClass: props.storageClass }) },
      password: { name: 'redis-password', key: 'password' },
    });

    this.api = new HardenedDeployment(this, 'Api', {
      name: 'journal-api',
      image: images.api,
      ports: [{ number: 8080, name: 'http' }],
      autoscaling: { minReplicas: 2, maxReplicas: props.maxReplicas, cpuUtilizationPercent: 200 },
      resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '256Mi' } },
      liveness: Probe.httpGet('/api', { periodSeconds: 10 }),
      readiness: Probe.httpGet('/api', { periodSeconds: 5 }),
      env: [
        { name: 'JOURNAL_ENTRIES', value: EnvValue.fromValue(String(props.journalEntries)) },
        { name: 'REDIS_READ_HOST', value: EnvValue.fromValue(this.redis.readHost) },
        { name: 'REDIS_WRITE_HOST', value: EnvValue.fromValue(this.redis.writeHost) },
        { name: 'REDIS_PORT', value: EnvValue.fromValue(String(this.redis.port)) },
        {
          name: 'REDIS_PASSWORD',
          value: EnvValue.fromSecretValue({ secret: Secret.fromSecretName(this, 'RedisPassword', this.redis.passwordSecret.name), key: this.redis.passwordSecret.key }),
        },
      ],
      writablePaths: ['/tmp'],
      allowIngressFrom: fromGateway,
    });
    this.redis.allowFrom(this.api);

    this.files = new HardenedDeployment(this, 'Files', {
      name: 'journal-files',
      image: images.files,
      ports: [{ number: 8080, name: 'http' }],
      replicas: 2,
      resources: { cpu: { request: '50m' }, memory: { request: '32Mi', limit: '64Mi' } },
      liveness: Probe.httpGet('/', { periodSeconds: 10 }),
      readiness: Probe.httpGet('/', { periodSeconds: 5 }),
      writablePaths: ['/tmp'],
      allowIngressFrom: fromGateway,
    });
  }
}
