/**
 * The hardening every workload shares: validation of the pod and container props, and the
 * rendering of the container and pod spec onto a cdk8s-plus workload. Deployment uses it
 * today; StatefulSet, DaemonSet, Job and CronJob constructs reuse it.
 */
import { ApiObject, Chart, Duration, Names } from 'cdk8s';
import { addFinalTransform } from './_final-patch.js';
import type { Construct } from 'constructs';
import type { IProbe, ITopologySpreadConstraint } from 'kubernetes-models/v1';
import * as kplus from '../core/plus.js';
import { EXCEPTION_ANNOTATION_PREFIX } from '../core/exceptions.js';
import {
  PORT_NUMBER_EXPECTED, checkLabels, labelValueProblem, qualifiedNameProblem, configMapKeyProblem, configMapSizeProblem, dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem, portNumberProblem,
} from '../core/names.js';
import type { PropsValidator } from '../core/errors.js';
import { HashedConfigMap } from './hashed-config-map.js';
import {
  IMAGE_PULL_POLICY, MOUNT_SERVICE_ACCOUNT_TOKEN, NOT_A_QUANTITY, positiveQuantityProblem, requirePinnedImage,
  restrictedContainerSecurityContext, restrictedPodSecurityContext,
} from './pod-spec.js';
import { TopologySpread, type EnvVar, type ExtraContainer, type HardenedPodProps, type WorkloadPort, type WorkloadResources } from './options.js';
import { TAINT_EFFECTS, type Toleration } from '../core/placement.js';
import type { Probe } from './probe.js';
import { explainQosClass, QOS_CLASS_ANNOTATION, QosClass } from '../core/qos.js';
import { compareQuantities, isQuantity } from '../core/quantity.js';

/** The defaults of {@link HardenedPodProps}, resolved once. */
export const POD_DEFAULTS = {
  user: 10001,
  group: 10001,
  preStopSleepSeconds: 5,
  terminationGracePeriodSeconds: 30,
  configMountPath: '/etc/config',
  topologySpread: TopologySpread.PREFERRED,
  mountServiceAccountToken: MOUNT_SERVICE_ACCOUNT_TOKEN,
} as const;

/** A liveness probe's failureThreshold when the probe sets none: twice Kubernetes' (and readiness') 3. */
export const LIVENESS_FAILURE_THRESHOLD = 6;

/** The label every object of a workload carries, and its pods are selected by. */
export const NAME_LABEL = 'app.kubernetes.io/name';

/** The pod and container props, validated, with defaults resolved. */
export interface ResolvedPod {
  readonly name: string;
  readonly qosClass: QosClass;
  readonly ports: readonly WorkloadPort[];
  readonly labels: Readonly<Record<string, string>>;
  /** Labels the pods carry beyond `labels` (a cloud identity's). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly user: number;
  readonly group: number;
  readonly preStopSleepSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly topologySpread: TopologySpread;
  readonly mountServiceAccountToken: boolean;
  readonly probes: { readonly liveness?: IProbe; readonly readiness?: IProbe; readonly startup?: IProbe };
  readonly exceptions: Readonly<Record<string, string>>;
  /** The node selector, tolerations and priority class the pod gets (empty when unset). */
  readonly scheduling: { readonly nodeSelector?: Record<string, string>; readonly tolerations?: Toleration[]; readonly priorityClassName?: string };
}

/** Environment variable names that hold secrets: their value must come from a Secret, never be written as a literal. */
const SECRET_ENV_NAME = /(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIALS?)$/i;

const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function isWholeNumber(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** How a kind of workload differs in what {@link resolvePod} asks of its props. */
export interface PodKind {
  /**
   * Whether liveness and readiness probes are required (long-running workloads); a Job's pods
   * run to completion and have none.
   * @default true
   */
  readonly probes?: boolean;
  /**
   * The default preStop sleep: long-running workloads sleep so endpoints drain; a Job has no endpoints.
   * @default POD_DEFAULTS.preStopSleepSeconds
   */
  readonly preStopSleepSeconds?: number;
  /**
   * The default topology spread.
   * @default POD_DEFAULTS.topologySpread
   */
  readonly topologySpread?: TopologySpread;
}

/** Validates the pod props and resolves their defaults. Throws on bad input, naming the construct and field. */
export function resolvePod(v: PropsValidator, scope: Construct, props: HardenedPodProps, kind: PodKind = {}): ResolvedPod {
  const name = props.name ?? Names.toDnsLabel(scope, { maxLen: 40 });
  v.check('name', name, (value) => {
    const problem = dns1123LabelProblem(value);
    return problem && `is not a DNS-1123 label: it ${problem}`;
  });
  if ((props.ports ?? []).length > 0) {
    v.check('name', name, (value) => {
      const problem = dns1035LabelProblem(value);
      return problem && `is also the Service's name, which must be a DNS-1035 label: it ${problem}`;
    });
  }
  if (props.namespace !== undefined) {
    v.check('namespace', props.namespace, (value) => {
      const problem = dns1123LabelProblem(value);
      return problem && `is not a DNS-1123 label: it ${problem}`;
    });
  }

  requirePinnedImage(v, 'image', props.image, 'nginx:1.27.3');

  const ports = props.ports ?? [];
  ports.forEach((port, i) => {
    v.check(`ports[${i}].number`, port.number, portNumberProblem, PORT_NUMBER_EXPECTED);
    if (port.name !== undefined && (port.name.length > 15 || !IANA_SVC_NAME.test(port.name) || port.name.includes('--'))) {
      throw v.error({ field: `ports[${i}].name`, value: port.name, problem: "must be at most 15 lower-case letters, digits and '-', with at least one letter" });
    }
  });
  const seenPorts = new Set<string>();
  for (const port of ports) {
    const key = `${port.number}/${port.protocol ?? 'TCP'}`;
    if (seenPorts.has(key)) throw v.error({ field: 'ports', problem: `declares ${key} twice` });
    seenPorts.add(key);
  }
  ports.forEach((port, i) => {
    if (port.name !== undefined && ports.findIndex((p) => p.name === port.name) < i) {
      throw v.error({ field: `ports[${i}].name`, value: port.name, problem: 'is the name of another port too', expected: 'each port name to be unique' });
    }
  });

  if (props.labels?.[NAME_LABEL] !== undefined) {
    throw v.error({ field: `labels['${NAME_LABEL}']`, value: props.labels[NAME_LABEL], problem: 'must not be set: the kit sets it from name', expected: 'name to be set instead' });
  }
  checkLabels(v, 'labels', props.labels);
  const identity = props.identity;
  if (identity) {
    if (props.serviceAccountName !== undefined) throw v.conflict(`set either serviceAccountName ('${props.serviceAccountName}') or identity (ServiceAccount ${identity.serviceAccount.namespace}/${identity.serviceAccount.name}), not both: the identity's ServiceAccount is the one the pods run as`);
    const namespace = props.namespace ?? Chart.of(scope).namespace;
    if (namespace !== undefined && namespace !== identity.serviceAccount.namespace) {
      throw v.error({ field: 'identity', value: `${identity.serviceAccount.namespace}/${identity.serviceAccount.name}`, problem: `is a ServiceAccount of namespace '${identity.serviceAccount.namespace}', but the pods run in '${namespace}'`, expected: `a WorkloadIdentity of a ServiceAccount in '${namespace}'` });
    }
  }
  if (props.serviceAccountName !== undefined) {
    v.check('serviceAccountName', props.serviceAccountName, (value) => {
      const problem = dns1123SubdomainProblem(value);
      return problem && `is not a ServiceAccount name (a DNS-1123 subdomain): it ${problem}`;
    });
  }
  if (props.command !== undefined && props.command.length === 0) {
    throw v.error({ field: 'command', problem: "is empty, so Kubernetes runs the image's own entrypoint", expected: "the entrypoint, e.g. ['/app/server'], or no command" });
  }
  if (props.configMountPath !== undefined && props.config === undefined) {
    throw v.error({ field: 'configMountPath', value: props.configMountPath, problem: 'has no effect without config', expected: 'config, or no configMountPath' });
  }
  for (const key of Object.keys(props.config ?? {})) {
    const problem = configMapKeyProblem(key);
    if (problem) throw v.error({ field: `config['${key}']`, problem: `has a key that is not a ConfigMap key: it ${problem}` });
  }
  const sizeProblem = props.config && configMapSizeProblem(props.config);
  if (sizeProblem) throw v.error({ field: 'config', problem: sizeProblem, expected: 'fewer or smaller files, or a volume' });
  checkExtraContainers(v, props);
  const qosClass = resolveResources(v, props);
  const probes = kind.probes === false ? {} : resolveProbes(v, props, ports);

  checkEnv(v, 'env', props.env ?? []);

  checkVolumes(v, props);
  const mounted = new Map<string, string>();
  for (const [field, path] of [
    ...(props.config ? [['configMountPath', props.configMountPath ?? POD_DEFAULTS.configMountPath] as const] : []),
    ...(props.writablePaths ?? []).map((p, i) => [`writablePaths[${i}]`, p] as const),
    ...(props.volumes ?? []).map((volume, i) => [`volumes[${i}].mountPath`, volume.mountPath] as const),
  ]) {
    if (!path.startsWith('/')) throw v.error({ field, value: path, problem: 'must be an absolute path' });
    const normalized = path.replace(/\/+$/, '') || '/';
    const other = mounted.get(normalized);
    if (other) throw v.error({ field, value: path, problem: `is already mounted by ${other}`, expected: 'each mount path to be unique' });
    mounted.set(normalized, field);
  }

  const user = props.user ?? POD_DEFAULTS.user;
  const group = props.group ?? POD_DEFAULTS.group;
  if (!isWholeNumber(user, 1)) throw v.error({ field: 'user', value: user, problem: 'must be a non-root numeric user id (>= 1)' });
  if (!isWholeNumber(group, 0)) throw v.error({ field: 'group', value: group, problem: 'must be a numeric group id (>= 0)' });

  const preStopSleepSeconds = props.preStopSleepSeconds ?? kind.preStopSleepSeconds ?? POD_DEFAULTS.preStopSleepSeconds;
  const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? POD_DEFAULTS.terminationGracePeriodSeconds;
  v.wholeNumber('preStopSleepSeconds', preStopSleepSeconds, 0);
  v.wholeNumber('terminationGracePeriodSeconds', terminationGracePeriodSeconds, 1);
  if (terminationGracePeriodSeconds <= preStopSleepSeconds) {
    throw v.error({
      field: 'terminationGracePeriodSeconds', value: terminationGracePeriodSeconds,
      problem: `must be longer than preStopSleepSeconds (${preStopSleepSeconds}), or the container is killed before it can shut down after the hook`,
    });
  }

  if (props.startup?.isWaived) throw v.error({ field: 'startup', problem: 'cannot be waived: the startup probe is optional, so leave it out' });
  const exceptions: Record<string, string> = { ...props.policyExceptions };
  if (exceptions['kit-probes'] !== undefined && (props.liveness?.isWaived || props.readiness?.isWaived)) {
    throw v.conflict("Only one of policyExceptions['kit-probes'] or Probe.waived() can be provided: the waiver records the exception itself");
  }
  const waivers = (['liveness', 'readiness'] as const)
    .filter((which) => props[which]?.isWaived)
    .map((which) => `${which}: ${props[which]?.waiverReason ?? ''}`);
  if (waivers.length > 0) exceptions['kit-probes'] = waivers.join('; ');

  return {
    name,
    scheduling: resolveScheduling(v, props),
    qosClass,
    ports,
    labels: { ...props.labels, [NAME_LABEL]: name },
    podLabels: { ...identity?.podLabels },
    user,
    group,
    preStopSleepSeconds,
    terminationGracePeriodSeconds,
    topologySpread: props.topologySpread ?? kind.topologySpread ?? POD_DEFAULTS.topologySpread,
    mountServiceAccountToken: props.mountServiceAccountToken ?? POD_DEFAULTS.mountServiceAccountToken,
    probes,
    exceptions,
  };
}

/** The extra volumes and pull secrets: names that can exist, sizes above zero, each once, none of the kit's own volume names. */
function checkVolumes(v: PropsValidator, props: HardenedPodProps): void {
  const names = new Set<string>();
  (props.volumes ?? []).forEach((volume, i) => {
    const at = `volumes[${i}]`;
    v.check(`${at}.name`, volume.name, (name) => {
      const problem = dns1123LabelProblem(name);
      return problem && `is not a volume name (a DNS-1123 label): it ${problem}`;
    });
    if (volume.name === 'config' || /^writable-\d+$/.test(volume.name)) throw v.error({ field: `${at}.name`, value: volume.name, problem: 'is the name of a volume the kit adds (config, writable-<n>)', expected: 'another name' });
    if (names.has(volume.name)) throw v.error({ field: `${at}.name`, value: volume.name, problem: 'is the name of another volume', expected: 'each volume name once' });
    names.add(volume.name);
    const { source } = volume;
    if (source.kind === 'emptyDir') {
      v.check(`${at}.source`, source.reference, (size) => (isQuantity(size) && compareQuantities(size, 0) > 0 ? undefined : 'is an emptyDir whose sizeLimit is not a size above zero'), "e.g. VolumeSource.emptyDir('1Gi')");
    } else {
      v.check(`${at}.source`, source.reference, (name) => {
        const problem = dns1123SubdomainProblem(name);
        return problem && `names ${source.kind} '${name}', which is not an object name: it ${problem}`;
      });
    }
  });
  const secrets = props.imagePullSecrets ?? [];
  secrets.forEach((name, i) => {
    v.check(`imagePullSecrets[${i}]`, name, (value) => {
      const problem = dns1123SubdomainProblem(value);
      return problem && `is not a Secret name: it ${problem}`;
    });
    if (secrets.indexOf(name) < i) throw v.error({ field: `imagePullSecrets[${i}]`, value: name, problem: 'is listed twice', expected: 'each Secret once' });
  });
}

/** A toleration as the API server takes it (pkg/apis/core/validation: validateTolerations). */
function tolerationProblem(t: Toleration): string | undefined {
  if (t.operator !== undefined && t.operator !== 'Equal' && t.operator !== 'Exists') return `has operator '${String(t.operator)}'; expected Equal or Exists`;
  if (t.effect !== undefined && !(TAINT_EFFECTS as readonly string[]).includes(t.effect)) return `has effect '${String(t.effect)}'; expected one of ${TAINT_EFFECTS.join(', ')}`;
  if ((t.key === undefined || t.key === '') && t.operator !== 'Exists') return 'has no key, so it must use operator Exists (it then tolerates every taint)';
  if (t.key !== undefined && t.key !== '' && qualifiedNameProblem(t.key)) return `has key '${t.key}', which is not a taint key: it ${qualifiedNameProblem(t.key)}`;
  if (t.operator === 'Exists' && t.value !== undefined && t.value !== '') return `has a value ('${t.value}') with operator Exists, which takes none`;
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') return 'has tolerationSeconds, which applies only to effect NoExecute';
  return undefined;
}

function resolveScheduling(v: PropsValidator, props: HardenedPodProps): ResolvedPod['scheduling'] {
  const placement = props.placement;
  if (placement?.pool) {
    v.check('placement', placement.pool.name, (name) => {
      const problem = labelValueProblem(name);
      return problem && `names pool '${name}', which is not a label value: it ${problem}`;
    });
  }
  const tolerations = [...(placement?.tolerations ?? []), ...(props.tolerations ?? [])];
  (props.tolerations ?? []).forEach((t, i) => v.check(`tolerations[${i}]`, t, tolerationProblem));
  const nodeSelector = placement?.nodeSelector ?? {};
  return {
    ...(Object.keys(nodeSelector).length > 0 && { nodeSelector: { ...nodeSelector } }),
    ...(tolerations.length > 0 && { tolerations: tolerations.map((t) => ({ ...t })) }),
    ...(props.priority && { priorityClassName: props.priority.className }),
  };
}

/** Environment variables: names set once, never a literal value for a variable named like a secret. */
function checkEnv(v: PropsValidator, field: string, env: readonly EnvVar[]): void {
  const seen = new Set<string>();
  env.forEach((variable, i) => {
    if (variable.name === '' || variable.name.includes('=')) throw v.error({ field: `${field}[${i}].name`, value: variable.name, problem: "must be non-empty and must not contain '='" });
    if (seen.has(variable.name)) throw v.error({ field: `${field}[${i}].name`, value: variable.name, problem: 'is set more than once', expected: 'each variable name to be unique' });
    if (SECRET_ENV_NAME.test(variable.name) && variable.value.value !== undefined && variable.value.valueFrom === undefined) {
      // Never show the value: it is the secret.
      throw v.error({
        field: `${field}[${i}].value`, problem: `of ${variable.name} is a literal (not shown), so the secret would be written into the manifest`,
        expected: 'EnvValue.fromSecretValue({ secret, key }) with the secret in a Secret',
      });
    }
    seen.add(variable.name);
  });
}

/** cpu.request, memory.request and memory.limit set, quantities above zero, no limit below its request. */
function checkResources(v: PropsValidator, field: string, resources: WorkloadResources | undefined): void {
  const { cpu, memory } = resources ?? {};
  if (cpu?.request === undefined || memory?.request === undefined || memory.limit === undefined) {
    throw v.error({ field, value: resources, problem: 'needs cpu.request, memory.request and memory.limit' });
  }
  const fields: [string, string | undefined][] = [
    [`${field}.cpu.request`, cpu.request], [`${field}.cpu.limit`, cpu.limit],
    [`${field}.memory.request`, memory.request], [`${field}.memory.limit`, memory.limit],
  ];
  for (const [name, value] of fields) {
    if (value === undefined) continue;
    v.check(name, value, (quantity) => (typeof quantity === 'string' ? positiveQuantityProblem(quantity) : NOT_A_QUANTITY));
  }
  if (cpu.limit !== undefined && compareQuantities(cpu.limit, cpu.request) < 0) {
    throw v.error({ field: `${field}.cpu.limit`, value: cpu.limit, problem: `is below ${field}.cpu.request (${cpu.request})` });
  }
  if (compareQuantities(memory.limit, memory.request) < 0) {
    throw v.error({ field: `${field}.memory.limit`, value: memory.limit, problem: `is below ${field}.memory.request (${memory.request})` });
  }
}

/** The resources block of a container, with the quantities exactly as given. */
function containerResources(resources: WorkloadResources): { requests: Record<string, string>; limits: Record<string, string> } {
  const { cpu, memory } = resources;
  return { requests: { cpu: cpu.request, memory: memory.request }, limits: { ...(cpu.limit !== undefined && { cpu: cpu.limit }), memory: memory.limit } };
}

/** The sidecars (native: restarted, running beside main) and init containers, in the order the pod runs them, with the field each came from. */
function extraContainersOf(props: HardenedPodProps): { container: ExtraContainer; field: string; sidecar: boolean }[] {
  return [
    ...(props.sidecars ?? []).map((container, i) => ({ container, field: `sidecars[${i}]`, sidecar: true })),
    ...(props.initContainers ?? []).map((container, i) => ({ container, field: `initContainers[${i}]`, sidecar: false })),
  ];
}

/** The extra containers: names, pinned images, resources, env, and mounts of the pod's own volumes. */
function checkExtraContainers(v: PropsValidator, props: HardenedPodProps): void {
  const names = new Set(['main']);
  const volumes = new Set([
    ...(props.config ? ['config'] : []),
    ...(props.writablePaths ?? []).map((_, i) => `writable-${i}`),
    ...(props.volumes ?? []).map((volume) => volume.name),
  ]);
  for (const { container, field } of extraContainersOf(props)) {
    v.check(`${field}.name`, container.name, (name) => {
      const problem = dns1123LabelProblem(name);
      return problem && `is not a container name (a DNS-1123 label): it ${problem}`;
    });
    if (names.has(container.name)) throw v.error({ field: `${field}.name`, value: container.name, problem: `is the name of another container of the pod (${[...names].join(', ')})`, expected: 'each container name once' });
    names.add(container.name);
    requirePinnedImage(v, `${field}.image`, container.image, 'busybox:1.37.0');
    if (container.command !== undefined && container.command.length === 0) throw v.error({ field: `${field}.command`, problem: "is empty, so Kubernetes runs the image's own entrypoint", expected: 'the entrypoint, or no command' });
    checkResources(v, `${field}.resources`, container.resources);
    checkEnv(v, `${field}.env`, container.env ?? []);
    const paths = new Set<string>();
    (container.mounts ?? []).forEach((mount, k) => {
      if (!volumes.has(mount.volume)) throw v.error({ field: `${field}.mounts[${k}].volume`, value: mount.volume, problem: 'is not a volume of the pod', expected: `one of: ${[...volumes].join(', ') || 'none (add volumes, config or writablePaths)'}` });
      if (!mount.mountPath.startsWith('/')) throw v.error({ field: `${field}.mounts[${k}].mountPath`, value: mount.mountPath, problem: 'must be an absolute path' });
      if (paths.has(mount.mountPath)) throw v.error({ field: `${field}.mounts[${k}].mountPath`, value: mount.mountPath, problem: 'is mounted twice in the container', expected: 'each mount path once' });
      paths.add(mount.mountPath);
    });
  }
}

function resolveResources(v: PropsValidator, props: HardenedPodProps): QosClass {
  if (props.resources) checkGpus(v, props);
  checkResources(v, 'resources', props.resources);
  const { cpu, memory } = props.resources;
  const extras = extraContainersOf(props).map(({ container }) => ({ resources: containerResources(container.resources) }));
  const computed = explainQosClass([{ resources: kubeResources(props) }, ...extras]).qosClass;
  const declared = props.qosClass;
  if (declared === undefined || declared === computed) return computed;
  const field = 'qosClass';
  const value = declared.toString();
  if (declared === QosClass.BEST_EFFORT) {
    throw v.error({ field, value, problem: 'cannot be declared: hardened workloads always request cpu and memory', expected: 'Guaranteed or Burstable' });
  }
  if (declared === QosClass.GUARANTEED) {
    if (cpu.limit === undefined) {
      throw v.error({ field, value, problem: `needs resources.cpu.limit equal to resources.cpu.request (${cpu.request}), but no cpu limit is set` });
    }
    if (compareQuantities(cpu.limit, cpu.request) !== 0) {
      throw v.error({ field, value, problem: `needs resources.cpu.limit (${cpu.limit}) equal to resources.cpu.request (${cpu.request})` });
    }
    throw v.error({ field, value, problem: `needs resources.memory.limit (${memory.limit}) equal to resources.memory.request (${memory.request})` });
  }
  throw v.error({
    field, value,
    problem: `is declared, but limits equal requests for both cpu (${cpu.request}) and memory (${memory.request}), which Kubernetes classes as Guaranteed`,
    expected: 'QosClass.GUARANTEED, or a limit above its request',
  });
}

/** The resources block of the main container, with the quantities exactly as given. */
export function kubeResources(props: HardenedPodProps): { requests: Record<string, string>; limits: Record<string, string> } {
  const { cpu, memory, gpus } = props.resources;
  // An extended resource's request must equal its limit.
  const gpu: Record<string, string> = gpus ? { [GPU_RESOURCE]: String(gpus) } : {};
  return {
    requests: { cpu: cpu.request, memory: memory.request, ...gpu },
    limits: { ...(cpu.limit !== undefined && { cpu: cpu.limit }), memory: memory.limit, ...gpu },
  };
}

/** The extended resource NVIDIA's device plugin advertises. */
const GPU_RESOURCE = 'nvidia.com/gpu';

/** GPUs need a GPU node: a whole number, and a placement on a pool that has them (or a toleration of their taint). */
function checkGpus(v: PropsValidator, props: HardenedPodProps): void {
  const gpus = props.resources.gpus;
  if (gpus === undefined) return;
  v.wholeNumber('resources.gpus', gpus, 1);
  const pool = props.placement?.pool;
  if (pool) {
    const perNode = pool.gpus ?? 0;
    if (perNode === 0) throw v.error({ field: 'resources.gpus', value: gpus, problem: `is requested on pool '${pool.name}', whose nodes have no GPUs`, expected: 'placement on a GPU pool of the environment' });
    if (gpus > perNode) throw v.error({ field: 'resources.gpus', value: gpus, problem: `is more than a node of pool '${pool.name}' has (${perNode})`, expected: `at most ${perNode}` });
  } else if (!(props.tolerations ?? []).some((t) => t.key === GPU_RESOURCE)) {
    throw v.error({ field: 'resources.gpus', value: gpus, problem: `is requested without a placement on a GPU pool: GPU nodes carry the ${GPU_RESOURCE} taint, so the pod would never be scheduled`, expected: "placement: Placement.onPool(nodePool(env, '<gpu pool>'))" });
  }
}

function resolveProbes(v: PropsValidator, props: HardenedPodProps, ports: readonly WorkloadPort[]): ResolvedPod['probes'] {
  const out: Record<string, IProbe> = {};
  for (const which of ['liveness', 'readiness', 'startup'] as const) {
    const probe: Probe | undefined = props[which];
    if (probe === undefined) {
      if (which === 'startup') continue;
      throw v.error({ field: which, problem: 'is required', expected: `a probe such as Probe.httpGet('/healthz') (or tcpSocket, exec, grpc), or a waiver: Probe.waived('<reason>')` });
    }
    if (probe.isWaived) {
      if (which === 'startup') continue;
      if (!probe.waiverReason?.trim()) throw v.error({ field: which, problem: 'is waived without a reason', expected: "the reason, as in Probe.waived('<reason>')" });
      continue;
    }
    // The API server's ranges for probe timings (pkg/apis/core/validation: validateProbe).
    for (const [field, min] of [['initialDelaySeconds', 0], ['periodSeconds', 1], ['timeoutSeconds', 1], ['successThreshold', 1], ['failureThreshold', 1]] as const) {
      const value = (probe.timing as Record<string, unknown>)[field];
      if (value !== undefined) v.wholeNumber(`${which}.${field}`, value as number, min);
    }
    const rendered0 = probe.toKube(0);
    if (rendered0?.exec && (rendered0.exec.command ?? []).filter((part) => part.trim() !== '').length === 0) {
      throw v.error({ field: which, problem: 'is an exec probe with no command', expected: "the command, as in Probe.exec(['pg_isready'])" });
    }
    if (rendered0?.httpGet && !String(rendered0.httpGet.path ?? '').startsWith('/')) {
      throw v.error({ field: `${which}.path`, value: rendered0.httpGet.path, problem: 'is not an absolute path', expected: "e.g. '/healthz'" });
    }
    const successThreshold = probe.timing.successThreshold;
    if (which !== 'readiness' && successThreshold !== undefined && successThreshold !== 1) {
      throw v.error({ field: `${which}.successThreshold`, value: successThreshold, problem: `must be 1: the API server accepts no other value for ${which} probes` });
    }
    const rendered = probe.toKube(probe.usesPort ? resolveProbePort(v, which, probe, ports) : undefined);
    // A liveness probe restarts the container: unless told otherwise it waits for twice the
    // failures a readiness probe does, so a slow moment takes the pod out of the Service
    // before it gets it killed.
    if (rendered && which === 'liveness' && rendered.failureThreshold === undefined) rendered.failureThreshold = LIVENESS_FAILURE_THRESHOLD;
    if (rendered) out[which] = rendered;
  }
  return out;
}

function resolveProbePort(v: PropsValidator, which: string, probe: Probe, ports: readonly WorkloadPort[]): number | string {
  const exposed = ports.map((p) => (p.name ? `${p.number} (${p.name})` : String(p.number))).join(', ') || 'none';
  if (probe.port === undefined) {
    const first = ports[0];
    if (!first) throw v.error({ field: which, problem: `is a ${probe.kind} probe, which needs a port, but the container exposes none`, expected: 'ports, or Probe.exec' });
    return first.number;
  }
  const match = ports.find((p) => (typeof probe.port === 'number' ? p.number === probe.port : p.name === probe.port));
  if (!match) {
    throw v.error({ field: `${which}.port`, value: probe.port, problem: `is not a port the container exposes (exposed: ${exposed})` });
  }
  if (probe.kind === 'grpc') return match.number;
  return probe.port;
}

/** The parts of a rendered pod spec the final transform sets. */
export interface PodJson {
  containers: ({ securityContext: Record<string, unknown> } & Record<string, unknown>)[];
  securityContext: Record<string, unknown>;
  topologySpreadConstraints?: unknown;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown;
  volumes?: unknown[];
  imagePullSecrets?: unknown[];
  initContainers?: ({ name: string; securityContext: Record<string, unknown> } & Record<string, unknown>)[];
  priorityClassName?: string;
}

/** Everything {@link applyPodHardening} needs besides the resolved props. */
export interface HardeningTarget {
  readonly kind: string;
  readonly scope: Construct;
  readonly workload: kplus.Workload;
  readonly props: HardenedPodProps;
  readonly resolved: ResolvedPod;
  /**
   * Where the pod template sits in the rendered object.
   * @default - `spec.template` (a CronJob's is `spec.jobTemplate.spec.template`)
   */
  readonly templateOf?: (json: Record<string, unknown>) => { spec: PodJson };
  /**
   * The label that tells one revision's pods from another's, which the spread constraints
   * count pods by (so a rollout's new pods are spread on their own).
   * @default 'pod-template-hash' - a Deployment's (a StatefulSet's is `controller-revision-hash`)
   */
  readonly revisionLabel?: string;
}

/**
 * Adds the main container and the pod-level hardening to a cdk8s-plus workload: restricted
 * security context, resources, probes, preStop hook, topology spread, config and writable
 * volumes, the declared QoS class and policy exceptions.
 * Returns the hashed ConfigMap when `config` was given.
 */
export function applyPodHardening(target: HardeningTarget): HashedConfigMap | undefined {
  const { scope, workload, props, resolved } = target;
  let config: HashedConfigMap | undefined;
  const volumeMounts: kplus.VolumeMount[] = [];
  if (props.config) {
    config = new HashedConfigMap(scope, 'Config', {
      data: props.config,
      baseName: `${resolved.name}-config`,
      labels: resolved.labels,
      ...(props.namespace !== undefined && { namespace: props.namespace }),
    });
    volumeMounts.push({
      path: props.configMountPath ?? POD_DEFAULTS.configMountPath,
      volume: kplus.Volume.fromConfigMap(scope, 'ConfigVolume', config.configMap, { name: 'config' }),
      readOnly: true,
    });
  }
  (props.writablePaths ?? []).forEach((path, i) => {
    volumeMounts.push({ path, volume: kplus.Volume.fromEmptyDir(scope, `Writable${i}`, `writable-${i}`) });
  });

  workload.addContainer({
    name: 'main',
    image: props.image,
    ...(props.command && { command: [...props.command] }),
    ...(props.args && { args: [...props.args] }),
    ports: resolved.ports.map((p) => ({
      number: p.number,
      ...(p.name !== undefined && { name: p.name }),
      ...(p.protocol !== undefined && { protocol: kplus.Protocol[p.protocol] }),
    })),
    envVariables: Object.fromEntries((props.env ?? []).map((e) => [e.name, e.value])),
    volumeMounts,
    securityContext: kplusContainerSecurityContext(resolved),
  });
  const identity = { user: resolved.user, group: resolved.group };
  const extras = extraContainersOf(props);
  for (const { container } of extras) {
    workload.addInitContainer({
      name: container.name,
      image: container.image,
      ...(container.command && { command: [...container.command] }),
      ...(container.args && { args: [...container.args] }),
      envVariables: Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value])),
      securityContext: kplusContainerSecurityContext(resolved),
    });
  }

  // One transform of the final JSON, run on every render. Its values are made afresh each
  // time (no object is shared between two renders), in the order the fields are written.
  const spread = topologySpreadConstraints(resolved, target.revisionLabel ?? 'pod-template-hash');
  addFinalTransform(ApiObject.of(workload), (json) => {
    const pod = (target.templateOf ?? ((j) => (j as { spec: { template: { spec: PodJson } } }).spec.template))(json).spec;
    const main = pod.containers[0];
    if (!main) throw new Error(`${target.kind} '${scope.node.path}': spec.template.spec.containers is empty after rendering; expected the 'main' container the kit adds`);
    main.resources = kubeResources(props);
    main.imagePullPolicy = IMAGE_PULL_POLICY;
    // The kit's restricted contexts over cdk8s-plus's rendering: cdk8s-plus-27's Capability
    // enum has no ALL, and it has no seccomp profile or fsGroupChangePolicy default of ours.
    Object.assign(main.securityContext, restrictedContainerSecurityContext(identity));
    Object.assign(pod.securityContext, restrictedPodSecurityContext(identity));
    for (const which of ['liveness', 'readiness', 'startup'] as const) {
      const probe = resolved.probes[which];
      // cdk8s-plus adds a TCP startup probe of its own when a port is declared; the kit keeps only the probes asked for.
      if (probe) main[`${which}Probe`] = structuredClone(probe);
      else delete main[`${which}Probe`];
    }
    if (resolved.preStopSleepSeconds > 0) main.lifecycle = { preStop: { sleep: { seconds: resolved.preStopSleepSeconds } } };
    if (spread.length > 0) pod.topologySpreadConstraints = structuredClone(spread);
    for (const volume of props.volumes ?? []) {
      pod.volumes = [...(pod.volumes ?? []), { name: volume.name, ...structuredClone(volume.source.spec) }];
      main.volumeMounts = [...((main.volumeMounts as unknown[] | undefined) ?? []), { name: volume.name, mountPath: volume.mountPath, ...((volume.readOnly ?? volume.source.readOnlyByDefault) && { readOnly: true }) }];
    }
    if (props.imagePullSecrets?.length) pod.imagePullSecrets = props.imagePullSecrets.map((name) => ({ name }));
    // The sidecars and init containers, in the order added: the same hardening as main.
    extras.forEach(({ container, sidecar }, i) => {
      const rendered = pod.initContainers?.[i];
      if (!rendered || rendered.name !== container.name) throw new Error(`${target.kind} '${scope.node.path}': init container ${i} is not '${container.name}' after rendering`);
      rendered.resources = containerResources(container.resources);
      rendered.imagePullPolicy = IMAGE_PULL_POLICY;
      Object.assign(rendered.securityContext, restrictedContainerSecurityContext(identity));
      if (sidecar) rendered.restartPolicy = 'Always';
      delete rendered.startupProbe;
      if (container.mounts?.length) rendered.volumeMounts = container.mounts.map((m) => ({ name: m.volume, mountPath: m.mountPath, ...(m.readOnly && { readOnly: true }) }));
    });
    const { nodeSelector, tolerations, priorityClassName } = resolved.scheduling;
    if (nodeSelector) pod.nodeSelector = { ...nodeSelector };
    if (tolerations) pod.tolerations = structuredClone(tolerations);
    if (priorityClassName) pod.priorityClassName = priorityClassName;
    return json;
  });

  workload.podMetadata.addAnnotation(QOS_CLASS_ANNOTATION, resolved.qosClass.name);
  for (const [key, value] of Object.entries({ ...resolved.labels, ...resolved.podLabels })) workload.podMetadata.addLabel(key, value);
  for (const [ruleId, reason] of Object.entries(resolved.exceptions)) {
    workload.metadata.addAnnotation(`${EXCEPTION_ANNOTATION_PREFIX}${ruleId}`, reason);
  }
  return config;
}

function topologySpreadConstraints(resolved: ResolvedPod, revisionLabel: string): ITopologySpreadConstraint[] {
  const whenUnsatisfiable = resolved.topologySpread.whenUnsatisfiable;
  if (whenUnsatisfiable === undefined) return [];
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: { [NAME_LABEL]: resolved.name } },
    matchLabelKeys: [revisionLabel],
  }));
}

/** The cdk8s-plus pod props that carry the hardening at construction time. */
export function podProps(props: HardenedPodProps, resolved: ResolvedPod, scope: Construct) {
  return {
    automountServiceAccountToken: resolved.mountServiceAccountToken,
    terminationGracePeriod: Duration.seconds(resolved.terminationGracePeriodSeconds),
    securityContext: kplusPodSecurityContext(resolved),
    ...((props.serviceAccountName ?? props.identity?.serviceAccount.name) !== undefined && {
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(scope, 'ServiceAccount', (props.serviceAccountName ?? props.identity?.serviceAccount.name)!),
    }),
  };
}

/**
 * The builder's restricted container context in cdk8s-plus's terms. cdk8s-plus writes these
 * fields itself, and the final transform sets the builder's full context over them.
 */
function kplusContainerSecurityContext(resolved: ResolvedPod): kplus.ContainerSecurityContextProps {
  const context = restrictedContainerSecurityContext({ user: resolved.user, group: resolved.group });
  return {
    user: resolved.user,
    group: resolved.group,
    ensureNonRoot: context.runAsNonRoot ?? true,
    // cdk8s-plus writes privileged on every container; the builder leaves it unset (false by default).
    privileged: false,
    readOnlyRootFilesystem: context.readOnlyRootFilesystem ?? true,
    allowPrivilegeEscalation: context.allowPrivilegeEscalation ?? false,
  };
}

/** The builder's restricted pod context in cdk8s-plus's terms (the final transform adds the rest). */
function kplusPodSecurityContext(resolved: ResolvedPod): kplus.PodSecurityContextProps {
  const context = restrictedPodSecurityContext({ user: resolved.user, group: resolved.group });
  return { ensureNonRoot: context.runAsNonRoot ?? true, user: resolved.user, group: resolved.group, fsGroup: context.fsGroup ?? resolved.group };
}
