/**
 * Test objects for the pod security rules: a Deployment that complies with every rule,
 * to be cloned and modified one field at a time.
 */
import type { IContainer, IEphemeralContainer, IPodSpec } from 'kubernetes-models/v1';
import type { Finding, ManifestObject, PolicyRule } from '../../../../constructs/policy/finding.js';

/** A Deployment whose fields tests may change. */
export interface TestDeployment extends ManifestObject {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: { name: string; namespace?: string };
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: IPodSpec;
    };
  };
}

/** The securityContext every compliant container has. */
export const COMPLIANT_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 10001,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const satisfies IContainer['securityContext'];

const COMPLIANT_DEPLOYMENT: TestDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{
          name: 'main',
          image: 'registry.example.com/api:1.0.0',
          ports: [{ containerPort: 8080 }],
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
          securityContext: structuredClone(COMPLIANT_CONTAINER_SECURITY_CONTEXT),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        }],
        volumes: [{ name: 'tmp', emptyDir: {} }],
      },
    },
  },
};

/** A fresh Deployment/api that complies with every pod security rule. */
export function compliantDeployment(): TestDeployment {
  return structuredClone(COMPLIANT_DEPLOYMENT);
}

/** The pod spec of a test Deployment, for modification. */
export function podOf(deployment: TestDeployment): IPodSpec {
  return deployment.spec.template.spec;
}

/** The first container ('main') of a test Deployment, for modification. */
export function mainContainer(deployment: TestDeployment): IContainer {
  const container = deployment.spec.template.spec.containers[0];
  if (!container) throw new Error('the test Deployment has no container');
  return container;
}

/** Adds a compliant container named `name` to `list` and returns it, for modification. */
export function addContainer(
  deployment: TestDeployment, list: 'containers' | 'initContainers' | 'ephemeralContainers', name: string,
): IContainer | IEphemeralContainer {
  const pod = podOf(deployment);
  const container: IContainer = {
    name, image: 'registry.example.com/tool:1.0.0', securityContext: structuredClone(COMPLIANT_CONTAINER_SECURITY_CONTEXT),
  };
  (pod[list] ??= []).push(container);
  return container;
}

/** A CronJob named `api` whose job template runs the pod of `deployment`. */
export function asCronJob(deployment: TestDeployment): ManifestObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { ...deployment.metadata },
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: structuredClone(deployment.spec.template) } } },
  };
}

/** A bare Pod named `api` with the pod template of `deployment`. */
export function asPod(deployment: TestDeployment): ManifestObject {
  const { metadata, spec } = structuredClone(deployment.spec.template);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...metadata, name: deployment.metadata.name }, spec };
}

/** Runs `rule` on `object` alone. */
export function check(rule: PolicyRule, object: ManifestObject): Finding[] {
  return rule.check(object, { objects: [object] });
}

/** The findings of `rule` on `object`, reduced to what the tests assert: id, path and message. */
export function findingsOf(rule: PolicyRule, object: ManifestObject): { ruleId: string; path: string; message: string }[] {
  return check(rule, object).map(({ ruleId, path, message }) => ({ ruleId, path, message }));
}
