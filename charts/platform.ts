/**
 * The platform every environment runs, from its `k8s-platform-kit:platform` settings, in
 * two charts because Flux applies custom resources only after the release that installs
 * their definitions is ready:
 *
 * - `controllers`: the storage class and the pinned controller releases (cert-manager, Envoy
 *   Gateway or the legacy ingress-nginx, kube-prometheus-stack, metrics-server where the cluster has none);
 * - `cluster`: what needs their CRDs or comes after them: the GatewayClass, the
 *   monitoring rules and dashboards, EFK logging, team namespaces;
 * - `backups` (when configured): the Velero schedule; Velero is the `addons` chart's on EKS, else installed outside the kit.
 *
 * Sizes follow the tier (TIER_SIZING in constructs/environment/tier-sizing.ts). Every other
 * size is the stack file's, or the construct's `@default` where the stack file gives none.
 */
import { Chart, type ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BackupSchedule, CertManager, DiskStorageClass, EFK_DEFAULTS, EfkLogging, EnvoyGateway, EnvoyGatewayClass, IngressNginx,
  MonitoringStack, TeamNamespace, type IngressController,
} from '../constructs/index.js';
import { TIER_SIZING, environmentCapabilities, type PlatformSettings } from '../constructs/environment/index.js';
import type { Environment } from './environment.js';

/** The StorageClass the platform's and the apps' data volumes use. */
export const PLATFORM_STORAGE_CLASS = 'platform-ssd';
/** The Secret (in the monitoring namespace) with Grafana's admin user and password. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** Properties of the platform charts. */
export interface PlatformChartProps extends ChartProps {
  readonly env: Environment;
  readonly settings: PlatformSettings;
}

/** The second stage: objects that need the controllers' CRDs, or come after them. */
export class PlatformConfigChart extends Chart {
  /** Where the monitoring stack's rules and dashboards go. */
  public readonly monitoringRules: Construct;
  public readonly logging?: EfkLogging;
  public readonly gatewayClass?: EnvoyGatewayClass;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { settings } = props;
    this.monitoringRules = new Construct(this, 'Monitoring');
    if (settings.ingress.controller === 'envoy-gateway') this.gatewayClass = new EnvoyGatewayClass(this, 'GatewayClass');

    if (settings.logging.enabled) {
      this.logging = new EfkLogging(this, 'Logging', {
        nodes: settings.logging.nodes,
        storage: { size: settings.logging.storage, storageClass: PLATFORM_STORAGE_CLASS },
        ...(settings.logging.memory !== undefined && { resources: { cpu: EFK_DEFAULTS.resources.cpu, memory: settings.logging.memory } }),
        retentionDays: settings.logging.retentionDays,
        elasticPassword: { name: 'elastic-password', key: 'password' },
        kibanaSystemPassword: { name: 'kibana-system-password', key: 'password' },
        collectorPassword: { name: 'log-collector-password', key: 'password' },
      });
    }

    for (const team of settings.teams) {
      new TeamNamespace(this, `Team-${team.name}`, {
        name: team.name,
        team: team.team,
        owner: team.owner,
        purpose: team.purpose,
        ...(team.expires !== undefined && { expires: team.expires }),
        ...(team.quota !== undefined && { quota: team.quota }),
        access: { edit: team.editGroups.map((group) => ({ group })), view: team.viewGroups.map((group) => ({ group })) },
      });
    }

  }
}

/**
 * The Velero schedule, in a chart of its own: Velero (its CRDs, its namespace and its
 * storage location) comes from the `addons` and `backup-locations` charts on EKS, or from
 * outside the kit; until it is there, only this chart fails to apply.
 */
export class BackupsChart extends Chart {
  constructor(scope: Construct, id: string, props: PlatformChartProps & { readonly backups: NonNullable<PlatformSettings['backups']> }) {
    super(scope, id, props);
    new BackupSchedule(this, 'Backups', {
      name: 'nightly',
      schedule: props.backups.schedule,
      retention: props.backups.retention,
      includedNamespaces: props.backups.namespaces,
    });
  }
}

/** Properties of {@link PlatformChart}. */
export interface PlatformControllersChartProps extends PlatformChartProps {
  /** Where the monitoring stack's rules and dashboards go (the config chart's). */
  readonly rulesScope: Construct;
  /**
   * The GatewayClass the edge's Gateway uses (the config chart's), with Envoy Gateway.
   * @default - EnvoyGatewayClass's default name
   */
  readonly gatewayClass?: EnvoyGatewayClass;
}

/** The first stage: the storage class and the controller releases. */
export class PlatformChart extends Chart {
  public readonly monitoring: MonitoringStack;
  public readonly certManager: CertManager;
  public readonly gateway?: EnvoyGateway;
  public readonly ingressNginx?: IngressNginx;
  /** The edge's controller, from the one installed here: the edge's routes and the workloads it calls take it. */
  public readonly ingressController: IngressController;

  constructor(scope: Construct, id: string, props: PlatformControllersChartProps) {
    super(scope, id, props);
    const { env, settings } = props;
    const sizing = TIER_SIZING[env.tier];
    const replicas = sizing.controllerReplicas;

    new DiskStorageClass(this, 'Storage', env.cloud === 'aws'
      ? { name: PLATFORM_STORAGE_CLASS, cloud: 'aws', type: 'gp3' }
      : { name: PLATFORM_STORAGE_CLASS, cloud: 'azure', type: 'Premium_LRS' });
    this.certManager = new CertManager(this, 'CertManager', { replicas });
    if (settings.ingress.controller === 'envoy-gateway') {
      this.gateway = new EnvoyGateway(this, 'EnvoyGateway', { replicas });
      this.ingressController = this.gateway.ingressController(props.gatewayClass);
    } else {
      // IngressNginx's own default, 2 in every tier.
      this.ingressNginx = new IngressNginx(this, 'IngressNginx');
      this.ingressController = this.ingressNginx.ingressController;
    }

    this.monitoring = new MonitoringStack(this, 'Monitoring', {
      retention: settings.monitoring.retention,
      storage: { size: settings.monitoring.storage, storageClass: PLATFORM_STORAGE_CLASS },
      grafanaAdmin: { secretName: GRAFANA_ADMIN_SECRET },
      ...(settings.monitoring.alerting !== undefined && { alerting: settings.monitoring.alerting }),
      rulesScope: props.rulesScope,
      prometheusReplicas: sizing.prometheusReplicas,
      alertmanagerReplicas: sizing.alertmanagerReplicas,
      // Not a second one where the cluster already runs it (every AKS cluster does, in kube-system).
      metricsServer: !environmentCapabilities(env).provided.some((p) => p.capability === 'metrics-server'),
    });
  }
}

/** Adds the platform charts to `scope`; the config chart depends on the controllers chart. */
export function addPlatformCharts(scope: Construct, env: Environment, settings: PlatformSettings): { controllers: PlatformChart; config: PlatformConfigChart; backups?: BackupsChart } {
  const config = new PlatformConfigChart(scope, 'cluster', { env, settings });
  const controllers = new PlatformChart(scope, 'controllers', { env, settings, rulesScope: config.monitoringRules, gatewayClass: config.gatewayClass });
  config.addDependency(controllers);
  const backups = settings.backups && new BackupsChart(scope, 'backups', { env, settings, backups: settings.backups });
  return { controllers, config, ...(backups && { backups }) };
}
