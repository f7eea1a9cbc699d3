/**
 * The cluster's own pods, which run before any chart is applied and take room on every node:
 * the managed add-ons the stacks enable (stacks/eks.ts, stacks/aks.ts) in kube-system.
 *
 * The requests are approximate figures for each add-on's default manifest, rounded up; the
 * point is that they are counted (every DaemonSet pod also takes a pod slot on every node),
 * not their last millicore. Measure a real cluster with `kubectl describe node` and pass your
 * own figures through the planner's `addOns` option when a plan is tight.
 */
import type { ManifestObject } from '../core/manifest.js';
import type { Environment } from '../environment/load.js';

interface AddOn {
  readonly kind: 'DaemonSet' | 'Deployment';
  readonly name: string;
  readonly cpu: string;
  readonly memory: string;
  /** Deployments only. */
  readonly replicas?: number;
}

/** Add-ons on an EKS cluster of the kit: VPC CNI, kube-proxy, CoreDNS, EBS CSI, Pod Identity. */
const EKS_ADD_ONS: readonly AddOn[] = [
  { kind: 'DaemonSet', name: 'aws-node', cpu: '25m', memory: '0' },
  { kind: 'DaemonSet', name: 'kube-proxy', cpu: '100m', memory: '0' },
  { kind: 'DaemonSet', name: 'ebs-csi-node', cpu: '30m', memory: '120Mi' },
  { kind: 'DaemonSet', name: 'eks-pod-identity-agent', cpu: '0', memory: '0' },
  { kind: 'Deployment', name: 'coredns', cpu: '100m', memory: '70Mi', replicas: 2 },
  { kind: 'Deployment', name: 'ebs-csi-controller', cpu: '60m', memory: '240Mi', replicas: 2 },
];

/** Add-ons on an AKS cluster of the kit: Cilium dataplane, CNS, CSI drivers, monitoring agent. */
const AKS_ADD_ONS: readonly AddOn[] = [
  { kind: 'DaemonSet', name: 'cilium', cpu: '100m', memory: '128Mi' },
  { kind: 'DaemonSet', name: 'azure-cns', cpu: '40m', memory: '250Mi' },
  { kind: 'DaemonSet', name: 'cloud-node-manager', cpu: '50m', memory: '50Mi' },
  { kind: 'DaemonSet', name: 'csi-azuredisk-node', cpu: '30m', memory: '60Mi' },
  { kind: 'DaemonSet', name: 'csi-azurefile-node', cpu: '30m', memory: '60Mi' },
  { kind: 'DaemonSet', name: 'ama-logs', cpu: '150m', memory: '550Mi' },
  { kind: 'Deployment', name: 'coredns', cpu: '100m', memory: '70Mi', replicas: 2 },
  { kind: 'Deployment', name: 'coredns-autoscaler', cpu: '20m', memory: '10Mi', replicas: 1 },
  { kind: 'Deployment', name: 'konnectivity-agent', cpu: '20m', memory: '20Mi', replicas: 2 },
  { kind: 'Deployment', name: 'metrics-server', cpu: '50m', memory: '60Mi', replicas: 2 },
  { kind: 'Deployment', name: 'ama-logs-rs', cpu: '150m', memory: '250Mi', replicas: 1 },
];

function manifest(addOn: AddOn): ManifestObject {
  const labels = { 'k8s-app': addOn.name };
  // DaemonSets of the add-ons tolerate every taint; their Deployments tolerate the system-pool taint.
  const tolerations = addOn.kind === 'DaemonSet' ? [{ operator: 'Exists' }] : [{ key: 'CriticalAddonsOnly', operator: 'Exists' }];
  return {
    apiVersion: 'apps/v1',
    kind: addOn.kind,
    metadata: { name: addOn.name, namespace: 'kube-system', labels },
    spec: {
      ...(addOn.kind === 'Deployment' && { replicas: addOn.replicas }),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          tolerations,
          containers: [{ name: addOn.name, image: 'add-on', resources: { requests: { cpu: addOn.cpu, memory: addOn.memory } } }],
        },
      },
    },
  };
}

/** The add-ons of the environment's cloud, as manifests the planner reads like any other. */
export function clusterAddOns(cloud: Environment['cloud']): ManifestObject[] {
  return (cloud === 'aws' ? EKS_ADD_ONS : AKS_ADD_ONS).map(manifest);
}
