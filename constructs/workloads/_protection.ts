/**
 * The objects that protect a replicated, exposed workload, shared by the hardened workload
 * constructs: its PodDisruptionBudget, and the NetworkPolicy that admits only the peers it
 * was given.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudgetSpec } from 'kubernetes-models/policy/v1';
import type { DisruptionBudget } from './availability.js';
import type { IngressPeer } from './exposure.js';
import type { WorkloadPort } from './options.js';

/** The metadata every object of a workload carries. */
export interface WorkloadMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
}

/** The PodDisruptionBudget (construct id `DisruptionBudget`) over the pods `selector` selects; unhealthy pods may always be evicted. */
export function disruptionBudgetFor(scope: Construct, metadata: WorkloadMetadata, selector: Readonly<Record<string, string>>, budget: DisruptionBudget): ApiObject {
  const spec: IPodDisruptionBudgetSpec = {
    selector: { matchLabels: { ...selector } },
    [budget.field]: budget.value,
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
  };
  return new ApiObject(scope, 'DisruptionBudget', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata, spec });
}

/** One ingress rule of a NetworkPolicy. */
export type IngressRule = NonNullable<INetworkPolicySpec['ingress']>[number];

/** The rule admitting `peers` on the workload's ports (every port when it declares none). */
export function ingressRuleFor(peers: readonly IngressPeer[], ports: readonly WorkloadPort[]): IngressRule {
  const ingressPorts = ports.map((p) => ({ port: p.number, protocol: p.protocol ?? 'TCP' }));
  return { from: peers.map((peer) => peer.peer), ...(ingressPorts.length > 0 && { ports: ingressPorts }) };
}

/**
 * The NetworkPolicy (construct id `NetworkPolicy`) over the pods `selector` selects: Ingress
 * only, admitting exactly `rules`. The rules array is kept by reference, so rules pushed
 * later (an `allowIngress()` call) are written too.
 */
export function ingressPolicyFor(scope: Construct, metadata: WorkloadMetadata, selector: Readonly<Record<string, string>>, rules: IngressRule[]): ApiObject {
  const spec: INetworkPolicySpec = { podSelector: { matchLabels: { ...selector } }, policyTypes: ['Ingress'], ingress: rules };
  return new ApiObject(scope, 'NetworkPolicy', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec });
}
