/**
 * The controllers an EKS cluster needs before several of the kit's objects do anything:
 * the AWS Load Balancer Controller (the NLBs of annotated Services), Cluster Autoscaler
 * (node pools that grow and shrink), external-dns (Route 53 records for the Gateways'
 * routes), Velero (backups to S3 and EBS snapshots) and the NVIDIA device plugin
 * (`nvidia.com/gpu` on GPU nodes). Each is a pinned upstream chart in a namespace of its
 * own, records the capability it provides (HelmChartRelease `provides`) and declares the
 * pods it runs (HelmChartRelease `workloads`) for the capacity planner. Each controller's
 * container is given requests and a memory limit (AWS_CONTROLLER_RESOURCES, or the
 * construct's `resources`), so none runs BestEffort, and the declared requests are the same.
 *
 * AWS credentials come from EKS Pod Identity: each construct's static `IDENTITY` names the
 * ServiceAccount its chart creates (its name set explicitly in the values), and the EKS
 * stack binds an IAM role to that namespace and ServiceAccount. No IRSA annotation is set
 * and no Secret holds keys. The kit's nodes set an IMDS hop limit of 1, so pods cannot
 * read instance metadata: every controller is given its region (and the load balancer
 * controller its VPC) explicitly.
 *
 * The namespaces enforce the restricted Pod Security profile (AppNamespace), so each
 * chart's pods are given the security contexts that profile needs where the chart's
 * defaults fall short. The NVIDIA device plugin is the exception: it mounts the kubelet's
 * device-plugin directory from the host, which only the privileged level admits.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { releaseWorkloadsProblem } from '../core/release-workloads.js';
import { BackupStorageLocation, VolumeSnapshotLocation } from '../imports/velero.js';
import { GPU_NODE } from '../core/capabilities.js';
import { awsRegionProblem, eksClusterNameProblem, route53ZoneIdProblem, s3BucketNameProblem } from '../core/aws-names.js';
import { azureGuidProblem, blobContainerNameProblem, resourceGroupNameProblem, storageAccountNameProblem } from '../core/azure-names.js';
import { dns1123SubdomainProblem, labelValueProblem, qualifiedNameProblem } from '../core/names.js';
import { PropsValidator, shown } from '../core/errors.js';
import type { WorkloadResources } from '../workloads/options.js';
import { DROP_ALL_CAPABILITIES, RUNTIME_DEFAULT_SECCOMP as SECCOMP } from '../workloads/pod-spec.js';
import { resourceRequirements, type ResourceRequirements } from './_monitoring-values.js';
import { AppNamespace, privilegedNamespace } from './app-namespace.js';
import { HelmChart, HelmChartRelease, type HelmValues, type ReleaseToleration, type ReleaseWorkload } from './helm-release.js';
import { WorkloadIdentity, azureWorkloadIdentityValues } from './workload-identity.js';
import { AZURE_TENANT_ID, clusterValue } from '../core/cluster-values.js';

/** The ServiceAccount a controller's pods run as: what the EKS stack binds an IAM role to with Pod Identity. */
export interface ControllerIdentity {
  /** The namespace of the ServiceAccount. */
  readonly namespace: string;
  /** The ServiceAccount's name. */
  readonly serviceAccount: string;
}

// ------------------------------------------------------------------------ pure checks ---

// The AWS name rules, shared with the environment schema (policy/_aws-names.ts).
export { awsRegionProblem, eksClusterNameProblem, route53ZoneIdProblem, s3BucketNameProblem };

function checkRegion(v: PropsValidator, region: string): void {
  v.check('region', region, awsRegionProblem);
}

// ---------------------------------------------------------------- defaults and pins ---

/** The default of every optional prop of the constructs in this file. */
export const AWS_CONTROLLER_DEFAULTS = {
  /** Two replicas (the chart's default): one leads, the other takes over within seconds, and the webhooks stay served. */
  loadBalancerControllerReplicas: 2,
  /** One replica: a restart only delays a scale-up; a second replica would only stand by (leader election). */
  clusterAutoscalerReplicas: 1,
  /** The kit's edge is Envoy Gateway: the host names are on its HTTPRoutes. */
  externalDnsSources: ['gateway-httproute'],
  /** Records are owned through TXT records (txtOwnerId), so deleting is safe; see {@link ExternalDnsProps.policy}. */
  externalDnsPolicy: 'sync',
  /** EBS snapshots of persistent volumes through the AWS plugin. */
  veleroSnapshots: true,
  /** The taint the kit's GPU pools carry. */
  gpuTolerations: [{ key: GPU_NODE.taint.key, operator: 'Exists', effect: GPU_NODE.taint.effect }],
  /** The label the device plugin chart's own affinity accepts for "this node has an NVIDIA GPU"; GPU pools must carry it. */
  gpuNodeSelector: GPU_NODE.label,
} as const;

/**
 * The image of each controller, pinned to the chart's appVersion (the chart's default, set
 * explicitly so it is shown), and the AWS plugin of Velero.
 */
export const AWS_CONTROLLER_IMAGES = {
  loadBalancerController: { repository: 'public.ecr.aws/eks/aws-load-balancer-controller', tag: 'v3.5.0' },
  clusterAutoscaler: { repository: 'registry.k8s.io/autoscaling/cluster-autoscaler', tag: 'v1.35.0' },
  externalDns: { repository: 'registry.k8s.io/external-dns/external-dns', tag: 'v0.21.0' },
  velero: { repository: 'docker.io/velero/velero', tag: 'v1.18.1' },
  /**
   * velero-plugin-for-aws v1.14.2: the plugin README pairs v1.14.x with Velero v1.18.x. The
   * repository moved to velero-io/velero-plugin-for-aws; the old vmware-tanzu snapshot ends
   * at v1.14.0-rc.1 (a pre-release), the moved one has v1.14.0, v1.14.1 and v1.14.2
   * (2026-06-16, dependency CVE fixes and a KMS key option for restored EBS volumes), the
   * newest final tag. The image is still published as velero/velero-plugin-for-aws.
   */
  veleroPluginForAws: { repository: 'docker.io/velero/velero-plugin-for-aws', tag: 'v1.14.2' },
  /** velero-plugin-for-microsoft-azure v1.14.2: released with the AWS plugin's v1.14.2, the line the README pairs with Velero v1.18.x. */
  veleroPluginForAzure: { repository: 'docker.io/velero/velero-plugin-for-microsoft-azure', tag: 'v1.14.2' },
  nvidiaDevicePlugin: { repository: 'nvcr.io/nvidia/k8s-device-plugin', tag: 'v0.20.0' },
} as const;

/**
 * What each controller's pod requests by default: the requests the kit sets in the chart's
 * values ({@link AWS_CONTROLLER_RESOURCES} adds the memory limits), and what each construct
 * declares to the capacity planner, so the declared workloads match the pods the charts run
 * (a construct's `resources` prop replaces both). Every pinned values.yaml sets
 * `resources: {}`: without these the pods would request nothing and run BestEffort, the
 * first evicted under memory pressure.
 */
export const AWS_CONTROLLER_REQUESTS = {
  /**
   * aws-load-balancer-controller 3.5.0 values.yaml: the commented-out example under
   * `resources: {}` (requests 100m / 128Mi, limits 100m / 128Mi).
   */
  loadBalancerController: { cpu: '100m', memory: '128Mi' },
  /**
   * cluster-autoscaler 9.59.0 values.yaml: the commented-out example under `resources: {}`
   * (requests 100m / 300Mi, limits 100m / 300Mi).
   */
  clusterAutoscaler: { cpu: '100m', memory: '300Mi' },
  /** The kit's figure, not upstream's: external-dns 1.21.1 values.yaml sets `resources: {}` and gives no example. */
  externalDns: { cpu: '50m', memory: '64Mi' },
  /**
   * velero 12.1.0 values.yaml: the commented-out example under `resources: {}` for the server
   * (requests 500m / 128Mi, limits 1000m / 512Mi; also `velero install`'s defaults). The
   * plugin init container is given the same resources; the scheduler counts the larger of an
   * init container and the pod's containers, so the pod still requests the server's figure.
   */
  velero: { cpu: '500m', memory: '128Mi' },
  /** The kit's figure, not upstream's: nvidia-device-plugin 0.20.0 values.yaml sets `resources: {}` and gives no example. */
  nvidiaDevicePlugin: { cpu: '10m', memory: '32Mi' },
} as const;

/**
 * The resources the kit sets on each controller's container (the `resources` prop of each
 * construct overrides them): the requests of {@link AWS_CONTROLLER_REQUESTS}, a memory limit,
 * and no CPU limit, the kit's usual Burstable choice (as MonitoringStack's): a memory leak
 * is stopped at the limit, and a busy controller is never CPU-throttled. Where upstream's
 * example has a CPU limit, it is left out; its memory limit is kept.
 */
export const AWS_CONTROLLER_RESOURCES = {
  /** 100m CPU, 128Mi memory (128Mi limit): upstream's example, less its CPU limit. */
  loadBalancerController: {
    cpu: { request: AWS_CONTROLLER_REQUESTS.loadBalancerController.cpu },
    memory: { request: AWS_CONTROLLER_REQUESTS.loadBalancerController.memory, limit: '128Mi' },
  },
  /** 100m CPU, 300Mi memory (300Mi limit): upstream's example, less its CPU limit. */
  clusterAutoscaler: {
    cpu: { request: AWS_CONTROLLER_REQUESTS.clusterAutoscaler.cpu },
    memory: { request: AWS_CONTROLLER_REQUESTS.clusterAutoscaler.memory, limit: '300Mi' },
  },
  /** 50m CPU, 64Mi memory (128Mi limit): the kit's figures (upstream gives none). */
  externalDns: {
    cpu: { request: AWS_CONTROLLER_REQUESTS.externalDns.cpu },
    memory: { request: AWS_CONTROLLER_REQUESTS.externalDns.memory, limit: '128Mi' },
  },
  /** 500m CPU, 128Mi memory (512Mi limit): upstream's example for the server, less its CPU limit (1000m); also the plugin init container's. */
  velero: {
    cpu: { request: AWS_CONTROLLER_REQUESTS.velero.cpu },
    memory: { request: AWS_CONTROLLER_REQUESTS.velero.memory, limit: '512Mi' },
  },
  /** 10m CPU, 32Mi memory (64Mi limit): the kit's figures (upstream gives none). */
  nvidiaDevicePlugin: {
    cpu: { request: AWS_CONTROLLER_REQUESTS.nvidiaDevicePlugin.cpu },
    memory: { request: AWS_CONTROLLER_REQUESTS.nvidiaDevicePlugin.memory, limit: '64Mi' },
  },
} as const satisfies Readonly<Record<keyof typeof AWS_CONTROLLER_REQUESTS, WorkloadResources>>;

/**
 * Validates a controller's `resources` (positive quantities, limits not below requests; the
 * CPU limit optional) and returns them as the chart's `resources` value, with the requests
 * the capacity planner is told about.
 */
function controllerResources(kind: string, scope: Construct, resources: WorkloadResources): ResourceRequirements {
  return resourceRequirements(new PropsValidator(kind, scope), 'resources', resources);
}

/**
 * What the restricted Pod Security profile asks of every container, beyond running as
 * non-root, from the kit's one hardened pod (workloads/pod-spec.ts), in the charts' values.
 */
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: DROP_ALL_CAPABILITIES } as const;
const RUNTIME_DEFAULT_SECCOMP = { seccompProfile: SECCOMP } as const;

// -------------------------------------------------------- AWS Load Balancer Controller ---

/** Properties of {@link AwsLoadBalancerController}. */
export interface AwsLoadBalancerControllerProps {
  /** The EKS cluster's name: the controller tags what it creates with it and finds the cluster's subnets by it. */
  readonly clusterName: string;
  /** The cluster's AWS region (pods cannot read it from instance metadata). */
  readonly region: string;
  /**
   * Tags of the cluster's VPC, all of which the VPC must carry: the controller finds its VPC
   * by them (pods cannot read the VPC id from instance metadata: the nodes' IMDS hop limit is 1).
   * The kit's EKS stack tags its VPC `Name: <cluster name>`.
   */
  readonly vpcTags: Readonly<Record<string, string>>;
  /**
   * Replicas of the controller (one leads; the others serve the webhooks and stand by).
   * A PodDisruptionBudget (maxUnavailable 1) is added when there is more than one.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * The controller container's requests and limits (also what the capacity planner counts
   * for each pod). The CPU limit may be left out (the default), the memory limit may not.
   * @default 100m CPU, 128Mi memory (128Mi limit): the chart's values.yaml example, less its CPU limit
   */
  readonly resources?: WorkloadResources;
}

/**
 * The AWS Load Balancer Controller (pinned chart 3.5.0): NLBs for the Services the kit
 * annotates `service.beta.kubernetes.io/aws-load-balancer-type: external`, ALBs for
 * Ingresses of class `alb`.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
 */
export class AwsLoadBalancerController extends Construct {
  /** The ServiceAccount the chart creates, for the stack's Pod Identity association. */
  public static readonly IDENTITY: ControllerIdentity = { namespace: 'aws-load-balancer-controller', serviceAccount: 'aws-load-balancer-controller' };
  /** The namespace the controller runs in. */
  public readonly namespace = AwsLoadBalancerController.IDENTITY.namespace;
  /** Replicas of the controller. */
  public readonly replicas: number;
  /** The controller container's `resources`, as set in the values. */
  public readonly resources: ResourceRequirements;
  /** The controller's Helm release. */
  public readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    const kind = 'AwsLoadBalancerController';
    const v = new PropsValidator(kind, this);
    v.check('clusterName', props.clusterName, eksClusterNameProblem);
    checkRegion(v, props.region);
    checkVpcTags(this, props.vpcTags);
    this.replicas = props.replicas ?? AWS_CONTROLLER_DEFAULTS.loadBalancerControllerReplicas;
    v.wholeNumber('replicas', this.replicas, 1);
    this.resources = controllerResources(kind, this, props.resources ?? AWS_CONTROLLER_RESOURCES.loadBalancerController);

    new AppNamespace(this, 'Namespace', { name: this.namespace });
    const values: HelmValues = {
      clusterName: props.clusterName,
      region: props.region,
      vpcTags: { ...props.vpcTags },
      replicaCount: this.replicas,
      image: { ...AWS_CONTROLLER_IMAGES.loadBalancerController },
      serviceAccount: { create: true, name: AwsLoadBalancerController.IDENTITY.serviceAccount },
      // The chart renders the budget only when replicaCount > 1, and only if it is set.
      ...(this.replicas > 1 && { podDisruptionBudget: { maxUnavailable: 1 } }),
      // Off: the chart's default mutating webhook makes the controller claim every new
      // LoadBalancer Service (it sets spec.loadBalancerClass), with failurePolicy Fail, so
      // no LoadBalancer Service could be created while the controller is down. The kit's
      // Services are annotated `aws-load-balancer-type: external`, which the controller
      // reconciles without the webhook; others stay with the cloud provider as before.
      enableServiceMutatorWebhook: false,
      // Keep the webhooks' serving certificate across upgrades instead of issuing a new CA
      // each time (the chart generates it; cert-manager may not be installed yet).
      keepTLSSecret: true,
      // The chart's default plus what the restricted profile needs (capabilities, seccomp).
      securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, ...RESTRICTED_CONTAINER, ...RUNTIME_DEFAULT_SECCOMP },
      resources: this.resources,
    };
    this.release = new HelmChartRelease(this, 'Release', {
      chart: HelmChart.AWS_LOAD_BALANCER_CONTROLLER,
      namespace: this.namespace,
      values,
      provides: ['aws-load-balancer-controller'],
      workloads: [{ name: 'aws-load-balancer-controller', kind: 'Deployment', replicas: this.replicas, requests: { ...this.resources.requests } }],
    });
  }
}

/** The chart passes the tags as one `--aws-vpc-tags=k=v,k=v` flag, so neither may hold a comma. */
function checkVpcTags(scope: Construct, tags: Readonly<Record<string, string>>): void {
  const v = new PropsValidator('AwsLoadBalancerController', scope);
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) throw v.error({ field: 'vpcTags', value: tags, problem: 'is not a map of tag names to values' });
  const entries = Object.entries(tags);
  if (entries.length === 0) {
    throw v.error({ field: 'vpcTags', problem: 'is empty', expected: "the VPC's tags, e.g. { Name: 'my-cluster' }: the controller finds its VPC by them, as pods cannot read instance metadata" });
  }
  for (const [key, value] of entries) {
    if (key === '' || /[,=]/.test(key)) throw v.error({ field: `vpcTags key ${shown(key)}`, problem: 'is not a tag name the controller can be given', expected: "a non-empty name without ',' or '='" });
    if (typeof value !== 'string' || value.includes(',')) throw v.error({ field: `vpcTags['${key}']`, value, problem: 'is not a tag value the controller can be given', expected: "a string without ','" });
  }
}

// ----------------------------------------------------------------- Cluster Autoscaler ---

/** Properties of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerProps {
  /** The EKS cluster's name: the autoscaler manages the Auto Scaling groups tagged `k8s.io/cluster-autoscaler/<clusterName>`. */
  readonly clusterName: string;
  /** The cluster's AWS region (pods cannot read it from instance metadata). */
  readonly region: string;
  /**
   * Replicas of the autoscaler (one works; the others stand by, leader election).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The autoscaler container's requests and limits (also what the capacity planner counts
   * for each pod). The CPU limit may be left out (the default), the memory limit may not.
   * @default 100m CPU, 300Mi memory (300Mi limit): the chart's values.yaml example, less its CPU limit
   */
  readonly resources?: WorkloadResources;
}

/**
 * Cluster Autoscaler (pinned chart 9.59.0, cluster-autoscaler 1.35.0) on AWS: grows and
 * shrinks the managed node groups between their min and max. It finds them by the tags EKS
 * puts on every managed node group's Auto Scaling group (`k8s.io/cluster-autoscaler/enabled`
 * and `k8s.io/cluster-autoscaler/<clusterName>`); the EKS stack leaves the desired size to it.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 */
export class ClusterAutoscaler extends Construct {
  /** The ServiceAccount the chart creates, for the stack's Pod Identity association. */
  public static readonly IDENTITY: ControllerIdentity = { namespace: 'cluster-autoscaler', serviceAccount: 'cluster-autoscaler' };
  /** The namespace the autoscaler runs in. */
  public readonly namespace = ClusterAutoscaler.IDENTITY.namespace;
  /** Replicas of the autoscaler. */
  public readonly replicas: number;
  /** The autoscaler container's `resources`, as set in the values. */
  public readonly resources: ResourceRequirements;
  /** The autoscaler's Helm release. */
  public readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const kind = 'ClusterAutoscaler';
    const v = new PropsValidator(kind, this);
    v.check('clusterName', props.clusterName, eksClusterNameProblem);
    checkRegion(v, props.region);
    this.replicas = props.replicas ?? AWS_CONTROLLER_DEFAULTS.clusterAutoscalerReplicas;
    v.wholeNumber('replicas', this.replicas, 1);
    this.resources = controllerResources(kind, this, props.resources ?? AWS_CONTROLLER_RESOURCES.clusterAutoscaler);

    new AppNamespace(this, 'Namespace', { name: this.namespace });
    const values: HelmValues = {
      cloudProvider: 'aws',
      awsRegion: props.region,
      // The chart's default tags, with the cluster's name written out.
      autoDiscovery: { clusterName: props.clusterName, tags: ['k8s.io/cluster-autoscaler/enabled', `k8s.io/cluster-autoscaler/${props.clusterName}`] },
      fullnameOverride: 'cluster-autoscaler',
      image: { ...AWS_CONTROLLER_IMAGES.clusterAutoscaler },
      replicaCount: this.replicas,
      rbac: { serviceAccount: { create: true, name: ClusterAutoscaler.IDENTITY.serviceAccount } },
      // The chart always renders a budget of maxUnavailable 1 (its default): a drain may
      // move the autoscaler, and with more replicas one always remains.
      extraArgs: {
        // Keeps the per-zone node groups of one pool the same size, so zonal volumes and
        // topology spread still find room in every zone.
        'balance-similar-node-groups': true,
        // least-waste (also the autoscaler's own default, set so it is shown): of the groups
        // that fit the pending pods, the one leaving the least CPU, then memory, idle. It
        // needs no configuration; `priority` would need a ConfigMap ranking the node groups,
        // a second list of the environment's pools to keep in step with Pulumi.<env>.yaml.
        expander: 'least-waste',
        // The kit's workloads have a read-only root filesystem and an emptyDir for each
        // writable path: scratch space. With the autoscaler's default (true) no node that
        // runs one of them would ever be removed. Data that must survive is on volumes.
        'skip-nodes-with-local-storage': false,
      },
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, ...RUNTIME_DEFAULT_SECCOMP },
      containerSecurityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
      resources: this.resources,
    };
    this.release = new HelmChartRelease(this, 'Release', {
      chart: HelmChart.CLUSTER_AUTOSCALER,
      namespace: this.namespace,
      values,
      provides: ['node-autoscaler'],
      workloads: [{ name: 'cluster-autoscaler', kind: 'Deployment', replicas: this.replicas, requests: { ...this.resources.requests } }],
    });
  }
}

// ------------------------------------------------------------------------ external-dns ---

/** The source names of ExternalDNS 0.21 (source/types/types.go), less its test and generic ones. */
export const EXTERNAL_DNS_SOURCES = [
  'service', 'ingress', 'node', 'pod', 'crd',
  'gateway-httproute', 'gateway-grpcroute', 'gateway-tlsroute', 'gateway-tcproute', 'gateway-udproute',
  'istio-gateway', 'istio-virtualservice', 'ambassador-host', 'contour-httpproxy', 'gloo-proxy', 'traefik-proxy',
  'openshift-route', 'skipper-routegroup', 'kong-tcpingress', 'f5-virtualserver', 'f5-transportserver',
] as const;

/** One kind of object ExternalDNS reads host names from. */
export type ExternalDnsSource = typeof EXTERNAL_DNS_SOURCES[number];

/** How ExternalDNS changes records: `sync` also deletes the records it owns that no object asks for any more. */
export type ExternalDnsPolicy = 'sync' | 'upsert-only' | 'create-only';

const EXTERNAL_DNS_POLICIES: readonly ExternalDnsPolicy[] = ['sync', 'upsert-only', 'create-only'];

/** Properties of {@link ExternalDns} on EKS: one Route 53 hosted zone. */
export interface ExternalDnsProps extends ExternalDnsOptions {
  /** The cloud. @default 'aws' */
  readonly cloud?: 'aws';
  /** The Route 53 hosted zone to manage (`Z…`), and no other. */
  readonly hostedZoneId: string;
  /** The AWS region of the cluster (the Route 53 API is global; the SDK still needs one). */
  readonly region: string;
}

/**
 * Properties of {@link ExternalDns} on AKS: one Azure DNS zone, reached through workload
 * identity (the construct binds external-dns's ServiceAccount with a {@link WorkloadIdentity}
 * that has "DNS Zone Contributor" on the zone and "Reader" on its resource group).
 */
export interface AzureExternalDnsProps extends ExternalDnsOptions {
  /** The cloud. */
  readonly cloud: 'azure';
  /** The subscription of the DNS zone (a GUID). */
  readonly subscriptionId: string;
  /** The resource group of the DNS zone. */
  readonly resourceGroup: string;
  /** The Azure DNS zone to manage (`platform.example.com`), and no other. */
  readonly zone: string;
}

/** Properties of {@link ExternalDns} every cloud has. */
export interface ExternalDnsOptions {
  /** The DNS names of the zones the hosts are in (`example.com`): records are managed only under them. */
  readonly domainFilters: readonly string[];
  /**
   * The owner id written into the TXT record beside each record it manages: it changes or
   * deletes only records carrying this id. Unique per cluster sharing the zone.
   */
  readonly txtOwnerId: string;
  /**
   * What to read host names from. `gateway-httproute` reads the hostnames of HTTPRoutes and
   * points them at the address of their parent Gateway (the chart grants read access to
   * Gateways, HTTPRoutes and Namespaces for it).
   * @default ['gateway-httproute']
   */
  readonly sources?: readonly ExternalDnsSource[];
  /**
   * `sync` creates, updates and deletes; `upsert-only` never deletes; `create-only` never
   * changes an existing record. The default is `sync`: the TXT registry limits every change
   * to records this owner id created, so deleting is safe, and a removed route's record is
   * removed instead of pointing at a load balancer that no longer exists.
   * @default 'sync'
   */
  readonly policy?: ExternalDnsPolicy;
  /**
   * The external-dns container's requests and limits (also what the capacity planner counts
   * for its pod). The CPU limit may be left out (the default), the memory limit may not.
   * @default 50m CPU, 64Mi memory (128Mi limit): the kit's figures; the chart gives none
   */
  readonly resources?: WorkloadResources;
}

/**
 * ExternalDNS (pinned chart 1.21.1, ExternalDNS 0.21.0) on Route 53 or Azure DNS: records for
 * the hosts of the Gateway's routes, in one zone, owned through TXT records.
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/azure/
 */
export class ExternalDns extends Construct {
  /** The ServiceAccount the chart creates, for the stack's Pod Identity association or federated credential. */
  public static readonly IDENTITY: ControllerIdentity = { namespace: 'external-dns', serviceAccount: 'external-dns' };
  /** The ConfigMap with external-dns's Azure configuration (`azure.json`: tenant, subscription, resource group; no secret). */
  public static readonly AZURE_CONFIG = 'external-dns-azure';
  /** The namespace external-dns runs in. */
  public readonly namespace = ExternalDns.IDENTITY.namespace;
  /** The kinds of objects whose hosts get DNS records. */
  public readonly sources: readonly ExternalDnsSource[];
  /** What external-dns may do to records: `sync`, `upsert-only` or `create-only`. */
  public readonly policy: ExternalDnsPolicy;
  /** The external-dns container's `resources`, as set in the values. */
  public readonly resources: ResourceRequirements;
  /** The external-dns Helm release. */
  public readonly release: HelmChartRelease;
  /** On AKS, the binding of external-dns's ServiceAccount to its managed identity; undefined on EKS (the stack binds it with Pod Identity). */
  public readonly identity?: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: ExternalDnsProps | AzureExternalDnsProps) {
    super(scope, id);
    const kind = 'ExternalDns';
    const v = new PropsValidator(kind, this);
    if (!Array.isArray(props.domainFilters) || props.domainFilters.length === 0) {
      throw v.error({ field: 'domainFilters', value: props.domainFilters, problem: 'is empty', expected: "the DNS names of the hosts' zones, e.g. ['example.com']" });
    }
    props.domainFilters.forEach((domain, i) => v.check(`domainFilters[${i}]`, domain,
      (d) => dns1123SubdomainProblem(d) ?? (/^\d{1,3}(\.\d{1,3}){3}$/.test(d) ? 'is an IP address, not a DNS zone' : undefined), "a DNS zone name such as 'example.com'"));
    if (props.cloud === 'azure') {
      v.check('subscriptionId', props.subscriptionId, azureGuidProblem);
      v.check('resourceGroup', props.resourceGroup, resourceGroupNameProblem);
      v.check('zone', props.zone, dns1123SubdomainProblem);
    } else {
      v.check('hostedZoneId', props.hostedZoneId, route53ZoneIdProblem);
      checkRegion(v, props.region);
    }
    v.check('txtOwnerId', props.txtOwnerId, (value) => (/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(value)
      ? undefined : "is not an owner id; expected letters, digits, '.', '_' and '-', e.g. the cluster's name"));
    this.sources = [...(props.sources ?? AWS_CONTROLLER_DEFAULTS.externalDnsSources)];
    if (this.sources.length === 0) throw v.error({ field: 'sources', problem: 'is empty', expected: "e.g. ['gateway-httproute']" });
    const unknown = this.sources.find((source) => !(EXTERNAL_DNS_SOURCES as readonly string[]).includes(source));
    if (unknown !== undefined) throw v.error({ field: 'sources', value: unknown, problem: 'is not an ExternalDNS 0.21 source', expected: `one of: ${EXTERNAL_DNS_SOURCES.join(', ')}` });
    this.policy = props.policy ?? AWS_CONTROLLER_DEFAULTS.externalDnsPolicy;
    if (!EXTERNAL_DNS_POLICIES.includes(this.policy)) throw v.error({ field: 'policy', value: this.policy, problem: "is not 'sync', 'upsert-only' or 'create-only'" });
    this.resources = controllerResources(kind, this, props.resources ?? AWS_CONTROLLER_RESOURCES.externalDns);

    new AppNamespace(this, 'Namespace', { name: this.namespace });
    // The chart's pod and container security contexts already meet the restricted profile.
    const serviceAccount = { namespace: ExternalDns.IDENTITY.namespace, name: ExternalDns.IDENTITY.serviceAccount };
    const workloadIdentity = props.cloud === 'azure' ? azureWorkloadIdentityValues(serviceAccount) : undefined;
    const cloudValues: HelmValues = props.cloud === 'azure'
      ? {
        provider: { name: 'azure' },
        podLabels: workloadIdentity?.podLabels,
        // external-dns reads /etc/kubernetes/azure.json; with workload identity it holds no secret.
        extraVolumes: [{ name: 'azure-config', configMap: { name: ExternalDns.AZURE_CONFIG } }],
        extraVolumeMounts: [{ name: 'azure-config', mountPath: '/etc/kubernetes', readOnly: true }],
        domainFilters: [...props.domainFilters],
        extraArgs: { 'zone-name-filter': props.zone },
      }
      : {
        provider: { name: 'aws' },
        env: [{ name: 'AWS_DEFAULT_REGION', value: props.region }],
        domainFilters: [...props.domainFilters],
        extraArgs: { 'zone-id-filter': props.hostedZoneId },
      };
    const values: HelmValues = {
      fullnameOverride: 'external-dns',
      image: { ...AWS_CONTROLLER_IMAGES.externalDns },
      serviceAccount: { create: true, name: ExternalDns.IDENTITY.serviceAccount, ...(workloadIdentity && { annotations: workloadIdentity.annotations }) },
      sources: [...this.sources],
      policy: this.policy,
      registry: 'txt',
      txtOwnerId: props.txtOwnerId,
      ...cloudValues,
      resources: this.resources,
    };
    if (props.cloud === 'azure') {
      new ApiObject(this, 'AzureConfig', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: ExternalDns.AZURE_CONFIG, namespace: this.namespace },
        data: {
          'azure.json': JSON.stringify({
            tenantId: clusterValue(AZURE_TENANT_ID),
            subscriptionId: props.subscriptionId,
            resourceGroup: props.resourceGroup,
            useWorkloadIdentityExtension: true,
          }, null, 2),
        },
      });
    }
    this.release = new HelmChartRelease(this, 'Release', {
      chart: HelmChart.EXTERNAL_DNS,
      namespace: this.namespace,
      values,
      provides: ['dns-automation'],
      workloads: [{ name: 'external-dns', kind: 'Deployment', replicas: 1, requests: { ...this.resources.requests } }],
    });
    if (props.cloud === 'azure') {
      const group = `/subscriptions/${props.subscriptionId}/resourceGroups/${props.resourceGroup}`;
      this.identity = new WorkloadIdentity(this, 'Identity', {
        cloud: 'azure',
        serviceAccount,
        createdBy: this.release,
        azureRoles: [
          { role: 'DNS Zone Contributor', scope: `${group}/providers/Microsoft.Network/dnszones/${props.zone}` },
          { role: 'Reader', scope: group },
        ],
      });
    }
  }
}

// ------------------------------------------------------------------------------ Velero ---

/** Properties of {@link Velero} every cloud has. */
export interface VeleroOptions {
  /**
   * The path under which Velero keeps its data in the bucket (container), for one shared by several clusters.
   * @default - the bucket's root
   */
  readonly prefix?: string;
  /**
   * The server container's requests and limits (also what the capacity planner counts for
   * its pod), given to the plugin's init container too: an init container runs before
   * the server, and the scheduler counts the larger of the two, so the pod requests the
   * server's figure. The CPU limit may be left out (the default), the memory limit may not.
   * @default 500m CPU, 128Mi memory (512Mi limit): the chart's values.yaml example, less its CPU limit (1000m)
   */
  readonly resources?: WorkloadResources;
}

/** Properties of {@link Velero} on EKS: an S3 bucket and EBS snapshots. */
export interface VeleroProps extends VeleroOptions {
  /** The cloud. @default 'aws' */
  readonly cloud?: 'aws';
  /** The S3 bucket backups are written to (the default BackupStorageLocation). */
  readonly bucket: string;
  /** The AWS region of the bucket and of the EBS volumes. */
  readonly region: string;
  /**
   * Snapshot persistent volumes as EBS snapshots (a VolumeSnapshotLocation for the AWS plugin).
   * Without it, a backup copies no volume data unless it uses file-system backup, which
   * needs Velero's node agent (not installed).
   * @default true
   */
  readonly snapshots?: boolean;
}

/**
 * Properties of {@link Velero} on AKS: a blob container reached through workload identity
 * (the construct binds Velero's ServiceAccount with a {@link WorkloadIdentity} that has
 * "Storage Blob Data Contributor" on the storage account). No volume snapshots: a backup
 * holds the cluster's objects, not volume data.
 */
export interface AzureVeleroProps extends VeleroOptions {
  /** The cloud. */
  readonly cloud: 'azure';
  /** The subscription of the storage account (a GUID). */
  readonly subscriptionId: string;
  /** The resource group of the storage account. */
  readonly resourceGroup: string;
  /** The storage account (3 to 24 lower-case letters and digits). */
  readonly storageAccount: string;
  /** The blob container backups are written to. */
  readonly container: string;
}

/** Where a {@link Velero} release keeps its backups: the spec of its default BackupStorageLocation. */
export interface VeleroStorage {
  /** The object store plugin: `aws` or `azure`. */
  readonly provider: 'aws' | 'azure';
  /** The S3 bucket or blob container. */
  readonly bucket: string;
  /** The plugin's configuration of the location (region; or the storage account and how to reach it). */
  readonly config: Readonly<Record<string, string>>;
}

/**
 * Velero (pinned chart 12.1.0, Velero 1.18.1) with its cloud's plugin. On EKS: backups to an
 * S3 bucket and EBS snapshots of persistent volumes, credentials from Pod Identity. On AKS:
 * backups to a blob container, credentials from workload identity (Entra ID, no storage key).
 * The `default` BackupStorageLocation ({@link VeleroLocations}) is the one BackupSchedule
 * uses unless told otherwise. One server; no node agent.
 * @see https://github.com/velero-io/velero-plugin-for-aws#readme
 * @see https://github.com/vmware-tanzu/velero-plugin-for-microsoft-azure#readme
 */
export class Velero extends Construct {
  /** The ServiceAccount the chart creates, for the stack's Pod Identity association or federated credential. */
  public static readonly IDENTITY: ControllerIdentity = { namespace: 'velero', serviceAccount: 'velero-server' };
  /** The name of the BackupStorageLocation (and VolumeSnapshotLocation) {@link VeleroLocations} writes: Velero's default location. */
  public static readonly LOCATION = 'default';
  /** The namespace Velero runs in. */
  public readonly namespace = Velero.IDENTITY.namespace;
  /** The cloud. */
  public readonly cloud: 'aws' | 'azure';
  /** The S3 bucket (or, on AKS, the blob container) Velero keeps its backups in. */
  public readonly bucket: string;
  /** The bucket's (and the snapshots') AWS region; undefined on AKS. */
  public readonly region?: string;
  /** The path under which Velero keeps its data in the bucket; undefined for the bucket's root. */
  public readonly prefix?: string;
  /** Whether volumes are backed up by snapshots (EBS; never on AKS). */
  public readonly snapshots: boolean;
  /** Where the backups go: the default BackupStorageLocation's provider, bucket and configuration. */
  public readonly storage: VeleroStorage;
  /** On AKS, the binding of Velero's ServiceAccount to its managed identity; undefined on EKS (the stack binds it with Pod Identity). */
  public readonly identity?: WorkloadIdentity;
  /** The server's (and the plugin init container's) `resources`, as set in the values. */
  public readonly resources: ResourceRequirements;
  /** The Velero Helm release. */
  public readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: VeleroProps | AzureVeleroProps) {
    super(scope, id);
    const kind = 'Velero';
    const v = new PropsValidator(kind, this);
    if (props.prefix !== undefined) {
      v.check('prefix', props.prefix, (value) => (value !== '' && !value.startsWith('/') && !value.endsWith('/')
        ? undefined : "is not a path in the bucket; expected e.g. 'clusters/prod', without a leading or trailing '/' (leave it out for the bucket's root)"));
    }
    if (props.cloud === 'azure') {
      v.check('subscriptionId', props.subscriptionId, azureGuidProblem);
      v.check('resourceGroup', props.resourceGroup, resourceGroupNameProblem);
      v.check('storageAccount', props.storageAccount, storageAccountNameProblem);
      v.check('container', props.container, blobContainerNameProblem);
      this.cloud = 'azure';
      this.bucket = props.container;
      this.snapshots = false;
      // Entra ID to the blob endpoint (useAAD), found from the URI rather than by reading the
      // storage account: the identity needs "Storage Blob Data Contributor" and nothing more.
      this.storage = {
        provider: 'azure',
        bucket: props.container,
        config: {
          subscriptionId: props.subscriptionId,
          resourceGroup: props.resourceGroup,
          storageAccount: props.storageAccount,
          storageAccountURI: `https://${props.storageAccount}.blob.core.windows.net/`,
          useAAD: 'true',
        },
      };
    } else {
      v.check('bucket', props.bucket, (value) => {
        const problem = s3BucketNameProblem(value);
        return problem && `is not a valid S3 bucket name: it ${problem}`;
      });
      checkRegion(v, props.region);
      this.cloud = 'aws';
      this.bucket = props.bucket;
      this.region = props.region;
      this.snapshots = props.snapshots ?? AWS_CONTROLLER_DEFAULTS.veleroSnapshots;
      this.storage = { provider: 'aws', bucket: props.bucket, config: { region: props.region } };
    }
    if (props.prefix !== undefined) this.prefix = props.prefix;
    this.resources = controllerResources(kind, this, props.resources ?? AWS_CONTROLLER_RESOURCES.velero);

    new AppNamespace(this, 'Namespace', { name: this.namespace });
    const azure = this.cloud === 'azure';
    const plugin = azure ? AWS_CONTROLLER_IMAGES.veleroPluginForAzure : AWS_CONTROLLER_IMAGES.veleroPluginForAws;
    const serviceAccount = { namespace: Velero.IDENTITY.namespace, name: Velero.IDENTITY.serviceAccount };
    const workloadIdentity = azure ? azureWorkloadIdentityValues(serviceAccount) : undefined;
    const values: HelmValues = {
      image: { ...AWS_CONTROLLER_IMAGES.velero },
      // The plugin image copies its binary into the shared `plugins` volume and exits. It runs as 65532.
      initContainers: [{
        name: azure ? 'velero-plugin-for-microsoft-azure' : 'velero-plugin-for-aws',
        image: `${plugin.repository}:${plugin.tag}`,
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true, runAsNonRoot: true },
        resources: this.resources,
      }],
      serviceAccount: { server: { create: true, name: Velero.IDENTITY.serviceAccount, ...(workloadIdentity && { annotations: workloadIdentity.annotations }) } },
      ...(workloadIdentity && { podLabels: workloadIdentity.podLabels }),
      // Credentials from Pod Identity or workload identity (the SDK's default chain): no Secret, no key file.
      credentials: { useSecret: false },
      // The locations are the kit's own objects (VeleroLocations), typed and validated against
      // the pinned CRDs and applied after the chart has installed them; the chart makes none.
      configuration: { backupStorageLocation: [], volumeSnapshotLocation: [] },
      snapshotsEnabled: this.snapshots,
      deployNodeAgent: false,
      // No CRD upgrade hook Job (a kubectl pod): Flux applies the chart's crds/ on install and
      // upgrade (HelmChartRelease sets CreateReplace), and Pulumi's Helm release installs them.
      upgradeCRDs: false,
      podSecurityContext: { runAsNonRoot: true, ...RUNTIME_DEFAULT_SECCOMP },
      // The image's user is `cnb` by name (paketobuildpacks/run-jammy-tiny: uid 1002, gid 1000);
      // runAsNonRoot needs it as a number. The root filesystem stays writable: Velero keeps
      // repository configuration under /home/cnb when a file-system or data-mover backup runs.
      containerSecurityContext: { ...RESTRICTED_CONTAINER, runAsUser: 1002, runAsGroup: 1000 },
      resources: this.resources,
    };
    this.release = new HelmChartRelease(this, 'Release', {
      chart: HelmChart.VELERO,
      namespace: this.namespace,
      values,
      provides: ['velero'],
      workloads: [{ name: 'velero', kind: 'Deployment', replicas: 1, requests: { ...this.resources.requests } }],
    });
    if (props.cloud === 'azure') {
      this.identity = new WorkloadIdentity(this, 'Identity', {
        cloud: 'azure',
        serviceAccount,
        createdBy: this.release,
        azureRoles: [{
          role: 'Storage Blob Data Contributor',
          scope: `/subscriptions/${props.subscriptionId}/resourceGroups/${props.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${props.storageAccount}`,
        }],
      });
    }
  }
}

/** Properties of {@link VeleroLocations}. */
export interface VeleroLocationsProps {
  /** The Velero release whose bucket, prefix, region and snapshot setting the locations carry. */
  readonly velero: Velero;
}

/**
 * Velero's default BackupStorageLocation (the release's S3 bucket and prefix) and, when the
 * release takes snapshots, its default VolumeSnapshotLocation (EBS, in the release's region),
 * both named {@link Velero.LOCATION}. Typed from the pinned CRDs (constructs/imports/velero.ts)
 * and validated against them like every other object. Place it in a chart that waits for the
 * Velero release's chart: the CRDs come with the release.
 */
export class VeleroLocations extends Construct {
  /** Where backups are written: the Velero bucket. */
  public readonly backupStorageLocation: BackupStorageLocation;
  /** Where EBS snapshots are taken; undefined when the Velero release does not take snapshots. */
  public readonly volumeSnapshotLocation?: VolumeSnapshotLocation;

  constructor(scope: Construct, id: string, props: VeleroLocationsProps) {
    super(scope, id);
    const { velero } = props;
    const metadata = { name: Velero.LOCATION, namespace: velero.namespace };
    this.backupStorageLocation = new BackupStorageLocation(this, 'Backups', {
      metadata,
      spec: {
        provider: velero.storage.provider,
        default: true,
        objectStorage: { bucket: velero.storage.bucket, ...(velero.prefix !== undefined && { prefix: velero.prefix }) },
        config: { ...velero.storage.config },
      },
    });
    if (velero.snapshots) {
      this.volumeSnapshotLocation = new VolumeSnapshotLocation(this, 'Snapshots', {
        metadata,
        spec: { provider: 'aws', config: { region: velero.region as string } },
      });
    }
  }
}

// -------------------------------------------------------------- NVIDIA device plugin ---

/** Why the device plugin's namespace enforces `privileged` rather than `restricted` or `baseline`. */
export const DEVICE_PLUGIN_POD_SECURITY_REASON = 'The NVIDIA device plugin mounts hostPath volumes (the kubelet\'s /var/lib/kubelet/device-plugins, '
  + '/var/run/cdi and its MPS directory) and runs as root to register with the kubelet; the baseline level already forbids hostPath volumes, '
  + 'so only privileged admits it. Its container is not privileged, drops every capability and cannot escalate privileges.';

/** Properties of {@link NvidiaDevicePlugin}. */
export interface NvidiaDevicePluginProps {
  /**
   * The plugin pods' tolerations: the taint of the GPU pools.
   * @default [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]
   */
  readonly tolerations?: readonly ReleaseToleration[];
  /**
   * The labels of the GPU nodes: the plugin runs only there. Give the GPU pools these labels
   * in `Pulumi.<env>.yaml`.
   * @default { 'nvidia.com/gpu.present': 'true' }
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * The plugin container's requests and limits (also what the capacity planner counts on
   * each GPU node). The CPU limit may be left out (the default), the memory limit may not.
   * @default 10m CPU, 32Mi memory (64Mi limit): the kit's figures; the chart gives none
   */
  readonly resources?: WorkloadResources;
}

/**
 * The NVIDIA device plugin (pinned chart 0.20.0): a DaemonSet on the GPU nodes that
 * advertises their GPUs as `nvidia.com/gpu`, so pods can request them. The nodes need the
 * NVIDIA driver and container toolkit (an NVIDIA AMI). It calls no AWS API; its IDENTITY is
 * given for uniformity, and needs no IAM role.
 * @see https://github.com/NVIDIA/k8s-device-plugin#deployment-via-helm
 */
export class NvidiaDevicePlugin extends Construct {
  /** The ServiceAccount the chart creates (`<fullname>-service-account`). It needs no IAM role. */
  public static readonly IDENTITY: ControllerIdentity = { namespace: 'nvidia-device-plugin', serviceAccount: 'nvidia-device-plugin-service-account' };
  /** The namespace the plugin runs in. */
  public readonly namespace = NvidiaDevicePlugin.IDENTITY.namespace;
  /** The plugin pods' tolerations. */
  public readonly tolerations: readonly ReleaseToleration[];
  /** The labels of the nodes the plugin runs on. */
  public readonly nodeSelector: Readonly<Record<string, string>>;
  /** The plugin container's `resources`, as set in the values. */
  public readonly resources: ResourceRequirements;
  /** The plugin's Helm release. */
  public readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps = {}) {
    super(scope, id);
    const v = new PropsValidator('NvidiaDevicePlugin', this);
    this.nodeSelector = { ...(props.nodeSelector ?? AWS_CONTROLLER_DEFAULTS.gpuNodeSelector) };
    const labels = Object.entries(this.nodeSelector);
    if (labels.length === 0) throw v.error({ field: 'nodeSelector', problem: 'is empty', expected: "the labels of the GPU nodes, e.g. { 'nvidia.com/gpu.present': 'true' }" });
    for (const [key, value] of labels) {
      const problem = qualifiedNameProblem(key) ?? labelValueProblem(String(value));
      if (problem) throw v.error({ field: `nodeSelector['${key}']`, value, problem: `is not a valid node label: ${problem}` });
    }
    this.tolerations = (props.tolerations ?? AWS_CONTROLLER_DEFAULTS.gpuTolerations).map((t) => ({ ...t }));
    this.resources = controllerResources('NvidiaDevicePlugin', this, props.resources ?? AWS_CONTROLLER_RESOURCES.nvidiaDevicePlugin);
    const workload: ReleaseWorkload = { name: 'nvidia-device-plugin', kind: 'DaemonSet', requests: { ...this.resources.requests }, tolerations: this.tolerations };
    // The release checks its workloads with the planner's rules; checked here too, so the
    // error names this construct and its `tolerations` field.
    const problem = releaseWorkloadsProblem([workload]);
    if (problem) throw v.conflict(problem.replace(/^workloads\[0\]\./, ''));

    privilegedNamespace(this, 'Namespace', this.namespace, DEVICE_PLUGIN_POD_SECURITY_REASON);
    const values: HelmValues = {
      fullnameOverride: 'nvidia-device-plugin',
      image: { ...AWS_CONTROLLER_IMAGES.nvidiaDevicePlugin },
      nodeSelector: { ...this.nodeSelector },
      // The chart's default affinity also requires a node-feature-discovery label (or
      // nvidia.com/gpu.present); this list replaces its list, so the pods go exactly where
      // nodeSelector says, whatever labels are used.
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: labels.map(([key, value]) => ({ key, operator: 'In', values: [value] })) }],
          },
        },
      },
      tolerations: this.tolerations.map((t) => ({ ...t })),
      resources: this.resources,
    };
    this.release = new HelmChartRelease(this, 'Release', {
      chart: HelmChart.NVIDIA_DEVICE_PLUGIN,
      namespace: this.namespace,
      values,
      provides: ['nvidia-gpu'],
      workloads: [workload],
    });
  }
}
