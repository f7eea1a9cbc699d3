/**
 * What an environment's cluster provides (the capability contract's other side): derived
 * from the same settings the stack reads to install it, so the list cannot drift from what
 * is installed. The platform charts' releases add theirs through the provides annotation
 * (HelmChartRelease `provides`), counted by the validator itself.
 */
import type { Capability, ClusterCapabilities, ProvidedCapability } from '../core/capabilities.js';
import { CONFIG_NAMESPACE, type Environment } from './load.js';

/** Options of {@link environmentCapabilities}. */
export interface EnvironmentCapabilitiesOptions {
  /**
   * The objects are the GitOps directory `npm run synth` writes, which Flux applies whatever
   * the deploy mode: Flux's own kinds (the Kustomizations under flux/) are then provided.
   * @default false
   */
  readonly gitopsOutput?: boolean;
}

/** What the environment's cluster provides before any chart is applied, and how to add what it lacks. */
export function environmentCapabilities(env: Environment, options: EnvironmentCapabilitiesOptions = {}): ClusterCapabilities {
  const key = (path: string) => `${CONFIG_NAMESPACE}:${path}`;
  const set = (path: string, value: string) => `set ${key(path)}: ${value} in ${env.source}`;
  const provided: ProvidedCapability[] = [];
  const provide = (capability: Capability, source: string) => provided.push({ capability, source });
  const { cluster } = env;

  if (env.deploy.mode === 'gitops') provide('flux', `the Flux bootstrap the stack installs (${key('deploy.mode')}: gitops)`);
  else if (options.gitopsOutput) provide('flux', 'the Flux that applies the GitOps directory npm run synth writes');
  for (const capability of cluster.capabilities) provide(capability, `declared in ${key('cluster.capabilities')}`);
  const declare = (capability: Capability) => `or, if the cluster has it from outside the kit, add ${capability} to ${key('cluster.capabilities')}`;

  const howToProvide: Partial<Record<Capability, string>> = {
    'flux': set('deploy.mode', 'gitops'),
    'prometheus-operator': `set ${key('platform')} (the platform charts install kube-prometheus-stack) ${declare('prometheus-operator')}`,
    'cert-manager': `set ${key('platform')} (the platform charts install cert-manager) ${declare('cert-manager')}`,
    'gateway-api': `set ${key('platform')} with ingress.controller envoy-gateway ${declare('gateway-api')}`,
    'envoy-gateway': `set ${key('platform')} with ingress.controller envoy-gateway ${declare('envoy-gateway')}`,
    'ingress-nginx': `${set('platform.ingress.controller', 'ingress-nginx')} ${declare('ingress-nginx')}`,
    'metrics-server': `set ${key('platform')} (the monitoring stack installs metrics-server) ${declare('metrics-server')}`,
  };

  // On EKS the controllers are the `addons` chart's (charts/cluster-addons.ts), with or without the platform.
  if (env.cloud === 'aws') {
    const { addons } = env.cluster;
    if (addons.networkPolicy) provide('network-policy', `the VPC CNI's network policy agent (${key('cluster.addons.networkPolicy')})`);
    howToProvide['network-policy'] = set('cluster.addons.networkPolicy', 'true');
    howToProvide['aws-load-balancer-controller'] = `${set('cluster.addons.loadBalancerController', 'true')}`;
    howToProvide['node-autoscaler'] = `${set('cluster.addons.autoscaler', 'cluster-autoscaler')}`;
    howToProvide['velero'] = `set ${key('cluster.addons.velero.bucket')} (the stack creates the bucket) in ${env.source}`;
    howToProvide['dns-automation'] = `set ${key('cluster.addons.externalDns.hostedZoneId')} in ${env.source}, ${declare('dns-automation')}`;
    howToProvide['nvidia-gpu'] = `add a pool of GPU instance types to ${key('cluster.nodePools')} (the stack gives it the NVIDIA AMI, a nvidia.com/gpu taint and the device plugin)`;
  } else {
    provide('network-policy', `AKS network policy '${env.cluster.networkPolicy}' (${key('cluster.networkPolicy')})`);
    provide('metrics-server', 'AKS (every cluster runs metrics-server in kube-system)');
    if (env.cluster.nodePools.some((pool) => pool.autoscale && pool.min < pool.max)) {
      provide('node-autoscaler', `the AKS cluster autoscaler (${key('cluster.nodePools[*].autoscale')})`);
    }
    howToProvide['node-autoscaler'] = `set autoscale: true on a pool of ${key('cluster.nodePools')}`;
    howToProvide['velero'] = `set ${key('cluster.addons.velero.storageAccount')} (the stack creates the storage account) in ${env.source}`;
    howToProvide['dns-automation'] = `set ${key('cluster.addons.externalDns')} (zone and resourceGroup of an Azure DNS zone) in ${env.source}, ${declare('dns-automation')}`;
    howToProvide['aws-load-balancer-controller'] = 'nothing on AKS: its load balancer is the cloud provider\'s own (type LoadBalancer Services); drop the AWS annotations';
    howToProvide['nvidia-gpu'] = `AKS GPU pools are not set up by this stack (no NVIDIA device plugin); ${declare('nvidia-gpu')}`;
  }

  const kind = env.cloud === 'aws' ? 'EKS' : 'AKS';
  return { name: `environment '${env.name}' (${kind} cluster ${env.cluster.name})`, provided, howToProvide };
}
