/**
 * How a workload is reached: Service types, internal load balancers per cloud, and the
 * sources a NetworkPolicy lets in.
 */
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';

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
