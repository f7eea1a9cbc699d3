/**
 * How a workload is reached: Service types, internal load balancers per cloud, and the
 * sources a NetworkPolicy lets in.
 */
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import { dns1123LabelProblem, labelValueProblem, qualifiedNameProblem } from '../core/names.js';
import { ipv4CidrRange, isStrictSubnet } from '../core/ipv4.js';

/** A cloud whose internal load balancer annotations the kit knows. */
export class Cloud {
  /** AWS: an internal NLB with IP targets, provisioned by the AWS Load Balancer Controller (the in-tree controller skips `type: external`). */
  static readonly AWS = new Cloud('aws', {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
  });

  /** Azure: an internal Standard Load Balancer in the cluster's virtual network. */
  static readonly AZURE = new Cloud('azure', {
    'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
  });

  private constructor(
    /** The cloud's short name. */
    public readonly name: string,
    /** The Service annotations that make its load balancer internal. */
    public readonly internalLoadBalancerAnnotations: Readonly<Record<string, string>>,
  ) {}
}

/** A source of traffic that a workload's NetworkPolicy admits. */
export class IngressPeer {
  /** Every pod in the named namespace. */
  static namespace(name: string): IngressPeer {
    return new IngressPeer(`namespace ${name}`, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
  }

  /** Pods with these labels, in the workload's own namespace (or in `namespace`). */
  static pods(labels: Readonly<Record<string, string>>, namespace?: string): IngressPeer {
    return new IngressPeer(`pods ${JSON.stringify(labels)}`, {
      podSelector: { matchLabels: { ...labels } },
      ...(namespace !== undefined && { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } }),
    });
  }

  /** An IP range, e.g. a load balancer's subnet: `IngressPeer.cidr('10.0.0.0/16')`. */
  static cidr(cidr: string, except: readonly string[] = []): IngressPeer {
    return new IngressPeer(`cidr ${cidr}`, { ipBlock: { cidr, ...(except.length > 0 && { except: [...except] }) } });
  }

  /** The pods of another kit workload (anything with `selectorLabels` and an optional namespace). */
  static workload(workload: { readonly selectorLabels: Readonly<Record<string, string>>; readonly namespace?: string }): IngressPeer {
    return IngressPeer.pods(workload.selectorLabels, workload.namespace);
  }

  private constructor(
    /** For messages. */
    public readonly description: string,
    /** The NetworkPolicy peer. */
    public readonly peer: INetworkPolicyPeer,
  ) {}

  /** True for IP-range peers, which are how traffic from outside the cluster is admitted. */
  get isCidr(): boolean {
    return this.peer.ipBlock !== undefined;
  }
}


/**
 * Why a NetworkPolicy peer could never admit what it says (the API server would refuse it,
 * or it admits more than meant), or undefined: a namespace that is not a namespace name, a
 * label selector with bad keys or values, an empty pod selector (every pod of the namespace),
 * an invalid CIDR or an `except` range that is not a strict subset of it.
 */
export function ingressPeerProblem(peer: IngressPeer): string | undefined {
  const { namespaceSelector, podSelector, ipBlock } = peer.peer;
  const namespace = namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
  if (namespace !== undefined) {
    const problem = dns1123LabelProblem(namespace);
    if (problem) return `(${peer.description}) names the namespace '${namespace}', which ${problem.replace(/^must/, 'must')}`;
  }
  if (podSelector) {
    const labels = Object.entries(podSelector.matchLabels ?? {});
    if (labels.length === 0) return `(${peer.description}) selects no labels, so it admits every pod of the namespace; name the labels, or use IngressPeer.namespace() to admit the whole namespace`;
    for (const [key, value] of labels) {
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem) return `(${peer.description}) has the label key '${key}', which ${keyProblem}`;
      const valueProblem = labelValueProblem(value);
      if (valueProblem) return `(${peer.description}) has the label value '${value}', which ${valueProblem}`;
    }
  }
  if (ipBlock) {
    const range = ipv4CidrRange(ipBlock.cidr);
    if (!range) return `(${peer.description}) has '${ipBlock.cidr}', which is not an IPv4 CIDR such as '10.0.0.0/16'`;
    for (const except of ipBlock.except ?? []) {
      const inner = ipv4CidrRange(except);
      if (!inner) return `(${peer.description}) excepts '${except}', which is not an IPv4 CIDR`;
      if (!isStrictSubnet(inner, range)) return `(${peer.description}) excepts '${except}', which is not a strict subset of ${ipBlock.cidr}`;
    }
  }
  return undefined;
}
