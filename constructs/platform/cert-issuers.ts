/**
 * LetsEncryptIssuers: cert-manager ClusterIssuers for Let's Encrypt's staging and
 * production ACME servers, answering HTTP-01 challenges through a Gateway (Gateway API,
 * the default) or through an IngressClass (the legacy ingress-nginx controller).
 *
 * Issue against `staging` first: its certificates are not trusted by browsers, but its
 * rate limits are generous, so a misconfigured DNS name or solver does not lock the
 * domain out of production for a week.
 */
import { acmeEmailProblem } from '../core/config-checks.js';
import { Construct } from 'constructs';
import { ClusterIssuer, type ClusterIssuerSpecAcmeSolversHttp01 } from '../imports/cert-manager.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';

/** The ACME directories of Let's Encrypt. */
export const LETS_ENCRYPT_SERVERS = {
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  production: 'https://acme-v02.api.letsencrypt.org/directory',
} as const;

/** A cert-manager issuer that certificates can name. */
export interface CertificateIssuer {
  /** The issuer's name. */
  readonly name: string;
  /** `ClusterIssuer` (any namespace may use it) or `Issuer` (its own namespace only). */
  readonly kind: 'ClusterIssuer' | 'Issuer';
  /**
   * True when the issuer can only answer HTTP-01 challenges, which cannot prove control of
   * a wildcard name (`*.example.com`); such hosts need a DNS-01 issuer.
   */
  readonly http01Only: boolean;
}

/** A Gateway that serves HTTP-01 challenges: its name, namespace and plain-HTTP listener. */
export interface GatewayListenerRef {
  /** The Gateway's name. */
  readonly name: string;
  /** The Gateway's namespace. */
  readonly namespace: string;
  /**
   * The listener on port 80. `IngressWithAuth` names it `http`.
   * @default 'http'
   */
  readonly sectionName?: string;
}

/** Where cert-manager serves the `/.well-known/acme-challenge/` answers. */
export class Http01Solver {
  /**
   * A temporary HTTPRoute attached to these Gateways' plain-HTTP listeners (Gateway API).
   * cert-manager must run with Gateway API support (`config.enableGatewayAPI: true`).
   * Pass `ingress.http01Listener` of an `IngressWithAuth`.
   */
  static gateway(...gateways: GatewayListenerRef[]): Http01Solver {
    return new Http01Solver('gateway', gateways, undefined);
  }

  /** A temporary Ingress of this IngressClass (the legacy ingress-nginx controller: `nginx`). */
  static ingressClass(ingressClassName: string): Http01Solver {
    return new Http01Solver('ingress', [], ingressClassName);
  }

  private constructor(
    /** How challenges are served. */
    public readonly kind: 'gateway' | 'ingress',
    /** The Gateways, for `gateway`. */
    public readonly gateways: readonly GatewayListenerRef[],
    /** The IngressClass, for `ingress`. */
    public readonly ingressClassName: string | undefined,
  ) {}
}

/** Properties of {@link LetsEncryptIssuers}. */
export interface LetsEncryptIssuersProps {
  /**
   * The ACME account's contact address: Let's Encrypt writes to it about problems with the
   * account. Addresses at example.com, example.org and example.net are refused by the
   * ACME server.
   */
  readonly email: string;
  /** Where HTTP-01 challenges are answered: `Http01Solver.gateway(...)` or `Http01Solver.ingressClass('nginx')`. */
  readonly http01: Http01Solver;
  /**
   * The name prefix: the issuers are `<name>-staging` and `<name>-production`, their ACME
   * account keys the Secrets `<name>-staging-account-key` and `<name>-production-account-key`
   * in cert-manager's cluster resource namespace (`cert-manager` by default).
   * @default 'letsencrypt'
   */
  readonly name?: string;
}

/** The defaults of {@link LetsEncryptIssuersProps}. */
export const LETS_ENCRYPT_DEFAULTS = { name: 'letsencrypt', sectionName: 'http' } as const;

export { acmeEmailProblem };

/** The two Let's Encrypt ClusterIssuers (staging and production) with an HTTP-01 solver. */
export class LetsEncryptIssuers extends Construct {
  /** `<name>-staging`: untrusted certificates, generous rate limits. Use it first. */
  public readonly staging: CertificateIssuer;
  /** `<name>-production`: trusted certificates. */
  public readonly production: CertificateIssuer;
  /** The staging ClusterIssuer (construct id `Staging`). */
  public readonly stagingIssuer: ClusterIssuer;
  /** The production ClusterIssuer (construct id `Resource`). */
  public readonly productionIssuer: ClusterIssuer;

  constructor(scope: Construct, id: string, props: LetsEncryptIssuersProps) {
    super(scope, id);
    const v = new PropsValidator('LetsEncryptIssuers', this);
    const name = props.name ?? LETS_ENCRYPT_DEFAULTS.name;
    v.check('name', name, dns1123SubdomainProblem);
    // The longest name derived from it: the production account key Secret.
    const accountKey = `${name}-production-account-key`;
    if (accountKey.length > 253) {
      throw v.error({ field: 'name', value: name, problem: `makes the account key Secret's name ${accountKey.length} characters long; a Secret's name is at most 253`, expected: `at most ${253 - '-production-account-key'.length} characters` });
    }
    v.check('email', props.email, acmeEmailProblem);
    const solver = props.http01;
    let http01: ClusterIssuerSpecAcmeSolversHttp01;
    if (solver.kind === 'gateway') {
      if (solver.gateways.length === 0) throw v.error({ field: 'http01', problem: 'names no Gateway', expected: 'Http01Solver.gateway({ name, namespace }) with at least one' });
      solver.gateways.forEach((gateway, i) => {
        v.check(`http01.gateways[${i}].name`, gateway.name, dns1123SubdomainProblem);
        v.check(`http01.gateways[${i}].namespace`, gateway.namespace, dns1123LabelProblem);
        if (gateway.sectionName !== undefined) v.check(`http01.gateways[${i}].sectionName`, gateway.sectionName, dns1123SubdomainProblem);
      });
      http01 = {
        gatewayHttpRoute: {
          parentRefs: solver.gateways.map((gateway) => ({
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: gateway.name,
            namespace: gateway.namespace,
            sectionName: gateway.sectionName ?? LETS_ENCRYPT_DEFAULTS.sectionName,
          })),
        },
      };
    } else {
      const className = solver.ingressClassName ?? '';
      v.check('http01.ingressClassName', className, dns1123SubdomainProblem);
      http01 = { ingress: { ingressClassName: className } };
    }

    const issuer = (constructId: string, stage: 'staging' | 'production') => new ClusterIssuer(this, constructId, {
      metadata: { name: `${name}-${stage}` },
      spec: {
        acme: {
          server: LETS_ENCRYPT_SERVERS[stage],
          email: props.email,
          privateKeySecretRef: { name: `${name}-${stage}-account-key` },
          solvers: [{ http01 }],
        },
      },
    });
    this.productionIssuer = issuer('Resource', 'production');
    this.stagingIssuer = issuer('Staging', 'staging');
    this.production = { name: `${name}-production`, kind: 'ClusterIssuer', http01Only: true };
    this.staging = { name: `${name}-staging`, kind: 'ClusterIssuer', http01Only: true };
  }
}
