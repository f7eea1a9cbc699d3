/**
 * The API server's own validation of the built-in kinds the kit writes, beyond what the
 * OpenAPI schema says (k8s.io/kubernetes pkg/apis/{core,apps,batch,rbac,autoscaling,policy,
 * storage,networking,discovery}/validation), and the associative-list keys server-side apply
 * enforces before validation starts. One rule per family; an object these rules fail is one
 * the API server refuses. Found and kept honest by the differential test against a real API
 * server (test/e2e/differential.test.ts).
 */
import {
  CRONJOB_NAME_MAX, configMapKeyProblem, timeZoneProblem, dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem, qualifiedNameProblem,
} from '../../core/names.js';
import { containersOf, describeObject, podSpecOf } from '../../core/pod.js';
import { compareQuantities, isQuantity, nonNegativeQuantityProblem } from '../../core/quantity.js';
import { CRD_SCHEMAS } from '../../imports/crd-schemas.js';
import { Severity, finding } from '../finding.js';
import type { Finding, ManifestObject, PolicyRule } from '../finding.js';
import { portNameProblem } from './field-validation.js';

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Json : undefined);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));
const INT32_MAX = 2147483647;

/** Collects the findings of one rule on one object, with the checks the API server's validators share. */
class Checks {
  readonly findings: Finding[] = [];
  constructor(private readonly rule: PolicyRule, private readonly object: ManifestObject, private readonly fix: string) {}

  add(path: string, problem: string): void {
    this.findings.push(finding(this.rule, { path, message: `${describeObject(this.object)}: ${path} ${problem}.`, fix: this.fix }));
  }

  /** Present and not empty (the API server's "Required value"). */
  required(path: string, value: unknown, what = 'is required'): boolean {
    const missing = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (missing) this.add(path, what);
    return !missing;
  }

  /** When set, a whole number from `min` to `max`. */
  integer(path: string, value: unknown, min: number, max = INT32_MAX): void {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add(path, `is ${show(value)}; expected a whole number from ${min} to ${max}`);
    }
  }

  /** When set, one of `options`. */
  oneOf(path: string, value: unknown, options: readonly string[]): void {
    if (value !== undefined && !options.includes(value as string)) this.add(path, `is ${show(value)}; expected one of ${options.join(', ')}`);
  }

  /** When set, a string `check` finds no problem with; `what` names the format in the message. */
  name(path: string, value: unknown, check: (value: string) => string | undefined, what: string): void {
    if (value === undefined) return;
    const problem = typeof value === 'string' ? check(value) : 'is not a string';
    if (problem) this.add(path, `(${show(value)}) is not a valid ${what}: ${problem}`);
  }

  /** A label map: qualified-name keys and label values (selectors, template labels, node selectors). */
  labels(path: string, map: unknown, values = true): void {
    for (const [key, value] of Object.entries(asObject(map) ?? {})) {
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem) this.add(`${path}[${JSON.stringify(key)}]`, `is not a valid label key: ${keyProblem}`);
      else if (values) this.name(`${path}[${JSON.stringify(key)}]`, value, labelValueProblem, 'label value');
    }
  }

  /** An int-or-percent field (maxSurge, maxUnavailable, minAvailable): a whole number >= 0 or `N%`. */
  intOrPercent(path: string, value: unknown): void {
    if (value === undefined) return;
    if (typeof value === 'number') this.integer(path, value, 0);
    else if (typeof value !== 'string' || !/^[0-9]+%$/.test(value)) this.add(path, `is ${show(value)}; expected a whole number >= 0 or a percentage such as '25%'`);
  }

  /** No two items of `items` with the same `key` (the API server's Duplicate value, server-side apply's duplicate entries). */
  unique(path: string, items: readonly unknown[], key: (item: Json) => string | undefined, what: string): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(asObject(item) ?? {});
      if (k === undefined) return;
      const first = seen.get(k);
      if (first !== undefined) this.add(`${path}[${i}]`, `has the same ${what} as ${path}[${first}] (${k}); each must be unique`);
      else seen.set(k, i);
    });
  }
}

/** Whether an object is of a built-in API group (the rules below describe those groups' validation). */
function builtIn(object: ManifestObject): boolean {
  const slash = object.apiVersion.indexOf('/');
  return BUILT_IN_GROUPS.has(slash < 0 ? '' : object.apiVersion.slice(0, slash));
}

const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'storage.k8s.io',
  'discovery.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io', 'certificates.k8s.io',
]);

// ---------------------------------------------------------------------------------------------
// api-pod-spec

/** The pod fields an environment variable may read (the API server's validEnvDownwardAPIFieldPathExpressions). */
const POD_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
function fieldPathProblem(path: string): string | undefined {
  if (POD_FIELD_PATHS.includes(path) || /^metadata\.(labels|annotations)\['[^']+'\]$/.test(path)) return undefined;
  return `expected one of ${POD_FIELD_PATHS.join(', ')}, metadata.labels['<key>'] or metadata.annotations['<key>']`;
}

const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

/** A probe's or handler's port: a number from 1 to 65535, or a port name. */
function handlerPort(c: Checks, path: string, port: unknown): void {
  if (port === undefined) return;
  if (typeof port === 'number') c.integer(path, port, 1, 65535);
  else c.name(path, port, (name) => portNameProblem(name), 'port number or name');
}

function checkContainer(c: Checks, container: Json, path: string, volumes: ReadonlySet<string>, grace: number): void {
  if (c.required(`${path}.name`, container.name)) c.name(`${path}.name`, container.name, dns1123LabelProblem, 'container name (DNS-1123 label)');
  const env = asArray(container.env);
  env.forEach((item, i) => {
    const e = asObject(item) ?? {};
    const at = `${path}.env[${i}]`;
    c.required(`${at}.name`, e.name);
    const from = asObject(e.valueFrom);
    if (!from) return;
    const sources = ENV_SOURCES.filter((s) => from[s] !== undefined);
    if (sources.length !== 1) c.add(`${at}.valueFrom`, sources.length === 0 ? `sets no source; expected one of ${ENV_SOURCES.join(', ')}` : `sets ${sources.join(' and ')}; expected exactly one source`);
    for (const ref of ['secretKeyRef', 'configMapKeyRef'] as const) {
      const r = asObject(from[ref]);
      if (!r) continue;
      c.name(`${at}.valueFrom.${ref}.name`, r.name ?? '', dns1123SubdomainProblem, `${ref === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} name`);
      if (c.required(`${at}.valueFrom.${ref}.key`, r.key)) c.name(`${at}.valueFrom.${ref}.key`, r.key, configMapKeyProblem, 'key');
    }
    const field = asObject(from.fieldRef);
    if (field && c.required(`${at}.valueFrom.fieldRef.fieldPath`, field.fieldPath)) c.name(`${at}.valueFrom.fieldRef.fieldPath`, field.fieldPath, fieldPathProblem, 'pod field path');
  });
  c.unique(`${path}.env`, env, (e) => (typeof e.name === 'string' ? e.name : undefined), 'name');
  c.unique(`${path}.ports`, asArray(container.ports), (p) => `${String(p.containerPort)}/${String(p.protocol ?? 'TCP')}`, 'containerPort and protocol');
  const mounts = asArray(container.volumeMounts);
  mounts.forEach((item, i) => {
    const m = asObject(item) ?? {};
    const at = `${path}.volumeMounts[${i}]`;
    if (c.required(`${at}.name`, m.name) && typeof m.name === 'string' && !volumes.has(m.name)) c.add(`${at}.name`, `('${m.name}') is not the name of a volume of the pod`);
    c.required(`${at}.mountPath`, m.mountPath);
  });
  c.unique(`${path}.volumeMounts`, mounts, (m) => (typeof m.mountPath === 'string' ? m.mountPath : undefined), 'mountPath');
  const resources = asObject(container.resources) ?? {};
  for (const kind of ['requests', 'limits']) {
    for (const [name, value] of Object.entries(asObject(resources[kind]) ?? {})) {
      const problem = nonNegativeQuantityProblem(value);
      if (problem) c.add(`${path}.resources.${kind}[${JSON.stringify(name)}]`, `(${show(value)}) ${problem}`);
    }
  }
  checkIds(c, asObject(container.securityContext), `${path}.securityContext`);
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = asObject(container[probe]);
    if (!p) continue;
    handlerPort(c, `${path}.${probe}.httpGet.port`, asObject(p.httpGet)?.port);
    handlerPort(c, `${path}.${probe}.tcpSocket.port`, asObject(p.tcpSocket)?.port);
    if (asObject(p.grpc)) c.integer(`${path}.${probe}.grpc.port`, asObject(p.grpc)!.port, 1, 65535);
  }
  const lifecycle = asObject(container.lifecycle) ?? {};
  for (const hook of ['postStart', 'preStop']) {
    const handler = asObject(lifecycle[hook]);
    if (!handler) continue;
    const set = LIFECYCLE_HANDLERS.filter((h) => handler[h] !== undefined);
    if (set.length !== 1) c.add(`${path}.lifecycle.${hook}`, set.length === 0 ? `has no handler; expected one of ${LIFECYCLE_HANDLERS.join(', ')}` : `has ${set.join(' and ')}; expected exactly one handler`);
    const exec = asObject(handler.exec);
    if (exec) c.required(`${path}.lifecycle.${hook}.exec.command`, exec.command, 'is empty; an exec handler needs a command');
    const sleep = asObject(handler.sleep);
    if (sleep && typeof sleep.seconds === 'number' && (sleep.seconds < 0 || sleep.seconds >= grace)) {
      c.add(`${path}.lifecycle.${hook}.sleep.seconds`, `is ${sleep.seconds}; expected at least 0 and less than the pod's terminationGracePeriodSeconds (${grace})`);
    }
    handlerPort(c, `${path}.lifecycle.${hook}.httpGet.port`, asObject(handler.httpGet)?.port);
    handlerPort(c, `${path}.lifecycle.${hook}.tcpSocket.port`, asObject(handler.tcpSocket)?.port);
  }
}

/** User, group and fsGroup ids: 0 to 2147483647. */
function checkIds(c: Checks, context: Json | undefined, path: string): void {
  if (!context) return;
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup']) c.integer(`${path}.${field}`, context[field], 0);
  asArray(context.supplementalGroups).forEach((group, i) => c.integer(`${path}.supplementalGroups[${i}]`, group, 0));
}

const VOLUME_REFERENCES: readonly [string, string][] = [['secret', 'secretName'], ['configMap', 'name'], ['persistentVolumeClaim', 'claimName']];

/** `api-pod-spec`: the pod template as the API server validates it. */
export const API_POD_SPEC: PolicyRule = {
  id: 'api-pod-spec',
  severity: Severity.ERROR,
  description: 'Pod templates are valid as the API server checks them: containers, env, volumes and mounts, ids, handlers, spread and affinity terms, names.',
  check(object) {
    const pod = podSpecOf(object);
    if (!pod || !builtIn(object)) return [];
    const c = new Checks(API_POD_SPEC, object, 'Correct the field as the message says: the API server refuses the pod template otherwise.');
    const spec = pod.spec as unknown as Json;
    const path = pod.path;
    c.required(`${path}.containers`, spec.containers, 'is empty; a pod needs at least one container');
    const volumes = asArray(spec.volumes);
    volumes.forEach((item, i) => {
      const v = asObject(item) ?? {};
      const at = `${path}.volumes[${i}]`;
      if (c.required(`${at}.name`, v.name)) c.name(`${at}.name`, v.name, dns1123LabelProblem, 'volume name (DNS-1123 label)');
      for (const [source, field] of VOLUME_REFERENCES) {
        const s = asObject(v[source]);
        if (s && c.required(`${at}.${source}.${field}`, s[field])) c.name(`${at}.${source}.${field}`, s[field], dns1123SubdomainProblem, 'object name');
        asArray(s?.items).forEach((item, k) => {
          const it = asObject(item) ?? {};
          c.required(`${at}.${source}.items[${k}].key`, it.key);
          c.required(`${at}.${source}.items[${k}].path`, it.path);
        });
      }
      const hostPath = asObject(v.hostPath);
      if (hostPath) c.required(`${at}.hostPath.path`, hostPath.path);
      for (const source of ['secret', 'configMap', 'projected', 'downwardAPI']) {
        const s = asObject(v[source]);
        c.integer(`${at}.${source}.defaultMode`, s?.defaultMode, 0, 0o777);
        asArray(s?.items).forEach((item, k) => c.integer(`${at}.${source}.items[${k}].mode`, asObject(item)?.mode, 0, 0o777));
      }
      const emptyDir = asObject(v.emptyDir);
      if (emptyDir?.sizeLimit !== undefined) {
        const problem = nonNegativeQuantityProblem(emptyDir.sizeLimit);
        if (problem) c.add(`${at}.emptyDir.sizeLimit`, `(${show(emptyDir.sizeLimit)}) ${problem}`);
      }
    });
    c.unique(`${path}.volumes`, volumes, (v) => (typeof v.name === 'string' ? v.name : undefined), 'name');
    // A StatefulSet's claim templates are volumes of its pods too.
    const claims = object.kind === 'StatefulSet' ? asArray(asObject(object.spec)?.volumeClaimTemplates).map((t) => asObject(asObject(t)?.metadata)?.name) : [];
    const volumeNames = new Set([...volumes.map((v) => asObject(v)?.name), ...claims].filter((n): n is string => typeof n === 'string'));
    const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
    const containers = containersOf(pod, ['containers', 'initContainers']);
    for (const location of containers) checkContainer(c, location.container as unknown as Json, location.path, volumeNames, grace);
    const names = containers.map((l) => ({ name: (l.container as unknown as Json).name, path: l.path }));
    names.forEach((n, i) => {
      const first = names.findIndex((m) => m.name === n.name);
      if (typeof n.name === 'string' && first < i) c.add(`${n.path}.name`, `('${n.name}') is the name of ${names[first]!.path} too; container names are unique within a pod`);
    });
    checkIds(c, asObject(spec.securityContext), `${path}.securityContext`);
    // Empty means the default ServiceAccount and no priority class.
    c.name(`${path}.serviceAccountName`, spec.serviceAccountName || undefined, dns1123SubdomainProblem, 'ServiceAccount name');
    c.name(`${path}.priorityClassName`, spec.priorityClassName || undefined, dns1123SubdomainProblem, 'PriorityClass name');
    const spread = asArray(spec.topologySpreadConstraints);
    spread.forEach((item, i) => {
      const t = asObject(item) ?? {};
      const at = `${path}.topologySpreadConstraints[${i}]`;
      c.integer(`${at}.maxSkew`, t.maxSkew ?? 0, 1);
      if (c.required(`${at}.topologyKey`, t.topologyKey)) c.name(`${at}.topologyKey`, t.topologyKey, qualifiedNameProblem, 'label key');
      c.oneOf(`${at}.whenUnsatisfiable`, t.whenUnsatisfiable ?? '', ['DoNotSchedule', 'ScheduleAnyway']);
      asArray(t.matchLabelKeys).forEach((key, k) => c.name(`${at}.matchLabelKeys[${k}]`, key, qualifiedNameProblem, 'label key'));
      if (asArray(t.matchLabelKeys).length > 0 && t.labelSelector === undefined) c.add(`${at}.matchLabelKeys`, 'is set without a labelSelector, which it refines; set labelSelector too');
    });
    c.unique(`${path}.topologySpreadConstraints`, spread, (t) => `${String(t.topologyKey)}/${String(t.whenUnsatisfiable)}`, 'topologyKey and whenUnsatisfiable');
    const affinity = asObject(spec.affinity) ?? {};
    for (const kind of ['podAffinity', 'podAntiAffinity']) {
      const terms = asObject(affinity[kind]) ?? {};
      asArray(terms.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
        const at = `${path}.affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}].topologyKey`;
        if (c.required(at, asObject(term)?.topologyKey)) c.name(at, asObject(term)?.topologyKey, qualifiedNameProblem, 'label key');
      });
      asArray(terms.preferredDuringSchedulingIgnoredDuringExecution).forEach((item, i) => {
        const w = asObject(item) ?? {};
        const at = `${path}.affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
        c.integer(`${at}.weight`, w.weight ?? 0, 1, 100);
        const topologyKey = asObject(w.podAffinityTerm)?.topologyKey;
        if (c.required(`${at}.podAffinityTerm.topologyKey`, topologyKey)) c.name(`${at}.podAffinityTerm.topologyKey`, topologyKey, qualifiedNameProblem, 'label key');
      });
    }
    asArray(spec.tolerations).forEach((item, i) => {
      const t = asObject(item) ?? {};
      const at = `${path}.tolerations[${i}]`;
      c.oneOf(`${at}.operator`, t.operator, ['Equal', 'Exists']);
      c.oneOf(`${at}.effect`, t.effect, ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute']);
      if ((t.key === undefined || t.key === '') && t.operator !== 'Exists') c.add(`${at}.operator`, `is ${show(t.operator ?? 'Equal')}; a toleration without a key tolerates every taint and must use operator Exists`);
      if (typeof t.key === 'string' && t.key !== '') c.name(`${at}.key`, t.key, qualifiedNameProblem, 'taint key');
      if (typeof t.value === 'string' && t.value !== '') c.name(`${at}.value`, t.value, labelValueProblem, 'taint value');
      if (t.operator === 'Exists' && t.value !== undefined && t.value !== '') c.add(`${at}.value`, `is ${show(t.value)}; a toleration with operator Exists takes no value`);
      if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') c.add(`${at}.tolerationSeconds`, 'is set on a toleration whose effect is not NoExecute, which is the only one it applies to');
    });
    c.unique(`${path}.imagePullSecrets`, asArray(spec.imagePullSecrets), (s) => (typeof s.name === 'string' ? s.name : undefined), 'name');
    if (object.kind === 'Job' || object.kind === 'CronJob') {
      if (c.required(`${path}.restartPolicy`, spec.restartPolicy, 'is required for a Job; expected OnFailure or Never')) c.oneOf(`${path}.restartPolicy`, spec.restartPolicy, ['OnFailure', 'Never']);
    } else if (object.kind === 'Pod') {
      c.oneOf(`${path}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']);
    } else {
      c.oneOf(`${path}.restartPolicy`, spec.restartPolicy, ['Always']);
    }
    return c.findings;
  },
};

// ---------------------------------------------------------------------------------------------
// api-workloads

const FAILURE_ACTIONS = ['FailJob', 'FailIndex', 'Ignore', 'Count'];

/** A Job's pod failure policy: each rule matches exit codes of a container of the template, or pod conditions. */
function checkPodFailurePolicy(c: Checks, spec: Json, path: string): void {
  const policy = asObject(spec.podFailurePolicy);
  if (!policy) return;
  const template = asObject(asObject(spec.template)?.spec) ?? {};
  const containers = [...asArray(template.containers), ...asArray(template.initContainers)].map((x) => asObject(x)?.name);
  asArray(policy.rules).forEach((item, i) => {
    const rule = asObject(item) ?? {};
    const at = `${path}.podFailurePolicy.rules[${i}]`;
    c.oneOf(`${at}.action`, rule.action ?? '', FAILURE_ACTIONS);
    const codes = asObject(rule.onExitCodes);
    const conditions = rule.onPodConditions === undefined ? undefined : asArray(rule.onPodConditions);
    if ((codes === undefined) === (conditions === undefined || conditions.length === 0)) c.add(at, 'must set exactly one of onExitCodes and onPodConditions (non-empty)');
    if (codes) {
      if (codes.containerName !== undefined && !containers.includes(codes.containerName)) c.add(`${at}.onExitCodes.containerName`, `(${show(codes.containerName)}) is not a container of the pod template`);
      c.oneOf(`${at}.onExitCodes.operator`, codes.operator ?? '', ['In', 'NotIn']);
      const values = asArray(codes.values);
      c.required(`${at}.onExitCodes.values`, values, 'is empty; list the exit codes');
      values.forEach((code, k) => c.integer(`${at}.onExitCodes.values[${k}]`, code, codes.operator === 'In' ? 1 : 0, 255));
      c.unique(`${at}.onExitCodes.values`, values.map((v) => ({ v })), (x) => String(x.v), 'exit code');
    }
    (conditions ?? []).forEach((item2, k) => {
      const condition = asObject(item2) ?? {};
      if (c.required(`${at}.onPodConditions[${k}].type`, condition.type)) c.name(`${at}.onPodConditions[${k}].type`, condition.type, qualifiedNameProblem, 'condition type');
    });
  });
  if (template.restartPolicy !== undefined && template.restartPolicy !== 'Never') c.add(`${path}.podFailurePolicy`, `needs the pod template's restartPolicy to be Never (it is ${show(template.restartPolicy)})`);
}

function checkJobSpec(c: Checks, spec: Json, path: string): void {
  checkPodFailurePolicy(c, spec, path);
  for (const field of ['backoffLimit', 'completions', 'parallelism', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) c.integer(`${path}.${field}`, spec[field], 0);
  c.integer(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 0, Number.MAX_SAFE_INTEGER);
}

/** `api-workloads`: replica counts, rollout strategies, StatefulSet claims, Job and CronJob fields. */
export const API_WORKLOADS: PolicyRule = {
  id: 'api-workloads',
  severity: Severity.ERROR,
  description: 'Workload fields are valid as the API server checks them: replicas, rollout strategies, StatefulSet claims and service name, Job limits, CronJob deadlines, history and time zone.',
  check(object) {
    if (!builtIn(object) || !['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'].includes(object.kind)) return [];
    const c = new Checks(API_WORKLOADS, object, 'Correct the field as the message says: the API server refuses the workload otherwise.');
    const spec = asObject(object.spec) ?? {};
    // A CronJob's Jobs add 11 characters to its name; a Job's and a StatefulSet's name become label values of their pods.
    const maxName = object.kind === 'CronJob' ? CRONJOB_NAME_MAX : ['Job', 'StatefulSet'].includes(object.kind) ? 63 : undefined;
    const name = object.metadata?.name;
    if (maxName !== undefined && typeof name === 'string' && name.length > maxName) c.add('metadata.name', `is ${name.length} characters; a ${object.kind}'s name has at most ${maxName}`);
    if (typeof spec.progressDeadlineSeconds === 'number' && spec.progressDeadlineSeconds <= (typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0)) {
      c.add('spec.progressDeadlineSeconds', `is ${spec.progressDeadlineSeconds}; expected more than minReadySeconds (${String(spec.minReadySeconds ?? 0)})`);
    }
    c.integer('spec.replicas', spec.replicas, 0);
    for (const field of ['minReadySeconds', 'revisionHistoryLimit']) c.integer(`spec.${field}`, spec[field], 0);
    const template = asObject(spec.template);
    if (object.kind === 'CronJob') {
      c.required('spec.jobTemplate.spec.template.spec', asObject(asObject(asObject(asObject(spec.jobTemplate)?.spec)?.template)?.spec), 'is not set; a CronJob needs a pod template');
    } else if (c.required('spec.template.spec', asObject(template?.spec), 'is not set; a workload needs a pod template')) {
      const labels = asObject(asObject(template?.metadata)?.labels) ?? {};
      c.labels('spec.template.metadata.labels', labels);
      // A selector the template's labels do not match would own no pod (a Job's is generated).
      const selector = asObject(asObject(spec.selector)?.matchLabels) ?? {};
      const unmatched = Object.entries(selector).filter(([key, value]) => labels[key] !== value).map(([key]) => key);
      if (object.kind !== 'Job' && unmatched.length > 0) c.add('spec.template.metadata.labels', `do not match spec.selector.matchLabels (${unmatched.join(', ')}); the template's labels must carry the selector's`);
    }
    const rolling = asObject(asObject(spec.strategy ?? spec.updateStrategy)?.rollingUpdate);
    const rollingPath = object.kind === 'Deployment' ? 'spec.strategy.rollingUpdate' : 'spec.updateStrategy.rollingUpdate';
    if (rolling) {
      c.intOrPercent(`${rollingPath}.maxSurge`, rolling.maxSurge);
      c.intOrPercent(`${rollingPath}.maxUnavailable`, rolling.maxUnavailable);
      c.integer(`${rollingPath}.partition`, rolling.partition, 0);
      const zero = (v: unknown) => v === 0 || v === '0%';
      // Unset, maxSurge is 25% for a Deployment and 0 for a DaemonSet; maxUnavailable 25% and 1.
      if (zero(rolling.maxUnavailable) && (zero(rolling.maxSurge) || (rolling.maxSurge === undefined && object.kind === 'DaemonSet'))) {
        c.add(`${rollingPath}.maxUnavailable`, 'is 0 while maxSurge is 0 too; a rollout could then never replace a pod');
      }
    }
    if (object.kind === 'StatefulSet') {
      c.name('spec.serviceName', spec.serviceName, dns1123LabelProblem, 'Service name (DNS-1123 label)');
      c.oneOf('spec.podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel']);
      const retention = asObject(spec.persistentVolumeClaimRetentionPolicy) ?? {};
      for (const field of ['whenDeleted', 'whenScaled']) c.oneOf(`spec.persistentVolumeClaimRetentionPolicy.${field}`, retention[field], ['Retain', 'Delete']);
      asArray(spec.volumeClaimTemplates).forEach((item, i) => {
        const claim = asObject(item) ?? {};
        const at = `spec.volumeClaimTemplates[${i}]`;
        c.required(`${at}.metadata.name`, asObject(claim.metadata)?.name);
        checkClaimSpec(c, asObject(claim.spec) ?? {}, `${at}.spec`);
      });
    }
    if (object.kind === 'Job') checkJobSpec(c, spec, 'spec');
    if (object.kind === 'CronJob') {
      c.integer('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds, 0, Number.MAX_SAFE_INTEGER);
      c.integer('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit, 0);
      c.integer('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit, 0);
      c.oneOf('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']);
      c.name('spec.timeZone', spec.timeZone, timeZoneProblem, 'time zone');
      const job = asObject(asObject(spec.jobTemplate)?.spec) ?? {};
      checkJobSpec(c, job, 'spec.jobTemplate.spec');
      c.labels('spec.jobTemplate.spec.template.metadata.labels', asObject(asObject(asObject(job.template)?.metadata))?.labels);
    }
    return c.findings;
  },
};

function checkClaimSpec(c: Checks, spec: Json, path: string): void {
  c.required(`${path}.accessModes`, spec.accessModes, 'is empty; a claim needs at least one access mode');
  const storage = asObject(asObject(spec.resources)?.requests)?.storage;
  if (c.required(`${path}.resources.requests.storage`, storage, 'is not set; a claim requests storage') && isQuantity(storage) && compareQuantities(storage as string, 0) <= 0) {
    c.add(`${path}.resources.requests.storage`, `(${show(storage)}) is not above zero`);
  }
  c.name(`${path}.storageClassName`, spec.storageClassName, (name) => (name === '' ? undefined : dns1123SubdomainProblem(name)), 'StorageClass name');
}

// ---------------------------------------------------------------------------------------------
// api-label-selectors

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Every label selector, node selector and nested object metadata of an object, wherever it sits. */
function walkSelectors(c: Checks, value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkSelectors(c, item, `${path}[${i}]`));
    return;
  }
  const object = asObject(value);
  if (!object) return;
  for (const [key, child] of Object.entries(object)) {
    const at = path ? `${path}.${key}` : key;
    if (key === 'matchLabels' || key === 'nodeSelector') c.labels(at, child);
    else if (key === 'matchExpressions') {
      asArray(child).forEach((item, i) => {
        const e = asObject(item) ?? {};
        const where = `${at}[${i}]`;
        if (c.required(`${where}.key`, e.key)) c.name(`${where}.key`, e.key, qualifiedNameProblem, 'label key');
        c.oneOf(`${where}.operator`, e.operator ?? '', SELECTOR_OPERATORS);
        const values = asArray(e.values);
        if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) c.add(`${where}.values`, `is empty; operator ${e.operator} needs values`);
        if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) c.add(`${where}.values`, `is set; operator ${e.operator} takes none`);
        values.forEach((v, k) => c.name(`${where}.values[${k}]`, v, labelValueProblem, 'label value'));
      });
    } else if (key === 'metadata' && path !== '') {
      c.labels(`${at}.labels`, asObject(child)?.labels);
      c.labels(`${at}.annotations`, asObject(child)?.annotations, false);
    } else walkSelectors(c, child, at);
  }
}

/** `api-label-selectors`: label selectors, node selectors and template labels with valid keys, values and operators. */
export const API_LABEL_SELECTORS: PolicyRule = {
  id: 'api-label-selectors',
  severity: Severity.ERROR,
  description: 'Label selectors, node selectors and the labels of templates have valid keys, values and operators.',
  check(object) {
    if (!builtIn(object)) return [];
    const c = new Checks(API_LABEL_SELECTORS, object, 'Use label keys of the form [prefix/]name and values of at most 63 letters, digits, -, _ or ., starting and ending with a letter or digit.');
    walkSelectors(c, object.spec, 'spec');
    if (object.kind === 'Service') c.labels('spec.selector', asObject(object.spec)?.selector);
    return c.findings;
  },
};

// ---------------------------------------------------------------------------------------------
// api-rbac

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** `api-rbac`: Role and ClusterRole rules, and the role references and subjects of bindings. */
export const API_RBAC: PolicyRule = {
  id: 'api-rbac',
  severity: Severity.ERROR,
  description: 'RBAC rules name verbs, API groups and resources; bindings reference a Role or ClusterRole and name valid subjects.',
  check(object) {
    if (!object.apiVersion.startsWith(`${RBAC_GROUP}/`)) return [];
    const c = new Checks(API_RBAC, object, 'Give each rule verbs and, unless it lists nonResourceURLs, apiGroups and resources; a binding references a Role or ClusterRole of rbac.authorization.k8s.io and names ServiceAccounts (with a namespace), Users or Groups.');
    const o = object as unknown as Json;
    if (object.kind === 'Role' || object.kind === 'ClusterRole') {
      asArray(o.rules).forEach((item, i) => {
        const r = asObject(item) ?? {};
        const at = `rules[${i}]`;
        c.required(`${at}.verbs`, r.verbs, 'is empty; a rule needs at least one verb');
        const urls = asArray(r.nonResourceURLs);
        if (urls.length > 0 && object.kind === 'Role') c.add(`${at}.nonResourceURLs`, 'is set on a namespaced Role, which may not have it');
        if (urls.length === 0) {
          c.required(`${at}.apiGroups`, r.apiGroups, "is empty; a resource rule names at least one API group ('' for the core group)");
          c.required(`${at}.resources`, r.resources, 'is empty; a resource rule names at least one resource');
        }
      });
    }
    if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
      const ref = asObject(o.roleRef) ?? {};
      // An empty roleRef.apiGroup is defaulted to rbac.authorization.k8s.io by the API server.
      c.oneOf('roleRef.apiGroup', ref.apiGroup || RBAC_GROUP, [RBAC_GROUP]);
      c.oneOf('roleRef.kind', ref.kind ?? '', object.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole']);
      c.required('roleRef.name', ref.name);
      asArray(o.subjects).forEach((item, i) => {
        const s = asObject(item) ?? {};
        const at = `subjects[${i}]`;
        c.oneOf(`${at}.kind`, s.kind ?? '', SUBJECT_KINDS);
        if (s.kind === 'ServiceAccount') {
          c.oneOf(`${at}.apiGroup`, s.apiGroup ?? '', ['']);
          if (c.required(`${at}.name`, s.name)) c.name(`${at}.name`, s.name, dns1123SubdomainProblem, 'ServiceAccount name');
          if (object.kind === 'ClusterRoleBinding') c.required(`${at}.namespace`, s.namespace, 'is required for a ServiceAccount subject of a ClusterRoleBinding');
        } else if (s.kind === 'User' || s.kind === 'Group') {
          c.oneOf(`${at}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]);
          c.required(`${at}.name`, s.name);
        }
      });
    }
    return c.findings;
  },
};

// ---------------------------------------------------------------------------------------------
// api-autoscaling and api-disruption-budgets

const METRIC_SOURCES: Readonly<Record<string, string>> = { Resource: 'resource', Pods: 'pods', Object: 'object', External: 'external', ContainerResource: 'containerResource' };

/** `api-autoscaling`: HorizontalPodAutoscaler bounds, metrics and scaling behaviour. */
export const API_AUTOSCALING: PolicyRule = {
  id: 'api-autoscaling',
  severity: Severity.ERROR,
  description: 'HorizontalPodAutoscalers have valid bounds, metrics and scaling behaviour.',
  check(object) {
    if (object.kind !== 'HorizontalPodAutoscaler' || !builtIn(object)) return [];
    const c = new Checks(API_AUTOSCALING, object, 'Use minReplicas >= 1 and <= maxReplicas; each metric of a type with its source and a target of type Utilization, Value or AverageValue; scaling policies of type Pods or Percent with value and periodSeconds above zero.');
    const spec = asObject(object.spec) ?? {};
    const ref = asObject(spec.scaleTargetRef) ?? {};
    c.required('spec.scaleTargetRef.kind', ref.kind);
    c.required('spec.scaleTargetRef.name', ref.name);
    if (c.required('spec.scaleTargetRef.apiVersion', ref.apiVersion) && typeof ref.apiVersion === 'string' && !ref.apiVersion.includes('/') && ref.apiVersion !== 'v1') {
      c.add('spec.scaleTargetRef.apiVersion', `(${show(ref.apiVersion)}) names no API group; expected e.g. apps/v1`);
    }
    c.integer('spec.minReplicas', spec.minReplicas, 1);
    c.integer('spec.maxReplicas', spec.maxReplicas, typeof spec.minReplicas === 'number' ? Math.max(1, spec.minReplicas) : 1);
    asArray(spec.metrics).forEach((item, i) => {
      const m = asObject(item) ?? {};
      const at = `spec.metrics[${i}]`;
      c.oneOf(`${at}.type`, m.type ?? '', Object.keys(METRIC_SOURCES));
      const field = METRIC_SOURCES[m.type as string];
      if (!field) return;
      const source = asObject(m[field]);
      if (!source) {
        c.add(`${at}.${field}`, `is not set; a metric of type ${String(m.type)} needs it`);
        return;
      }
      if (field === 'resource' || field === 'containerResource') c.required(`${at}.${field}.name`, source.name, 'is not set; name the resource (cpu, memory)');
      const target = asObject(source.target) ?? {};
      c.oneOf(`${at}.${field}.target.type`, target.type ?? '', ['Utilization', 'Value', 'AverageValue']);
      const targetField = ({ Utilization: 'averageUtilization', Value: 'value', AverageValue: 'averageValue' } as Record<string, string>)[target.type as string];
      if (targetField) c.required(`${at}.${field}.target.${targetField}`, target[targetField], `is not set; a target of type ${String(target.type)} needs it`);
      if (target.averageUtilization !== undefined) c.integer(`${at}.${field}.target.averageUtilization`, target.averageUtilization, 1);
    });
    const behavior = asObject(spec.behavior) ?? {};
    for (const direction of ['scaleUp', 'scaleDown']) {
      const rules = asObject(behavior[direction]);
      if (!rules) continue;
      const at = `spec.behavior.${direction}`;
      c.oneOf(`${at}.selectPolicy`, rules.selectPolicy, ['Max', 'Min', 'Disabled']);
      c.integer(`${at}.stabilizationWindowSeconds`, rules.stabilizationWindowSeconds, 0, 3600);
      if (rules.policies !== undefined) c.required(`${at}.policies`, rules.policies, 'is empty; list at least one policy, or leave it unset');
      asArray(rules.policies).forEach((item, i) => {
        const p = asObject(item) ?? {};
        c.oneOf(`${at}.policies[${i}].type`, p.type ?? '', ['Pods', 'Percent']);
        c.integer(`${at}.policies[${i}].value`, p.value ?? 0, 1);
        c.integer(`${at}.policies[${i}].periodSeconds`, p.periodSeconds ?? 0, 1, 1800);
      });
    }
    return c.findings;
  },
};

/** `api-disruption-budgets`: minAvailable or maxUnavailable, whole and not negative or a percentage. */
export const API_DISRUPTION_BUDGETS: PolicyRule = {
  id: 'api-disruption-budgets',
  severity: Severity.ERROR,
  description: 'PodDisruptionBudgets set minAvailable or maxUnavailable (not both) to a whole number >= 0 or a percentage.',
  check(object) {
    if (object.kind !== 'PodDisruptionBudget' || !builtIn(object)) return [];
    const c = new Checks(API_DISRUPTION_BUDGETS, object, 'Set one of minAvailable and maxUnavailable, to a whole number >= 0 or a percentage such as 50%.');
    const spec = asObject(object.spec) ?? {};
    c.intOrPercent('spec.minAvailable', spec.minAvailable);
    c.intOrPercent('spec.maxUnavailable', spec.maxUnavailable);
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) c.add('spec', 'sets both minAvailable and maxUnavailable; expected one');
    c.oneOf('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, ['IfHealthyBudget', 'AlwaysAllow']);
    return c.findings;
  },
};

// ---------------------------------------------------------------------------------------------
// api-services, api-namespaces, api-storage, api-endpoint-slices, api-network-policies

const IP = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$|^[0-9a-fA-F:]+:[0-9a-fA-F:.]*$/;

/** `api-services`: a Service's ports (required unless headless or ExternalName), their names, its cluster IP and type. */
export const API_SERVICES: PolicyRule = {
  id: 'api-services',
  severity: Severity.ERROR,
  description: 'Services have ports (unless headless or ExternalName) with valid names, a valid clusterIP and type.',
  check(object) {
    if (object.kind !== 'Service' || object.apiVersion !== 'v1') return [];
    const c = new Checks(API_SERVICES, object, 'Give the Service its ports, each named with a DNS-1123 label of at most 63 characters, and a clusterIP that is an IP address, None or unset.');
    const spec = asObject(object.spec) ?? {};
    const type = spec.type ?? 'ClusterIP';
    c.oneOf('spec.type', type, ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
    if (type === 'ExternalName' && c.required('spec.externalName', spec.externalName, 'is not set; a Service of type ExternalName needs it')) {
      c.name('spec.externalName', spec.externalName, (name) => dns1123SubdomainProblem(name.replace(/\.$/, '')), 'DNS name');
    }
    if (type !== 'ExternalName' && spec.clusterIP !== 'None') c.required('spec.ports', spec.ports, 'is empty; a Service that is neither headless nor ExternalName needs a port');
    asArray(spec.ports).forEach((item, i) => {
      const name = asObject(item)?.name;
      if (name !== undefined && name !== '') c.name(`spec.ports[${i}].name`, name, dns1123LabelProblem, 'port name (DNS-1123 label)');
    });
    c.name('spec.clusterIP', spec.clusterIP, (ip) => (ip === '' || ip === 'None' || IP.test(ip) ? undefined : 'expected an IP address, None or empty'), 'cluster IP');
    return c.findings;
  },
};

const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'];

/** `api-namespaces`: the Pod Security admission labels take a level and a version. */
export const API_NAMESPACES: PolicyRule = {
  id: 'api-namespaces',
  severity: Severity.ERROR,
  description: "A Namespace's pod-security.kubernetes.io labels name a level (privileged, baseline, restricted) and a version (latest or v1.N).",
  check(object) {
    if (object.kind !== 'Namespace' || object.apiVersion !== 'v1') return [];
    const c = new Checks(API_NAMESPACES, object, "Set pod-security.kubernetes.io/<mode> to privileged, baseline or restricted and <mode>-version to latest or v1.<minor>.");
    for (const [key, value] of Object.entries(object.metadata?.labels ?? {})) {
      const mode = /^pod-security\.kubernetes\.io\/(enforce|audit|warn)(-version)?$/.exec(key);
      if (!mode) continue;
      const path = `metadata.labels[${JSON.stringify(key)}]`;
      if (mode[2]) {
        if (!/^(latest|v1\.(0|[1-9]\d*))$/.test(value)) c.add(path, `is ${show(value)}; expected latest or v1.<minor>`);
      } else c.oneOf(path, value, POD_SECURITY_LEVELS);
    }
    return c.findings;
  },
};

/** `api-storage`: StorageClass provisioners, claims' access modes, sizes and classes, LimitRange types. */
export const API_STORAGE: PolicyRule = {
  id: 'api-storage',
  severity: Severity.ERROR,
  description: 'StorageClasses name a provisioner; claims have access modes, a storage request and a valid class name; LimitRange items have distinct valid types.',
  check(object) {
    if (!builtIn(object)) return [];
    const c = new Checks(API_STORAGE, object, 'Correct the field as the message says: the API server refuses the object otherwise.');
    const o = object as unknown as Json;
    const spec = asObject(o.spec) ?? {};
    if (object.kind === 'StorageClass') {
      if (c.required('provisioner', o.provisioner)) c.name('provisioner', o.provisioner, qualifiedNameProblem, 'provisioner name');
      c.oneOf('reclaimPolicy', o.reclaimPolicy, ['Retain', 'Delete']);
      c.oneOf('volumeBindingMode', o.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']);
    }
    if (object.kind === 'PersistentVolumeClaim') checkClaimSpec(c, spec, 'spec');
    if (object.kind === 'LimitRange') {
      const limits = asArray(spec.limits);
      limits.forEach((item, i) => {
        const type = asObject(item)?.type;
        if (c.required(`spec.limits[${i}].type`, type)) c.name(`spec.limits[${i}].type`, type, qualifiedNameProblem, 'limit type');
      });
      c.unique('spec.limits', limits, (l) => (typeof l.type === 'string' ? l.type : undefined), 'type');
    }
    return c.findings;
  },
};

/** `api-endpoint-slices`: every endpoint has an address, each once; port names are unique. */
export const API_ENDPOINT_SLICES: PolicyRule = {
  id: 'api-endpoint-slices',
  severity: Severity.ERROR,
  description: 'EndpointSlice endpoints have at least one address, each listed once, and ports distinct names.',
  check(object) {
    if (object.kind !== 'EndpointSlice' || !builtIn(object)) return [];
    const c = new Checks(API_ENDPOINT_SLICES, object, 'Give each endpoint its addresses, each once, and each port a distinct name.');
    const o = object as unknown as Json;
    asArray(o.endpoints).forEach((item, i) => {
      const addresses = asArray(asObject(item)?.addresses);
      c.required(`endpoints[${i}].addresses`, addresses, 'is empty; an endpoint needs at least one address');
      c.unique(`endpoints[${i}].addresses`, addresses.map((a) => ({ a })), (x) => String(x.a), 'address');
    });
    c.unique('ports', asArray(o.ports), (p) => String(p.name ?? ''), 'name');
    return c.findings;
  },
};

/** `api-network-policies`: every peer selects something; policy types are Ingress and Egress, each once; ports in range. */
export const API_NETWORK_POLICIES: PolicyRule = {
  id: 'api-network-policies',
  severity: Severity.ERROR,
  description: 'NetworkPolicy peers set a pod selector, a namespace selector or an ipBlock; policyTypes list Ingress and Egress at most once each; ports are 1 to 65535 or a name.',
  check(object) {
    if (object.kind !== 'NetworkPolicy' || !builtIn(object)) return [];
    const c = new Checks(API_NETWORK_POLICIES, object, 'Give each peer a podSelector, a namespaceSelector or an ipBlock; list Ingress and Egress at most once each in policyTypes; use ports 1 to 65535 or a port name.');
    const spec = asObject(object.spec) ?? {};
    const types = asArray(spec.policyTypes);
    types.forEach((t, i) => c.oneOf(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
    if (types.length > 2) c.add('spec.policyTypes', `lists ${types.length} types; expected at most two (Ingress, Egress)`);
    for (const [direction, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
      asArray(spec[direction]).forEach((item, i) => {
        const r = asObject(item) ?? {};
        asArray(r[peers]).forEach((peer, k) => {
          const p = asObject(peer) ?? {};
          if (p.podSelector === undefined && p.namespaceSelector === undefined && p.ipBlock === undefined) c.add(`spec.${direction}[${i}].${peers}[${k}]`, 'selects nothing; a peer sets podSelector, namespaceSelector or ipBlock');
        });
        asArray(r.ports).forEach((port, k) => {
          const p = asObject(port) ?? {};
          handlerPort(c, `spec.${direction}[${i}].ports[${k}].port`, p.port);
          if (p.endPort !== undefined) c.integer(`spec.${direction}[${i}].ports[${k}].endPort`, p.endPort, typeof p.port === 'number' ? p.port : 1, 65535);
        });
      });
    }
    return c.findings;
  },
};

// ---------------------------------------------------------------------------------------------
// api-list-keys: associative lists of custom resources, as server-side apply reads them

type Schema = Record<string, unknown>;

/** The associative-list checks of a custom resource: every item carries the list's keys, and no two share them. */
function walkListKeys(c: Checks, schema: Schema | undefined, value: unknown, path: string): void {
  if (!schema || value === undefined || value === null) return;
  if (Array.isArray(value)) {
    const itemSchema = asObject(schema.items) as Schema | undefined;
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'map') {
      const keys = asArray(schema['x-kubernetes-list-map-keys']) as string[];
      const defaults = asObject(itemSchema?.properties) ?? {};
      value.forEach((item, i) => {
        const o = asObject(item) ?? {};
        if (keys.every((k) => o[k] === undefined && asObject(defaults[k])?.default === undefined)) c.add(`${path}[${i}]`, `has none of the list's keys (${keys.join(', ')}); server-side apply needs them to merge the list`);
      });
      c.unique(path, value, (o) => JSON.stringify(keys.map((k) => o[k] ?? asObject(asObject(defaults[k]))?.default ?? null)), `keys (${keys.join(', ')})`);
    } else if (listType === 'set') {
      c.unique(path, value.map((v) => ({ v })), (o) => JSON.stringify(o.v), 'value');
    }
    value.forEach((item, i) => walkListKeys(c, itemSchema, item, `${path}[${i}]`));
    return;
  }
  const object = asObject(value);
  if (!object) return;
  const properties = asObject(schema.properties) as Record<string, Schema> | undefined;
  const additional = asObject(schema.additionalProperties) as Schema | undefined;
  for (const [key, child] of Object.entries(object)) {
    walkListKeys(c, properties?.[key] ?? additional, child, path ? `${path}.${key}` : key);
  }
}

/** `api-list-keys`: associative lists of custom resources carry their keys, each key once. */
export const API_LIST_KEYS: PolicyRule = {
  id: 'api-list-keys',
  severity: Severity.ERROR,
  description: "The associative lists of custom resources (x-kubernetes-list-type map or set in the pinned CRD) carry their keys, and no two items share them, as server-side apply requires.",
  check(object) {
    const schema = CRD_SCHEMAS[`${object.apiVersion}/${object.kind}`];
    if (!schema) return [];
    const c = new Checks(API_LIST_KEYS, object, 'Give each item of the list its keys, and merge or rename items that share them.');
    const properties = asObject(schema.properties) as Record<string, Schema> | undefined;
    for (const [key, value] of Object.entries(object)) if (key !== 'metadata' && key !== 'status') walkListKeys(c, properties?.[key], value, key);
    return c.findings;
  },
};

/** The rules of the API server's object validation, in the order findings are reported. */
export const API_OBJECT_RULES: readonly PolicyRule[] = [
  API_POD_SPEC, API_WORKLOADS, API_LABEL_SELECTORS, API_RBAC, API_AUTOSCALING, API_DISRUPTION_BUDGETS,
  API_SERVICES, API_NAMESPACES, API_STORAGE, API_ENDPOINT_SLICES, API_NETWORK_POLICIES, API_LIST_KEYS,
];
