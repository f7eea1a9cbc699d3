/**
 * The vocabulary of the capability contract (policy/capabilities.ts checks it): the
 * capabilities a cluster can provide, the annotations that declare needs and provisions,
 * and what a cluster says it provides.
 */

/** What a cluster can provide, and what objects can need. */
export const CAPABILITIES = {
  'network-policy': 'NetworkPolicy enforcement by the CNI',
  'aws-load-balancer-controller': 'the AWS Load Balancer Controller (NLB and ALB for annotated Services and Ingresses)',
  'node-autoscaler': 'a node autoscaler that adds nodes to pools between their min and max',
  'velero': 'Velero (backups: Schedules, Backups, BackupStorageLocations)',
  'dns-automation': 'DNS records for the hosts of Gateways and Ingresses (external-dns)',
  'prometheus-operator': 'the Prometheus Operator (ServiceMonitors, PodMonitors, PrometheusRules)',
  'cert-manager': 'cert-manager (Certificates, Issuers, ClusterIssuers)',
  'gateway-api': 'a Gateway API implementation (Envoy Gateway) for GatewayClasses, Gateways and routes',
  'envoy-gateway': 'Envoy Gateway\'s own policy kinds (SecurityPolicy, ClientTrafficPolicy, EnvoyProxy)',
  'ingress-nginx': 'the ingress-nginx controller for Ingresses of class nginx',
  'metrics-server': 'the resource metrics API (metrics-server) for CPU and memory HorizontalPodAutoscalers',
  'nvidia-gpu': 'nodes with NVIDIA GPUs and the NVIDIA device plugin (nvidia.com/gpu requests)',
  'flux': 'Flux (GitRepositories, Kustomizations, HelmRepositories, HelmReleases)',
} as const;

/** One capability a cluster can provide. */
export type Capability = keyof typeof CAPABILITIES;

/**
 * The node conventions of `nvidia-gpu`, shared by the stacks (which put them on GPU pools)
 * and the NVIDIA device plugin (which tolerates and selects them): GPU nodes carry this
 * taint, so only pods that ask for GPUs land there, and this label, which the plugin's
 * chart selects.
 */
export const GPU_NODE = {
  taint: { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' },
  label: { 'nvidia.com/gpu.present': 'true' },
} as const;

/** Every capability name, for checks of user input. */
export const CAPABILITY_NAMES = Object.keys(CAPABILITIES) as Capability[];

/**
 * Annotation by which an object declares capabilities beyond those the kit derives: a
 * comma-separated list of capability names (`velero, dns-automation`).
 */
export const REQUIRES_ANNOTATION = 'k8s-platform-kit.dev/requires';

/**
 * Annotation on a HelmRelease listing the capabilities its chart provides once installed
 * (comma-separated). The platform's releases set it; the cluster's capabilities are those of
 * the stack plus these.
 */
export const PROVIDES_ANNOTATION = 'k8s-platform-kit.dev/provides';

/** A capability a cluster provides, and where that comes from. */
export interface ProvidedCapability {
  /** The capability provided. */
  readonly capability: Capability;
  /** What provides it: `the stack (k8s-platform-kit:cluster.addons.networkPolicy)`, a release. */
  readonly source: string;
}

/** What a cluster provides, and how a missing capability would be turned on. */
export interface ClusterCapabilities {
  /** A name for messages: `environment 'prod' (EKS cluster kit-prod)`. */
  readonly name: string;
  /** The capabilities the cluster provides, each with its source. */
  readonly provided: readonly ProvidedCapability[];
  /**
   * For a capability the cluster lacks, the config key (or other step) that provides it,
   * e.g. `set k8s-platform-kit:cluster.addons.velero.enabled: true in Pulumi.prod.yaml`.
   * Capabilities not listed cannot be turned on in this environment.
   */
  readonly howToProvide: Readonly<Partial<Record<Capability, string>>>;
}
