/**
 * Workload rules about which pods select which: NetworkPolicies covering every pod, and
 * workload and Service selectors that actually match pod labels.
 */
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1';
import type { IServiceSpec } from 'kubernetes-models/v1';
import { Severity, finding } from '../finding.js';
import type { Finding, ManifestObject, PolicyContext, PolicyRule } from '../finding.js';
import { describeObject, podSpecOf } from '../../core/pod.js';
import type { ILabelSelector } from './_selector.js';
import {
  formatLabels, isEmptySelector, matchesSelector, namespaceOf, namespacePhrase, podBearersSelectedBy, podMetadataPath, selectorsMatching,
} from './_selector.js';

/** NetworkPolicy API version read. */
export const NETWORK_POLICY_API_VERSIONS: readonly string[] = ['networking.k8s.io/v1'];

// ---------------------------------------------------------------------------------------------
// kit-network-policy

/**
 * Whether a NetworkPolicy isolates the ingress of pods with `labels`. An absent podSelector is
 * `{}` (every pod in the namespace); absent policyTypes always include Ingress.
 */
export function governsIngressOf(policy: ManifestObject, labels: Readonly<Record<string, string>> | undefined): boolean {
  return matchesSelector(ingressPodSelector(policy), labels);
}

/** The pods whose ingress a NetworkPolicy isolates, as a selector; undefined (none) when its policyTypes leave out Ingress. */
function ingressPodSelector(policy: ManifestObject): ILabelSelector | undefined {
  const spec = (policy.spec ?? {}) as INetworkPolicySpec;
  return (spec.policyTypes ?? ['Ingress']).includes('Ingress') ? spec.podSelector ?? {} : undefined;
}

/**
 * `kit-network-policy`: every pod-bearing workload is selected by an Ingress NetworkPolicy in its
 * namespace.
 */
export const KIT_NETWORK_POLICY: PolicyRule = {
  id: 'kit-network-policy',
  severity: Severity.ERROR,
  description: 'Every pod-bearing workload is selected by an Ingress NetworkPolicy in its namespace.',
  check: checkNetworkPolicy,
};

function checkNetworkPolicy(object: ManifestObject, context: PolicyContext): Finding[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  const namespace = namespaceOf(object);
  const labels = pod.templateMetadata.labels;
  const query = { kind: 'NetworkPolicy', apiVersions: NETWORK_POLICY_API_VERSIONS, namespace };
  if (selectorsMatching(context, query, ingressPodSelector, labels).length > 0) return [];
  return [finding(KIT_NETWORK_POLICY, {
    path: `${podMetadataPath(pod)}.labels`,
    message: `${describeObject(object)}: no networking.k8s.io/v1 NetworkPolicy with policyTypes Ingress ${namespacePhrase(namespace)} selects its pod labels ${formatLabels(labels)}, so any pod in the cluster can connect to it.`,
    fix: `Add a networking.k8s.io/v1 NetworkPolicy ${namespacePhrase(namespace)} whose spec.podSelector matches ${formatLabels(labels)}, with policyTypes [Ingress] and ingress rules for the callers it must accept (or a default-deny policy with podSelector {}).`,
  })];
}

// ---------------------------------------------------------------------------------------------
// kit-selector-match

/** Kinds whose required, immutable `spec.selector` must select their own pod template. */
const SELECTOR_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** A selector for messages: `{matchLabels: {app=web}, matchExpressions: [tier In (api)]}`. */
export function formatSelector(selector: ILabelSelector): string {
  const parts: string[] = [];
  if (selector.matchLabels) parts.push(`matchLabels: ${formatLabels(selector.matchLabels)}`);
  if (selector.matchExpressions?.length) {
    const expressions = selector.matchExpressions.map((e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(', ')})` : ''}`);
    parts.push(`matchExpressions: [${expressions.join(', ')}]`);
  }
  return `{${parts.join(', ')}}`;
}

/**
 * `kit-selector-match`: a workload's `spec.selector` matches its pod template labels, and a
 * Service's selector matches the pods of some workload in its namespace.
 */
export const KIT_SELECTOR_MATCH: PolicyRule = {
  id: 'kit-selector-match',
  severity: Severity.ERROR,
  description: 'A workload\'s spec.selector matches its pod template labels, and a Service\'s selector matches the pods of some workload in its namespace.',
  check: (object, context) => object.kind === 'Service' ? checkServiceSelector(object, context) : checkWorkloadSelector(object),
};

function checkWorkloadSelector(object: ManifestObject): Finding[] {
  const pod = podSpecOf(object);
  if (!pod || !SELECTOR_KINDS.has(object.kind)) return [];
  const selector = (object.spec as { selector?: ILabelSelector }).selector;
  const labels = pod.templateMetadata.labels;
  const labelsPath = `${podMetadataPath(pod)}.labels`;
  const suggestion = `e.g. matchLabels ${formatLabels(labels)}`;
  if (selector === undefined || selector === null) {
    return [finding(KIT_SELECTOR_MATCH, {
      path: 'spec.selector',
      message: `${describeObject(object)} has no spec.selector (found: not set); the API server requires one for a ${object.kind}.`,
      fix: `Set spec.selector to select ${labelsPath}, ${suggestion}; it cannot be changed later.`,
    })];
  }
  if (isEmptySelector(selector)) {
    return [finding(KIT_SELECTOR_MATCH, {
      path: 'spec.selector',
      message: `${describeObject(object)} has an empty spec.selector ${JSON.stringify(selector)}; the API server rejects an empty selector for a ${object.kind}.`,
      fix: `Set spec.selector to select ${labelsPath}, ${suggestion}; it cannot be changed later.`,
    })];
  }
  if (matchesSelector(selector, labels)) return [];
  return [finding(KIT_SELECTOR_MATCH, {
    path: 'spec.selector',
    message: `${describeObject(object)}: spec.selector ${formatSelector(selector)} does not match its pod template labels ${formatLabels(labels)}; the API server rejects it.`,
    fix: `Make spec.selector and ${labelsPath} agree, ${suggestion}; spec.selector cannot be changed after creation.`,
  })];
}

function checkServiceSelector(service: ManifestObject, context: PolicyContext): Finding[] {
  if (service.apiVersion !== 'v1') return [];
  const spec = (service.spec ?? {}) as IServiceSpec;
  // Without a selector (or for ExternalName) the Service's endpoints are managed elsewhere.
  if (spec.type === 'ExternalName' || !spec.selector || Object.keys(spec.selector).length === 0) return [];
  const namespace = namespaceOf(service);
  if (podBearersSelectedBy(context, namespace, spec.selector).length > 0) return [];
  return [finding(KIT_SELECTOR_MATCH, {
    path: 'spec.selector',
    message: `${describeObject(service)}: spec.selector ${formatLabels(spec.selector)} matches the pod labels of no Pod, workload or CronJob ${namespacePhrase(namespace)}, so the Service has no endpoints.`,
    fix: 'Set spec.selector to the pod template labels of the workload the Service fronts, or remove the selector if its endpoints are managed elsewhere.',
  })];
}
