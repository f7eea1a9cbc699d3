/**
 * Test objects for the workload rules: a Deployment that complies with every workload rule,
 * the objects that go with it (PodDisruptionBudget, NetworkPolicy, HorizontalPodAutoscaler,
 * Service), and helpers to run a rule over a set of objects.
 */
import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import type { Finding, ManifestObject, PolicyRule } from '../../../../constructs/policy/finding.js';
import type { ILabelSelector } from '../../../../constructs/policy/rules/_selector.js';

/** A pod-bearing workload whose fields tests may change. */
export interface TestWorkload extends ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    replicas?: number;
    selector?: ILabelSelector;
    template: {
      metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: IPodSpec;
    };
  };
}

/** A container that satisfies kit-probes, kit-resources and kit-image-tag. */
export function compliantContainer(name = 'app'): IContainer {
  return {
    name,
    image: `registry.example.com/${name}:1.2.3`,
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } },
  };
}

/** Deployment/web (3 replicas, labels app=web) that complies with every workload rule given its companions. */
export function deployment(name = 'web', namespace?: string): TestWorkload {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace !== undefined && { namespace }) },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [compliantContainer()] },
      },
    },
  };
}

/** The same workload under another kind (StatefulSet, DaemonSet, ReplicaSet, Job). */
export function asKind(workload: TestWorkload, kind: string, apiVersion = kind === 'Job' ? 'batch/v1' : 'apps/v1'): TestWorkload {
  return { ...structuredClone(workload), apiVersion, kind };
}

/** A bare Pod with the workload's pod template (its labels and annotations become the Pod's). */
export function asPod(workload: TestWorkload): ManifestObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...structuredClone(workload.metadata), ...structuredClone(workload.spec.template.metadata) },
    spec: structuredClone(workload.spec.template.spec),
  };
}

/** A CronJob with the workload's pod template. */
export function asCronJob(workload: TestWorkload): ManifestObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: structuredClone(workload.metadata),
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: structuredClone(workload.spec.template) } } },
  };
}

/** The workload's only pod spec. */
export function podOf(workload: TestWorkload): IPodSpec {
  return workload.spec.template.spec;
}

/** The workload's first container. */
export function mainContainer(workload: TestWorkload): IContainer {
  const container = podOf(workload).containers[0];
  if (!container) throw new Error('test workload has no container');
  return container;
}

/** A policy/v1 PodDisruptionBudget selecting app=`app`, with maxUnavailable 1 unless `spec` says otherwise. */
export function pdb(app = 'web', spec: Record<string, unknown> = { maxUnavailable: 1 }, namespace?: string): ManifestObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app, ...(namespace !== undefined && { namespace }) },
    spec: { selector: { matchLabels: { app } }, ...spec },
  };
}

/** A networking.k8s.io/v1 NetworkPolicy; defaults to an Ingress policy selecting app=web. */
export function networkPolicy(spec: Record<string, unknown> = { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] }, namespace?: string): ManifestObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web-ingress', ...(namespace !== undefined && { namespace }) },
    spec,
  };
}

/** An autoscaling/v2 HorizontalPodAutoscaler scaling Deployment/`target` between 2 and 10 replicas. */
export function hpa(target = 'web', spec: Record<string, unknown> = {}, namespace?: string): ManifestObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target, ...(namespace !== undefined && { namespace }) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: 2,
      maxReplicas: 10,
      ...spec,
    },
  };
}

/** A v1 Service selecting `selector` (`null`: no selector). */
export function service(selector: Record<string, string> | null = { app: 'web' }, spec: Record<string, unknown> = {}, namespace?: string): ManifestObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', ...(namespace !== undefined && { namespace }) },
    spec: { ...(selector && { selector }), ports: [{ port: 80, targetPort: 8080 }], ...spec },
  };
}

/** Runs `rule` over `object`, validated together with `others`. */
export function check(rule: PolicyRule, object: ManifestObject, ...others: ManifestObject[]): Finding[] {
  return rule.check(object, { objects: [object, ...others] });
}

/** The rule id, path and message of each finding, for exact assertions. */
export function summarize(findings: readonly Finding[]): { ruleId: string; path: string; message: string }[] {
  return findings.map(({ ruleId, path, message }) => ({ ruleId, path, message }));
}
