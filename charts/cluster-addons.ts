/**
 * The cluster's own controllers, from `k8s-platform-kit:cluster.addons`. On EKS: the AWS Load
 * Balancer Controller, the Cluster Autoscaler, external-dns, Velero and, when a pool has
 * GPUs, the NVIDIA device plugin; the stack creates their IAM roles and binds them to the
 * charts' ServiceAccounts with Pod Identity (stacks/eks.ts). On AKS (which ships its own
 * autoscaler, load balancer and network policy): external-dns on Azure DNS and Velero on
 * blob storage, whose WorkloadIdentity the stack turns into managed identities with
 * federated credentials (stacks/program.ts). Pinned charts installed like every other
 * release (by Flux in gitops mode, by `pulumi up` in direct mode). Everything else waits
 * for this chart.
 */
import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  AwsLoadBalancerController, ClusterAutoscaler, ExternalDns, NvidiaDevicePlugin, Velero, VeleroLocations,
} from '../constructs/index.js';
import { TIER_SIZING, aksResourceGroupName, hasGpuPool, type AzureEnvironment, type Environment } from '../constructs/environment/index.js';

/** Properties of {@link ClusterAddOnsChart}. */
export interface ClusterAddOnsChartProps extends ChartProps {
  readonly env: Environment;
}

/** Whether the environment's settings switch on any cluster controller (an AKS cluster may have none; an EKS one always has some). */
export function hasClusterAddOns(env: Environment): boolean {
  if (env.cloud === 'aws') return true;
  const { addons } = env.cluster;
  return addons.externalDns !== undefined || addons.velero !== undefined;
}

/** The cluster controllers the environment's settings switch on. */
export class ClusterAddOnsChart extends Chart {
  public readonly loadBalancerController?: AwsLoadBalancerController;
  public readonly autoscaler?: ClusterAutoscaler;
  public readonly externalDns?: ExternalDns;
  public readonly velero?: Velero;
  public readonly gpuPlugin?: NvidiaDevicePlugin;

  constructor(scope: Construct, id: string, props: ClusterAddOnsChartProps) {
    super(scope, id, props);
    const { env } = props;
    if (env.cloud === 'azure') {
      const controllers = aksControllers(this, env);
      if (controllers.externalDns) this.externalDns = controllers.externalDns;
      if (controllers.velero) this.velero = controllers.velero;
      return;
    }
    const { addons, name: clusterName } = env.cluster;
    const replicas = TIER_SIZING[env.tier].controllerReplicas;
    if (addons.loadBalancerController) {
      // The VPC carries the cluster's name as its Name tag (stacks/eks.ts).
      this.loadBalancerController = new AwsLoadBalancerController(this, 'LoadBalancerController', {
        clusterName, region: env.region, vpcTags: { Name: clusterName }, replicas,
      });
    }
    if (addons.autoscaler === 'cluster-autoscaler') {
      this.autoscaler = new ClusterAutoscaler(this, 'ClusterAutoscaler', { clusterName, region: env.region });
    }
    // The loader requires the platform (its domain) wherever externalDns is set.
    if (addons.externalDns && env.platform) {
      this.externalDns = new ExternalDns(this, 'ExternalDns', {
        hostedZoneId: addons.externalDns.hostedZoneId,
        domainFilters: [env.platform.domain],
        txtOwnerId: clusterName,
        region: env.region,
      });
    }
    if (addons.velero) this.velero = new Velero(this, 'Velero', { bucket: addons.velero.bucket, region: env.region });
    if (hasGpuPool(env)) {
      // Its defaults tolerate and select what the stack puts on GPU pools (GPU_NODE).
      this.gpuPlugin = new NvidiaDevicePlugin(this, 'NvidiaDevicePlugin');
    }
  }

}

/** external-dns and Velero on AKS, each with its WorkloadIdentity. */
function aksControllers(scope: Construct, env: AzureEnvironment): { externalDns?: ExternalDns; velero?: Velero } {
  const { addons, name: clusterName, subscriptionId } = env.cluster;
  return {
    // The loader requires the platform (its domain) wherever externalDns is set.
    ...(addons.externalDns && env.platform && {
      externalDns: new ExternalDns(scope, 'ExternalDns', {
        cloud: 'azure',
        subscriptionId,
        resourceGroup: addons.externalDns.resourceGroup,
        zone: addons.externalDns.zone,
        domainFilters: [env.platform.domain],
        txtOwnerId: clusterName,
      }),
    }),
    ...(addons.velero && {
      velero: new Velero(scope, 'Velero', {
        cloud: 'azure',
        subscriptionId,
        resourceGroup: aksResourceGroupName(env.cluster),
        storageAccount: addons.velero.storageAccount,
        container: addons.velero.container,
      }),
    }),
  };
}

/** Properties of {@link BackupLocationsChart}. */
export interface BackupLocationsChartProps extends ChartProps {
  readonly velero: Velero;
}

/**
 * Velero's storage and snapshot locations, in a chart of their own: their CRDs come with the
 * Velero release, so this chart waits for the `addons` chart.
 */
export class BackupLocationsChart extends Chart {
  public readonly locations: VeleroLocations;

  constructor(scope: Construct, id: string, props: BackupLocationsChartProps) {
    super(scope, id, props);
    this.locations = new VeleroLocations(this, 'Locations', { velero: props.velero });
  }
}
