/**
 * The clients of a data store, as NetworkPolicy peers: by label (the `clients` prop) or by
 * object (`allowFrom(workload)`).
 */
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import type { PropsValidator } from '../core/errors.js';

/** Pods (by label, in the store's namespace unless a namespace label selector is given) allowed to connect. */
export interface DataStoreClient {
  /** The labels of the client's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * The labels of the client's namespace.
   * @default - the store's own namespace
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

/**
 * A client workload, by object: a HardenedDeployment (or one copy of a BlueGreenDeployment),
 * or anything else that exposes the labels selecting its pods and its namespace.
 */
export interface DataStoreClientWorkload {
  /** The labels that name the workload's pods (HardenedDeployment's `identityLabels`: `app.kubernetes.io/name: <name>`). */
  readonly identityLabels: Readonly<Record<string, string>>;
  /**
   * The workload's namespace.
   * @default - the store's own namespace
   */
  readonly namespace?: string;
}

/** The NetworkPolicy peer of a client given by label. */
export function clientPeer(client: DataStoreClient): INetworkPolicyPeer {
  return {
    podSelector: { matchLabels: { ...client.podLabels } },
    ...(client.namespaceLabels && { namespaceSelector: { matchLabels: { ...client.namespaceLabels } } }),
  };
}

/**
 * The NetworkPolicy peer of a client workload: its pods by their identity labels, and its
 * namespace by name when it is not the store's.
 */
export function workloadPeer(v: PropsValidator, storeNamespace: string, workload: DataStoreClientWorkload, index: number): INetworkPolicyPeer {
  if (Object.keys(workload.identityLabels).length === 0) {
    throw v.error({
      field: `allowFrom() workloads[${index}].identityLabels`, problem: 'is empty, which would admit every pod',
      expected: 'a HardenedDeployment or an object with the labels of its pods',
    });
  }
  const namespace = workload.namespace ?? storeNamespace;
  return {
    podSelector: { matchLabels: { ...workload.identityLabels } },
    ...(namespace !== storeNamespace && { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } }),
  };
}

/** Adds `peers` to `from`, skipping any already admitted. */
export function addPeers(from: INetworkPolicyPeer[], peers: readonly INetworkPolicyPeer[]): void {
  const seen = new Set(from.map((peer) => JSON.stringify(peer)));
  for (const peer of peers) {
    const key = JSON.stringify(peer);
    if (!seen.has(key)) from.push(peer);
    seen.add(key);
  }
}
