/**
 * The capability contract: what a cluster must run for an object to do anything.
 *
 * Many objects are inert without a controller: a Service annotated for an AWS Network Load
 * Balancer with no AWS Load Balancer Controller gets no load balancer, a NetworkPolicy on a
 * CNI that does not enforce policy denies nothing, a Velero Schedule with no Velero backs
 * nothing up. The API server accepts all of them, so neither the schema nor a test cluster
 * catches the mistake. Each object therefore states the capabilities it needs (derived from
 * its kind, annotations and requests, plus any it declares with {@link REQUIRES_ANNOTATION}),
 * each cluster states what it provides, and {@link checkCapabilities} reports every need that
 * is not met.
 */
import { Severity, type Finding, type ManifestObject } from './finding.js';
import { containersOf, podSpecOf } from '../core/pod.js';
import {
  CAPABILITIES, CAPABILITY_NAMES, GPU_NODE, PROVIDES_ANNOTATION, REQUIRES_ANNOTATION, type Capability, type ClusterCapabilities, type ProvidedCapability,
} from '../core/capabilities.js';

export {
  CAPABILITIES, CAPABILITY_NAMES, GPU_NODE, PROVIDES_ANNOTATION, REQUIRES_ANNOTATION, type Capability, type ClusterCapabilities, type ProvidedCapability,
};


/** The annotations the AWS Load Balancer Controller acts on (Services and Ingresses). */
const AWS_LB_ANNOTATION = /^(service|alb\.ingress)\.beta\.kubernetes\.io\/aws-load-balancer-|^alb\.ingress\.kubernetes\.io\//;
/** `service.beta.kubernetes.io/aws-load-balancer-type: external|nlb-ip` is the controller's; `nlb` alone is the legacy in-tree controller's. */
const AWS_LB_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';

/** One capability an object needs, and why. */
export interface CapabilityNeed {
  /** The capability needed. */
  readonly capability: Capability;
  /** What in the object needs it, e.g. `the annotation service.beta.kubernetes.io/aws-load-balancer-type`. */
  readonly because: string;
  /** The field path in the object, for the finding. */
  readonly path: string;
}

const group = (object: ManifestObject) => String(object.apiVersion ?? '').split('/').slice(0, -1).join('/');

/** Capabilities needed by objects of an API group, whatever their kind. */
const GROUP_NEEDS: Readonly<Record<string, Capability>> = {
  'monitoring.coreos.com': 'prometheus-operator',
  'cert-manager.io': 'cert-manager',
  'acme.cert-manager.io': 'cert-manager',
  'gateway.networking.k8s.io': 'gateway-api',
  'gateway.envoyproxy.io': 'envoy-gateway',
  'velero.io': 'velero',
  'kustomize.toolkit.fluxcd.io': 'flux',
  'elbv2.k8s.aws': 'aws-load-balancer-controller',
};

/** The capabilities an object needs, each with the reason. */
export function capabilityNeeds(object: ManifestObject): CapabilityNeed[] {
  const needs: CapabilityNeed[] = [];
  const kind = String(object.kind ?? '');
  const apiGroup = group(object);
  const byGroup = GROUP_NEEDS[apiGroup];
  // HelmRepositories and HelmReleases are installed in both deploy modes (by Flux, or by
  // `pulumi up` reading them back into Helm releases); Git and OCI sources need Flux itself.
  const fluxSource = apiGroup === 'source.toolkit.fluxcd.io' && kind !== 'HelmRepository';
  if (fluxSource) needs.push({ capability: 'flux', because: `its kind ${kind} (${apiGroup})`, path: 'kind' });
  if (byGroup) needs.push({ capability: byGroup, because: `its kind ${kind} (${apiGroup})`, path: 'kind' });
  const annotations = (object.metadata?.annotations ?? {}) as Record<string, string>;
  const spec = (object.spec ?? {}) as Record<string, unknown>;

  if (kind === 'NetworkPolicy' && apiGroup === 'networking.k8s.io') {
    needs.push({ capability: 'network-policy', because: 'its kind NetworkPolicy, which only a policy-enforcing CNI applies', path: 'kind' });
  }
  if (kind === 'Service' || kind === 'Ingress') {
    needs.push(...loadBalancerNeeds(annotations, 'metadata.annotations'));
    if (kind === 'Service' && spec.loadBalancerClass === 'service.k8s.aws/nlb') {
      needs.push({ capability: 'aws-load-balancer-controller', because: 'spec.loadBalancerClass service.k8s.aws/nlb', path: 'spec.loadBalancerClass' });
    }
    if (kind === 'Ingress' && spec.ingressClassName === 'nginx') {
      needs.push({ capability: 'ingress-nginx', because: 'spec.ingressClassName nginx', path: 'spec.ingressClassName' });
    }
    if (kind === 'Ingress' && spec.ingressClassName === 'alb') {
      needs.push({ capability: 'aws-load-balancer-controller', because: 'spec.ingressClassName alb', path: 'spec.ingressClassName' });
    }
  }
  if (kind === 'EnvoyProxy' && apiGroup === 'gateway.envoyproxy.io') {
    // The Service Envoy Gateway creates for each Gateway carries these annotations.
    const envoyService = ((spec.provider as { kubernetes?: { envoyService?: { annotations?: Record<string, string> } } } | undefined)?.kubernetes?.envoyService) ?? {};
    needs.push(...loadBalancerNeeds(envoyService.annotations ?? {}, 'spec.provider.kubernetes.envoyService.annotations'));
  }
  // Host names that should resolve: a Gateway's listeners, an Ingress's rules.
  if (kind === 'Gateway' && apiGroup === 'gateway.networking.k8s.io') {
    const listeners = (spec.listeners ?? []) as readonly { hostname?: string }[];
    const index = listeners.findIndex((listener) => listener.hostname !== undefined);
    if (index >= 0) needs.push({ capability: 'dns-automation', because: `the host name ${listeners[index]?.hostname} of a listener`, path: `spec.listeners[${index}].hostname` });
  }
  if (kind === 'Ingress' && apiGroup === 'networking.k8s.io') {
    const rules = (spec.rules ?? []) as readonly { host?: string }[];
    const index = rules.findIndex((rule) => rule.host !== undefined);
    if (index >= 0) needs.push({ capability: 'dns-automation', because: `the host name ${rules[index]?.host} of a rule`, path: `spec.rules[${index}].host` });
  }
  if (kind === 'HorizontalPodAutoscaler') {
    const metrics = (spec.metrics ?? []) as readonly { type?: string }[];
    const index = metrics.findIndex((metric) => metric.type === 'Resource' || metric.type === 'ContainerResource');
    if (index >= 0) needs.push({ capability: 'metrics-server', because: `a ${metrics[index]?.type} metric`, path: `spec.metrics[${index}]` });
  }
  const pod = podSpecOf(object);
  for (const container of pod ? containersOf(pod) : []) {
    const resources = (container.container.resources ?? {}) as { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
    const field = resources.limits?.['nvidia.com/gpu'] !== undefined ? 'limits' : resources.requests?.['nvidia.com/gpu'] !== undefined ? 'requests' : undefined;
    if (field) {
      needs.push({ capability: 'nvidia-gpu', because: `the nvidia.com/gpu ${field === 'limits' ? 'limit' : 'request'} of container ${container.container.name ?? ''}`, path: `${container.path}.resources.${field}["nvidia.com/gpu"]` });
    }
  }
  const declared = annotations[REQUIRES_ANNOTATION];
  if (declared !== undefined) {
    for (const name of splitList(declared)) {
      needs.push({ capability: name as Capability, because: `the annotation ${REQUIRES_ANNOTATION}`, path: `metadata.annotations["${REQUIRES_ANNOTATION}"]` });
    }
  }
  return needs;
}

/** The AWS Load Balancer Controller, for annotations only it acts on (`aws-load-balancer-type: nlb` alone is the in-tree controller's). */
function loadBalancerNeeds(annotations: Readonly<Record<string, string>>, path: string): CapabilityNeed[] {
  const key = Object.keys(annotations).find((name) => AWS_LB_ANNOTATION.test(name));
  if (key === undefined || annotations[AWS_LB_TYPE] === 'nlb') return [];
  return [{ capability: 'aws-load-balancer-controller', because: `the annotation ${key}`, path: `${path}["${key}"]` }];
}

/** `a, b ,c` → `['a', 'b', 'c']`. */
export function splitList(value: string): string[] {
  return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

/** The capabilities the HelmReleases among `objects` provide once installed. */
export function releasedCapabilities(objects: readonly ManifestObject[]): Capability[] {
  const found = new Set<Capability>();
  for (const object of objects) {
    const value = (object.metadata?.annotations as Record<string, string> | undefined)?.[PROVIDES_ANNOTATION];
    if (value === undefined || object.kind !== 'HelmRelease') continue;
    for (const name of splitList(value)) if (name in CAPABILITIES) found.add(name as Capability);
  }
  return [...found];
}

/** The rule id of unmet capabilities in validation reports. */
export const CAPABILITY_RULE_ID = 'cluster-capability';

/**
 * The needs of `object` that `cluster` does not meet. Unknown capability names declared
 * with {@link REQUIRES_ANNOTATION} are errors too, listing the known ones.
 */
export function checkCapabilities(object: ManifestObject, cluster: ClusterCapabilities, also: readonly Capability[] = []): Finding[] {
  const provided = new Set<Capability>([...cluster.provided.map((p) => p.capability), ...also]);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const need of capabilityNeeds(object)) {
    const key = `${need.capability}@${need.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!(need.capability in CAPABILITIES)) {
      findings.push({
        ruleId: CAPABILITY_RULE_ID,
        severity: Severity.ERROR,
        path: need.path,
        message: `${REQUIRES_ANNOTATION} names '${need.capability}', which is not a capability`,
        fix: `name capabilities from: ${CAPABILITY_NAMES.join(', ')}`,
      });
      continue;
    }
    if (provided.has(need.capability)) continue;
    const how = cluster.howToProvide[need.capability];
    findings.push({
      ruleId: CAPABILITY_RULE_ID,
      severity: Severity.ERROR,
      path: need.path,
      message: `needs ${need.capability} (${CAPABILITIES[need.capability]}) because of ${need.because}; ${cluster.name} does not provide it`,
      fix: how ?? 'this environment cannot provide it: remove the object or the field that needs it',
    });
  }
  return findings;
}
