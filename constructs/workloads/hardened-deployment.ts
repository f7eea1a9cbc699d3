import { Chart, Duration, type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../core/plus.js';
import { ServiceMonitor } from '../imports/prometheus-operator.js';
import { PropsValidator, shown } from '../core/errors.js';
import { NAME_LABEL, applyPodHardening, podProps, resolvePod } from './_hardening.js';
import { disruptionBudgetFor, ingressPolicyFor, ingressRuleFor, type IngressRule } from './_protection.js';
import { DisruptionBudget, isZeroPods, podCountProblem, type Autoscaling, type PodCount } from './availability.js';
import { ingressPeerProblem, type Cloud, type IngressPeer } from './exposure.js';
import type { HashedConfigMap } from './hashed-config-map.js';
import { resolveMetrics, type ResolvedMetrics } from './_metrics.js';
import { MONITORING_LABELS, type Metrics } from './metrics.js';
import type { HardenedPodProps, WorkloadPort } from './options.js';
import type { QosClass } from '../core/qos.js';
import { parseQuantity } from '../core/quantity.js';

/** The defaults of {@link HardenedDeploymentProps}, resolved once in the constructor. */
export const DEPLOYMENT_DEFAULTS = {
  replicas: 2,
  maxSurge: '25%' as PodCount,
  maxUnavailable: 0 as PodCount,
  minReadySeconds: 10,
  progressDeadlineSeconds: 600,
  autoscalingMinReplicas: 1,
  autoscalingCpuUtilizationPercent: 80,
  disruptionBudget: DisruptionBudget.maxUnavailable(1),
  serviceType: kplus.ServiceType.CLUSTER_IP,
} as const;

/** Properties of {@link HardenedDeployment}. */
export interface HardenedDeploymentProps extends HardenedPodProps {
  /**
   * The number of pods. Leave unset when `autoscaling` is given: the HPA owns the count.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * A HorizontalPodAutoscaler (autoscaling/v2). The Deployment then has no `replicas`.
   * @default - no autoscaling
   */
  readonly autoscaling?: Autoscaling;
  /**
   * The PodDisruptionBudget of a replicated workload (more than one replica, or autoscaled).
   * One that would block every node drain is an error.
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Extra pods a rolling update may create above the desired count.
   * @default '25%'
   */
  readonly maxSurge?: PodCount;
  /**
   * Pods a rolling update may take down below the desired count. With the default 0,
   * capacity never drops during a rollout; `maxSurge` and `maxUnavailable` cannot both be 0.
   * @default 0
   */
  readonly maxUnavailable?: PodCount;
  /**
   * Seconds a new pod must be ready, without crashing, to count as available.
   * @default 10
   */
  readonly minReadySeconds?: number;
  /**
   * Seconds a rollout may go without progress before it is reported failed.
   * @default 600
   */
  readonly progressDeadlineSeconds?: number;
  /**
   * The Service type, when the workload has ports.
   * @default ServiceType.CLUSTER_IP
   */
  readonly serviceType?: kplus.ServiceType;
  /**
   * Make a LoadBalancer Service internal to the cloud network (AWS or Azure annotations).
   * @default - a public load balancer, when serviceType is LOAD_BALANCER
   */
  readonly internalLoadBalancer?: Cloud;
  /**
   * Who may connect to the pods. The NetworkPolicy denies every other ingress.
   * @default - nobody: all ingress denied
   */
  readonly allowIngressFrom?: readonly IngressPeer[];
  /**
   * Prometheus metrics: a ServiceMonitor (`monitoring.coreos.com/v1`) that scrapes this
   * port of the Service, labelled with `MONITORING_LABELS`, and a NetworkPolicy rule that
   * lets the scrapers (`allowFrom`) reach it.
   * @default - no ServiceMonitor
   */
  readonly metrics?: Metrics;
  /**
   * A workload that must never run two pods at once (it sends each message once, holds a
   * lock, or simulates a single source), with the reason. It gets one replica, no
   * autoscaling and no PodDisruptionBudget, and a rolling update that stops the old pod
   * before it starts the new one (maxSurge 0, maxUnavailable 1), so an update means a
   * short outage. The reason is kept on the Deployment as the
   * `k8s-platform-kit.dev/singleton` annotation.
   * @default - not a singleton
   */
  readonly singleton?: { readonly reason: string };
}

/** The annotation that records why a Deployment runs exactly one pod. */
export const SINGLETON_ANNOTATION = 'k8s-platform-kit.dev/singleton';

/**
 * A Deployment hardened by default: restricted pod security, probes, requests and limits
 * with a declared QoS class, a PodDisruptionBudget, optional HPA, a zero-downtime rolling
 * update, topology spread, a preStop hook, hashed configuration, a Service and a
 * NetworkPolicy that denies ingress except from what is allowed.
 */
export class HardenedDeployment extends Construct {
  /** The Deployment (construct id `Resource`). */
  public readonly deployment: kplus.Deployment;
  /** The workload's name (Deployment and Service). */
  public readonly name: string;
  /** The namespace: the one given, else the chart's, if either is set (else the namespace the manifests are applied to). */
  public readonly namespace?: string;
  /** The QoS class the pods get, by the Kubernetes rules. */
  public readonly qosClass: QosClass;
  /** The replica count, or undefined when an HPA owns it. */
  public readonly replicas?: number;
  /** The labels that select this workload's pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /**
   * The label that names this workload's pods (`app.kubernetes.io/name: <name>`), for other
   * objects that select them (a data store's NetworkPolicy): it stays the same when the
   * construct moves in the tree, unlike the selector labels.
   */
  public readonly identityLabels: Readonly<Record<string, string>>;
  /** The Service, when the workload has ports. */
  public readonly service?: kplus.Service;
  /** The HorizontalPodAutoscaler, when `autoscaling` was given. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** The PodDisruptionBudget, for replicated workloads. */
  public readonly disruptionBudget?: ApiObject;
  /** The NetworkPolicy. */
  public readonly networkPolicy: ApiObject;
  /** The content-hashed ConfigMap, when `config` was given. */
  public readonly config?: HashedConfigMap;
  /** The ServiceMonitor, when `metrics` was given. */
  public readonly serviceMonitor?: ServiceMonitor;
  /** The container's ports. */
  public readonly ports: readonly WorkloadPort[];
  private readonly ingressRules: IngressRule[];

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    const v = new PropsValidator('HardenedDeployment', this);
    const resolved = resolvePod(v, this, props);
    this.name = resolved.name;
    this.qosClass = resolved.qosClass;
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace !== undefined) this.namespace = namespace;

    const autoscaling = props.autoscaling;
    const singleton = props.singleton;
    if (singleton) checkSingleton(v, singleton, props);
    if (autoscaling && props.replicas !== undefined) {
      throw v.conflict(`set either replicas (${props.replicas}) or autoscaling, not both: the HorizontalPodAutoscaler owns the replica count`);
    }
    const replicas = autoscaling ? undefined : props.replicas ?? (singleton ? 1 : DEPLOYMENT_DEFAULTS.replicas);
    if (replicas !== undefined) v.wholeNumber('replicas', replicas, 0);
    if (replicas !== undefined) this.replicas = replicas;
    const lowestReplicas = autoscaling ? checkAutoscaling(v, autoscaling, props) : replicas ?? 0;

    const maxSurge = props.maxSurge ?? (singleton ? 0 : DEPLOYMENT_DEFAULTS.maxSurge);
    const maxUnavailable = props.maxUnavailable ?? (singleton ? 1 : DEPLOYMENT_DEFAULTS.maxUnavailable);
    for (const [field, value] of [['maxSurge', maxSurge], ['maxUnavailable', maxUnavailable]] as const) {
      v.check(field, value, podCountProblem);
    }
    if (isZeroPods(maxSurge) && isZeroPods(maxUnavailable)) {
      throw v.conflict(`maxSurge (${shown(maxSurge)}) and maxUnavailable (${shown(maxUnavailable)}) are both zero, so a rolling update could never replace a pod; allow a surge (e.g. maxSurge: 1) or some unavailability`);
    }
    const minReadySeconds = props.minReadySeconds ?? DEPLOYMENT_DEFAULTS.minReadySeconds;
    const progressDeadlineSeconds = props.progressDeadlineSeconds ?? DEPLOYMENT_DEFAULTS.progressDeadlineSeconds;
    v.wholeNumber('minReadySeconds', minReadySeconds, 0);
    if (!Number.isInteger(progressDeadlineSeconds) || progressDeadlineSeconds <= minReadySeconds) {
      throw v.error({ field: 'progressDeadlineSeconds', value: progressDeadlineSeconds, problem: `must be a whole number greater than minReadySeconds (${minReadySeconds})` });
    }

    const budget = props.disruptionBudget ?? DEPLOYMENT_DEFAULTS.disruptionBudget;
    const replicated = autoscaling !== undefined || (replicas ?? 0) > 1;
    if (props.disruptionBudget !== undefined && !replicated) {
      throw v.error({
        field: 'disruptionBudget', value: `${budget.field} ${budget.value}`,
        problem: `has no effect with ${replicas ?? 0} replica${replicas === 1 ? '' : 's'}: only a replicated workload gets a PodDisruptionBudget`,
        expected: 'more than one replica or autoscaling, or no disruptionBudget',
      });
    }
    if (replicated) {
      v.check(`disruptionBudget.${budget.field}`, budget.value, podCountProblem);
      const blocks = budget.blocksEveryDrain(lowestReplicas);
      if (blocks) {
        throw v.error({ field: 'disruptionBudget', problem: `${blocks}, which would block every node drain and cluster upgrade`, expected: 'a budget that allows at least one pod to be evicted' });
      }
    }

    const serviceType = props.serviceType ?? DEPLOYMENT_DEFAULTS.serviceType;
    const allowIngressFrom = props.allowIngressFrom ?? [];
    allowIngressFrom.forEach((peer, i) => {
      const problem = ingressPeerProblem(peer);
      if (problem) throw v.error({ field: `allowIngressFrom[${i}]`, problem });
    });
    checkExposure(v, props, serviceType, allowIngressFrom, resolved.ports.length);
    const metrics: ResolvedMetrics | undefined = props.metrics && resolveMetrics(v, props.metrics, resolved.ports);

    const metadata = { name: this.name, ...(props.namespace !== undefined && { namespace: props.namespace }), labels: { ...resolved.labels } };
    this.deployment = new kplus.Deployment(this, 'Resource', {
      metadata: singleton ? { ...metadata, annotations: { [SINGLETON_ANNOTATION]: singleton.reason } } : metadata,
      ...(replicas !== undefined && { replicas }),
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: percentOrAbsolute(maxSurge), maxUnavailable: percentOrAbsolute(maxUnavailable) }),
      minReady: Duration.seconds(minReadySeconds),
      progressDeadline: Duration.seconds(progressDeadlineSeconds),
      ...podProps(props, resolved, this),
    });
    const config = applyPodHardening({ kind: 'HardenedDeployment', scope: this, workload: this.deployment, props, resolved });
    if (config) this.config = config;
    this.selectorLabels = this.deployment.matchLabels;
    this.identityLabels = { [NAME_LABEL]: this.name };

    if (resolved.ports.length > 0) {
      this.service = new kplus.Service(this, 'Service', {
        metadata: {
          ...metadata,
          ...(props.internalLoadBalancer && { annotations: { ...props.internalLoadBalancer.internalLoadBalancerAnnotations } }),
        },
        type: serviceType,
        selector: this.deployment,
        ports: resolved.ports.map((p) => ({
          port: p.number,
          targetPort: p.number,
          ...(p.name !== undefined && { name: p.name }),
          ...(p.protocol !== undefined && { protocol: kplus.Protocol[p.protocol] }),
        })),
      });
    }

    if (metrics) {
      this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', {
        metadata: { ...metadata, labels: { ...metadata.labels, ...MONITORING_LABELS } },
        spec: {
          selector: { matchLabels: { [NAME_LABEL]: this.name } },
          endpoints: [{ port: metrics.portName, path: metrics.path, interval: metrics.interval }],
        },
      });
    }

    if (autoscaling) {
      this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata,
        target: this.deployment,
        minReplicas: autoscaling.minReplicas ?? DEPLOYMENT_DEFAULTS.autoscalingMinReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: autoscalingMetrics(autoscaling),
      });
    }

    if (replicated) this.disruptionBudget = disruptionBudgetFor(this, metadata, this.selectorLabels, budget);

    this.ports = resolved.ports;
    const ingress: IngressRule[] = allowIngressFrom.length > 0 ? [ingressRuleFor(allowIngressFrom, resolved.ports)] : [];
    if (metrics && metrics.allowFrom.length > 0) {
      ingress.push({ from: metrics.allowFrom.map((peer) => peer.peer), ports: [{ port: metrics.portNumber, protocol: 'TCP' }] });
    }
    this.ingressRules = ingress;
    this.networkPolicy = ingressPolicyFor(this, metadata, this.selectorLabels, ingress);
  }

  /**
   * Admits more callers through the NetworkPolicy: `peers` on the given ports (by name or
   * number), or on every port of the workload when none are given. For callers known only
   * after the workload is built, such as the other services of a chart.
   */
  public allowIngress(peers: readonly IngressPeer[], ports?: readonly (number | string)[]): void {
    const v = new PropsValidator('HardenedDeployment', this);
    if (peers.length === 0) throw v.error({ field: 'allowIngress() peers', problem: 'is empty', expected: 'at least one IngressPeer' });
    peers.forEach((peer, i) => {
      const problem = ingressPeerProblem(peer);
      if (problem) throw v.error({ field: `allowIngress() peers[${i}]`, problem });
    });
    const selected = (ports ?? this.ports.map((p) => p.number)).map((port) => {
      const match = this.ports.find((p) => p.number === port || p.name === port);
      if (!match) {
        throw v.error({ field: 'allowIngress() port', value: port, problem: `is not one of the workload's ports (${this.ports.map((p) => p.name ?? p.number).join(', ') || 'none'})` });
      }
      return { port: match.number, protocol: match.protocol ?? 'TCP' };
    });
    this.ingressRules.push({ from: peers.map((peer) => peer.peer), ...(selected.length > 0 && { ports: selected }) });
  }

}

/** A singleton runs one pod, is not autoscaled and never surges a second pod. */
function checkSingleton(v: PropsValidator, singleton: { readonly reason: string }, props: HardenedDeploymentProps): void {
  if (singleton.reason.trim() === '') throw v.error({ field: 'singleton.reason', problem: 'is empty', expected: 'why the workload must never run two pods' });
  if (props.autoscaling) throw v.conflict(`singleton cannot be autoscaled (autoscaling.maxReplicas ${props.autoscaling.maxReplicas}): it must never run two pods`);
  if (props.replicas !== undefined && props.replicas !== 1) throw v.error({ field: 'replicas', value: props.replicas, problem: 'must be 1 for a singleton' });
  if (props.maxSurge !== undefined && !isZeroPods(props.maxSurge)) {
    throw v.error({ field: 'maxSurge', value: props.maxSurge, problem: 'would start a second pod during a rollout', expected: '0 for a singleton' });
  }
}

/** Validates the autoscaling props; returns the lowest replica count the HPA allows. */
function checkAutoscaling(v: PropsValidator, autoscaling: Autoscaling, props: HardenedDeploymentProps): number {
  const min = autoscaling.minReplicas ?? DEPLOYMENT_DEFAULTS.autoscalingMinReplicas;
  const max = autoscaling.maxReplicas;
  v.wholeNumber('autoscaling.minReplicas', min, 1);
  v.wholeNumber('autoscaling.maxReplicas', max, 1);
  if (min > max) throw v.error({ field: 'autoscaling.minReplicas', value: min, problem: `is greater than autoscaling.maxReplicas (${max})` });
  for (const field of ['cpuUtilizationPercent', 'memoryUtilizationPercent'] as const) {
    const value = autoscaling[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw v.error({ field: `autoscaling.${field}`, value, problem: 'must be a whole percentage >= 1' });
    }
  }
  const { request, limit } = props.resources.cpu;
  const cpuTarget = autoscaling.cpuUtilizationPercent;
  if (cpuTarget !== undefined && limit !== undefined) {
    const reachable = Math.floor((parseQuantity(limit) / parseQuantity(request)) * 100);
    if (cpuTarget > reachable) {
      throw v.error({
        field: 'autoscaling.cpuUtilizationPercent', value: cpuTarget,
        problem: `can never be reached: the cpu limit (${limit}) caps use at ${reachable}% of the cpu request (${request})`,
        expected: 'a lower target, or a higher cpu limit or none',
      });
    }
  }
  return min;
}

function checkExposure(v: PropsValidator, props: HardenedDeploymentProps, serviceType: kplus.ServiceType,
  allowIngressFrom: readonly IngressPeer[], portCount: number): void {
  if (props.internalLoadBalancer && serviceType !== kplus.ServiceType.LOAD_BALANCER) {
    throw v.error({ field: 'internalLoadBalancer', value: props.internalLoadBalancer.name, problem: `needs serviceType LOAD_BALANCER, but serviceType is ${serviceType}` });
  }
  if (serviceType === kplus.ServiceType.EXTERNAL_NAME) {
    throw v.error({ field: 'serviceType', value: serviceType, problem: 'does not route to pods', expected: 'ClusterIP, NodePort or LoadBalancer' });
  }
  const external = serviceType === kplus.ServiceType.LOAD_BALANCER || serviceType === kplus.ServiceType.NODE_PORT;
  if (external && !allowIngressFrom.some((peer) => peer.isCidr)) {
    throw v.error({
      field: 'serviceType', value: serviceType,
      problem: 'receives traffic from outside the cluster, but allowIngressFrom has no IngressPeer.cidr(...), so the NetworkPolicy would drop it',
      expected: "an IngressPeer.cidr(...) with the load balancer's or clients' address range",
    });
  }
  if (portCount === 0 && props.serviceType !== undefined) {
    throw v.error({ field: 'serviceType', value: serviceType, problem: 'is set but the container declares no ports' });
  }
}

function percentOrAbsolute(value: PodCount): kplus.PercentOrAbsolute {
  return typeof value === 'number' ? kplus.PercentOrAbsolute.absolute(value) : kplus.PercentOrAbsolute.percent(Number(value.slice(0, -1)));
}

function autoscalingMetrics(autoscaling: Autoscaling): kplus.Metric[] {
  const metrics: kplus.Metric[] = [];
  const cpu = autoscaling.cpuUtilizationPercent
    ?? (autoscaling.memoryUtilizationPercent === undefined ? DEPLOYMENT_DEFAULTS.autoscalingCpuUtilizationPercent : undefined);
  if (cpu !== undefined) metrics.push(kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(cpu)));
  if (autoscaling.memoryUtilizationPercent !== undefined) {
    metrics.push(kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(autoscaling.memoryUtilizationPercent)));
  }
  return metrics;
}
