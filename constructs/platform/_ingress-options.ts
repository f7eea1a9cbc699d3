/**
 * The option types of IngressWithAuth (re-exported by ingress-with-auth.ts): the
 * controller, basic-auth users, TLS, the cloud load balancer, and routes.
 */
import type * as kplus from '../core/plus.js';
import { IngressPeer } from '../workloads/exposure.js';
import type { HardenedDeployment } from '../workloads/hardened-deployment.js';
import type { Autoscaling } from '../workloads/availability.js';
import type { CertificateIssuer } from './cert-issuers.js';

/**
 * The defaults of the controllers: the names EnvoyGateway, EnvoyGatewayClass and IngressNginx
 * install under, and so what IngressController assumes when it is not built from them.
 */
export const INGRESS_CONTROLLER_DEFAULTS = {
  gatewayClassName: 'envoy-gateway',
  envoyGatewayNamespace: 'envoy-gateway-system',
  ingressClassName: 'nginx',
  ingressNginxNamespace: 'ingress-nginx',
} as const;

/** Options of {@link IngressController.envoyGateway}. */
export interface EnvoyGatewayOptions {
  /**
   * The GatewayClass the Gateway uses (one whose controller is Envoy Gateway's,
   * `gateway.envoyproxy.io/gatewayclass-controller`).
   * @default 'envoy-gateway'
   */
  readonly gatewayClassName?: string;
  /**
   * The namespace the Envoy proxies run in: the controller's namespace in Envoy Gateway's
   * default deploy mode; the Gateway's own namespace in Gateway Namespace Mode. Only these
   * pods may reach the basic-auth verifier and the backends.
   * @default 'envoy-gateway-system'
   */
  readonly proxyNamespace?: string;
}

/** Options of {@link IngressController.ingressNginx}. */
export interface IngressNginxOptions {
  /**
   * The IngressClass of the controller.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
  /**
   * The namespace the controller runs in; only its pods may reach the backends.
   * @default 'ingress-nginx'
   */
  readonly controllerNamespace?: string;
}

/** Which controller serves the routes. */
export class IngressController {
  /** The Gateway API with Envoy Gateway: Gateway, HTTPRoutes, SecurityPolicy. The default. */
  static envoyGateway(options: EnvoyGatewayOptions = {}): IngressController {
    return new IngressController(
      'envoy-gateway',
      options.gatewayClassName ?? INGRESS_CONTROLLER_DEFAULTS.gatewayClassName,
      options.proxyNamespace ?? INGRESS_CONTROLLER_DEFAULTS.envoyGatewayNamespace,
    );
  }

  /**
   * Legacy: a classic Ingress with ingress-nginx annotations, for clusters that still run
   * the controller. ingress-nginx was retired upstream in March 2026 (no releases or
   * security fixes since), so choosing it adds a warning; move to `envoyGateway()`.
   */
  static ingressNginx(options: IngressNginxOptions = {}): IngressController {
    return new IngressController(
      'ingress-nginx',
      options.ingressClassName ?? INGRESS_CONTROLLER_DEFAULTS.ingressClassName,
      options.controllerNamespace ?? INGRESS_CONTROLLER_DEFAULTS.ingressNginxNamespace,
    );
  }

  private constructor(
    /** `envoy-gateway` or `ingress-nginx`. */
    public readonly kind: 'envoy-gateway' | 'ingress-nginx',
    /** The GatewayClass or IngressClass. */
    public readonly className: string,
    /** Where the proxies run. */
    public readonly proxyNamespace: string,
  ) {}

  /** The proxies, as a NetworkPolicy peer: the only callers from outside of a workload the edge routes to. */
  get proxies(): IngressPeer {
    return IngressPeer.namespace(this.proxyNamespace);
  }
}

/** A Secret that holds htpasswd lines. */
export interface HtpasswdSecretRef {
  /** The Secret's name, in the construct's namespace. */
  readonly name: string;
  /**
   * The key holding the htpasswd lines. Envoy's native basic auth reads only `.htpasswd`
   * and ingress-nginx only `auth`; the nginx verifier reads any key.
   * @default - `.htpasswd` with Envoy Gateway, `auth` with ingress-nginx
   */
  readonly key?: string;
}

/**
 * The basic-auth users. Never plaintext: either a Secret that already holds htpasswd lines,
 * or user names with their hashes (made with `hashPassword()`).
 */
export class BasicAuthUsers {
  /**
   * An existing Secret with htpasswd content (made by `htpasswd()` in a Pulumi program under
   * `pulumi.secret`, or by SOPS or External Secrets), and the user names it holds.
   */
  static fromSecret(secret: HtpasswdSecretRef, usernames: readonly string[]): BasicAuthUsers {
    return new BasicAuthUsers([...usernames], secret, undefined);
  }

  /**
   * User names with already-hashed passwords: bcrypt (`$2b$…`, from `hashPassword()`), or
   * `{SHA}…` with `verifier: 'envoy-native'`. The construct writes them to a Secret. A value
   * that is not a hash is an error, and is never shown: it may be a password.
   */
  static hashed(users: Readonly<Record<string, string>>): BasicAuthUsers {
    return new BasicAuthUsers(Object.keys(users), undefined, { ...users });
  }

  private constructor(
    /** The user names. */
    public readonly usernames: readonly string[],
    /** The Secret, for `fromSecret`. */
    public readonly secret: HtpasswdSecretRef | undefined,
    /** Name → hash, for `hashed`. */
    public readonly hashes: Readonly<Record<string, string>> | undefined,
  ) {}
}

/** Who checks basic-auth passwords behind Envoy Gateway. */
export type BasicAuthVerifier = 'nginx' | 'envoy-native';

/** HTTP basic authentication for the routes that are not public. */
export interface BasicAuth {
  /** The users: `BasicAuthUsers.fromSecret(...)` or `BasicAuthUsers.hashed(...)`. At least one. */
  readonly users: BasicAuthUsers;
  /**
   * The realm browsers show in the login prompt: printable ASCII without `"`, `\`, `$`,
   * `;`, `{` or `}`.
   * @default 'Restricted'
   */
  readonly realm?: string;
  /**
   * With Envoy Gateway: `nginx` (a small in-kit verifier that checks bcrypt, called through
   * the SecurityPolicy's `extAuth`) or `envoy-native` (Envoy's own basic auth, which only
   * reads unsalted SHA-1 `{SHA}` lines; a warning says why to avoid it). Leave it unset
   * with ingress-nginx, which checks bcrypt itself: setting it there throws.
   * @default 'nginx' (Envoy Gateway); ingress-nginx's own check
   */
  readonly verifier?: BasicAuthVerifier;
  /**
   * The verifier's HorizontalPodAutoscaler. Every authenticated request costs one bcrypt
   * verification (about 50 ms of CPU at cost 10), so size this for the request rate.
   * @default { minReplicas: 2, maxReplicas: 6, cpuUtilizationPercent: 80 }
   */
  readonly verifierAutoscaling?: Autoscaling;
}

/** Where the certificate of the HTTPS listener comes from. Give exactly one. */
export interface IngressTls {
  /**
   * A cert-manager issuer (e.g. `LetsEncryptIssuers.production`): the construct writes one
   * Certificate per host, and the Gateway (or Ingress) terminates TLS with it.
   * @default - no cert-manager certificate
   */
  readonly issuer?: CertificateIssuer;
  /**
   * An AWS Certificate Manager certificate ARN: the NLB terminates TLS on 443 and forwards
   * plain HTTP (needs `loadBalancer: IngressLoadBalancer.aws()`).
   * @default - no ACM certificate
   */
  readonly acmCertificateArn?: string;
}

/** Options of {@link IngressLoadBalancer.aws}. */
export interface AwsLoadBalancerOptions {
  /**
   * An internal NLB (reachable only from the VPC) rather than an internet-facing one.
   * @default false
   */
  readonly internal?: boolean;
}

/** Options of {@link IngressLoadBalancer.azure}. */
export interface AzureLoadBalancerOptions {
  /**
   * An internal load balancer with a private IP in the cluster's virtual network.
   * @default false
   */
  readonly internal?: boolean;
  /**
   * An existing static public IP to use, by name (not with `internal`).
   * @default - a public IP the cloud provider creates and deletes with the Service
   */
  readonly publicIpName?: string;
  /**
   * The resource group of `publicIpName`, when it is not the cluster's node resource group.
   * @default - the node resource group
   */
  readonly publicIpResourceGroup?: string;
  /**
   * A DNS label for the public IP: `<label>.<region>.cloudapp.azure.com` (not with `internal`).
   * @default - no DNS label
   */
  readonly dnsLabel?: string;
  /**
   * The path of the load balancer's HTTP health probe.
   * @default - the cloud provider's default probe
   */
  readonly healthProbePath?: string;
}

/** The cloud load balancer in front of the proxies (Envoy's Service, or ingress-nginx's controller Service). */
export class IngressLoadBalancer {
  /** An AWS NLB through the AWS Load Balancer Controller (IP targets). */
  static aws(options: AwsLoadBalancerOptions = {}): IngressLoadBalancer {
    return new IngressLoadBalancer('aws', options, {});
  }

  /** An Azure Standard Load Balancer through the AKS cloud provider. */
  static azure(options: AzureLoadBalancerOptions = {}): IngressLoadBalancer {
    return new IngressLoadBalancer('azure', {}, options);
  }

  private constructor(
    /** The cloud. */
    public readonly cloud: 'aws' | 'azure',
    /** The AWS options. */
    public readonly aws: AwsLoadBalancerOptions,
    /** The Azure options. */
    public readonly azure: AzureLoadBalancerOptions,
  ) {}
}

/** Where a route sends its requests. */
export type RouteBackend = HardenedDeployment | kplus.Service | ServiceRef;

/** A Service the construct did not make: its ports are not known, so `port` is required. */
export interface ServiceRef {
  /** The Service's name. */
  readonly name: string;
  /**
   * The Service's namespace. Another namespace than the construct's works with Envoy Gateway
   * only (the construct adds a ReferenceGrant there); ingress-nginx throws.
   * @default - the construct's namespace
   */
  readonly namespace?: string;
}

/** A host and path prefix, and the Service port it goes to. */
export interface IngressRoute {
  /** A DNS name (`app.example.com`), or a wildcard (`*.example.com`). */
  readonly host: string;
  /**
   * A path prefix, starting with `/`.
   * @default '/'
   */
  readonly path?: string;
  /** A HardenedDeployment (its Service), a cdk8s-plus Service, or `{ name, namespace }` of another Service. */
  readonly backend: RouteBackend;
  /**
   * The Service port. Checked against the Service's ports when they are known.
   * @default - the Service's only port (an error when it has several, or they are unknown)
   */
  readonly port?: number;
  /**
   * Serve this route without authentication.
   * @default false - behind basic auth
   */
  readonly public?: boolean;
}
