/**
 * IngressWithAuth's props, checked and resolved once: routes and their backends, hosts,
 * basic auth, TLS and the load balancer's Service annotations. Every problem is thrown as
 * `IngressWithAuth '<path>': <field> (<value>) <what is wrong>; <what is expected>`.
 */
import { createHash } from 'node:crypto';
import type { IConstruct } from 'constructs';
import * as kplus from '../core/plus.js';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { PropsValidator, shown } from '../core/errors.js';
import { HardenedDeployment } from '../workloads/hardened-deployment.js';
import { htpasswdUsernameProblem, isBcryptHash } from './htpasswd.js';
import type { CertificateIssuer } from './cert-issuers.js';
import type { BasicAuth, IngressController, IngressLoadBalancer, IngressRoute, IngressTls, RouteBackend } from './_ingress-options.js';

const KIND = 'IngressWithAuth';

/** A route with its backend resolved. */
export interface ResolvedRoute {
  /** The route's host. */
  readonly host: string;
  /**
   * The host as a DNS-label-shaped name part, unique among the construct's hosts:
   * `app-example-com`.
   */
  readonly slug: string;
  /** The route's path prefix. */
  readonly path: string;
  /** Whether the route is served without authentication. */
  readonly public: boolean;
  /** The name of the Service the route goes to. */
  readonly serviceName: string;
  /** The namespace of the Service the route goes to. */
  readonly serviceNamespace: string;
  /** The Service port the route goes to. */
  readonly port: number;
  /**
   * The workload behind the Service, when the construct knows it (a HardenedDeployment).
   * @default - none: the backend is a Service or a ServiceRef
   */
  readonly workload?: HardenedDeployment;
}

/** Basic auth, resolved. */
export interface ResolvedAuth {
  /** The realm browsers show in the login prompt. */
  readonly realm: string;
  /**
   * What checks the credentials: the kit's nginx verifier, Envoy's native basic auth, or
   * ingress-nginx.
   */
  readonly verifier: 'nginx' | 'envoy-native' | 'ingress-nginx';
  /** The users allowed in. */
  readonly usernames: readonly string[];
  /** The Secret with the htpasswd lines (made by the construct when `hashes` is set). */
  readonly secretName: string;
  /** The key of the htpasswd lines in the Secret. */
  readonly secretKey: string;
  /**
   * htpasswd content to write to the Secret, for `BasicAuthUsers.hashed`.
   * @default - none: the users' Secret already exists (`BasicAuthUsers.fromSecret`)
   */
  readonly htpasswd?: string;
}

/** TLS, resolved. */
export type ResolvedTls =
  | { readonly kind: 'issuer'; readonly issuer: CertificateIssuer }
  | { readonly kind: 'acm'; readonly arn: string };

/** The defaults of IngressWithAuth. */
export const INGRESS_DEFAULTS = {
  name: 'ingress',
  path: '/',
  realm: 'Restricted',
} as const;

/** AWS NLB TLS listeners: TLS 1.3 and 1.2 only. */
export const AWS_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

const WILDCARD_HOST = /^\*\.(.+)$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const SHA_HASH = /^\{SHA\}[A-Za-z0-9+/]{27}=$/;
const REALM = /^[\x20-\x7e]{1,64}$/;
const AZURE_DNS_LABEL = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/;

/** Why `host` is not a DNS name a route can serve, or undefined. Wildcards (`*.example.com`) are allowed. */
export function hostProblem(host: string): string | undefined {
  const wildcard = WILDCARD_HOST.exec(host);
  const name = wildcard ? wildcard[1] ?? '' : host;
  if (name.includes('*')) return "is not a valid DNS name: '*' is allowed only as the whole first label ('*.example.com')";
  const problem = dns1123SubdomainProblem(name);
  if (problem) return `is not a valid DNS name: it ${problem}`;
  // Gateway API and Ingress hostnames may not be IP addresses; a bare name has no zone to certify.
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'is an IP address; a route\'s host is a DNS name (certificates and Gateway listeners match names)';
  if (!wildcard && !name.includes('.')) return 'is a single label, not a fully qualified name';
  return undefined;
}

/** The namespace of a route's backend Service, when the backend says (else the route's own). */
export function backendNamespace(backend: RouteBackend): string | undefined {
  if (backend instanceof HardenedDeployment) return backend.namespace;
  if (backend instanceof kplus.Service) return backend.metadata.namespace;
  return backend.namespace;
}

/**
 * Routes by the namespace of their backend, in the order the namespaces first appear; a
 * backend that names none goes under `fallback`. ingress-nginx needs one Ingress per
 * namespace, since an Ingress reaches only Services of its own.
 */
export function routesByNamespace(routes: readonly IngressRoute[], fallback: string): Map<string, IngressRoute[]> {
  const byNamespace = new Map<string, IngressRoute[]>();
  for (const route of routes) {
    const namespace = backendNamespace(route.backend) ?? fallback;
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), route]);
  }
  return byNamespace;
}

/** Why `path` is not a path prefix a route can match, or undefined. */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return "must start with '/'";
  if (/[\s?#%]/.test(path)) return 'must not contain whitespace, \'?\', \'#\' or \'%\' (query strings and escapes do not match a path prefix)';
  if (path.includes('//') || /\/\.{1,2}(\/|$)/.test(path)) return "must not contain '//', '/./' or '/../'";
  return undefined;
}

/** A DNS-label-shaped name part for a host: `app.example.com` → `app-example-com`, `*.example.com` → `wildcard-example-com`. */
export function hostSlug(host: string): string {
  return host.replace(/^\*\./, 'wildcard.').replace(/\./g, '-');
}

/** Gives each host a distinct slug; two hosts with the same slug (`a-b.c`, `a.b-c`) get a hash suffix. */
export function hostSlugs(hosts: readonly string[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const host of hosts) counts.set(hostSlug(host), (counts.get(hostSlug(host)) ?? 0) + 1);
  return new Map(hosts.map((host) => {
    const slug = hostSlug(host);
    return [host, (counts.get(slug) ?? 0) > 1 ? `${slug}-${createHash('sha256').update(host).digest('hex').slice(0, 6)}` : slug];
  }));
}

/** The resolver, bound to one construct for its messages. */
export class IngressResolver {
  /** The construct's props checks; every problem is thrown from here. */
  readonly v: PropsValidator;

  constructor(scope: IConstruct) {
    this.v = new PropsValidator(KIND, scope);
  }

  routes(routes: readonly IngressRoute[], namespace: string, controller: IngressController): ResolvedRoute[] {
    if (routes.length === 0) throw this.v.error({ field: 'routes', problem: 'is empty', expected: 'at least one { host, backend }' });
    const hosts = [...new Set(routes.map((r) => r.host))];
    routes.forEach((route, i) => {
      const problem = hostProblem(route.host);
      if (problem) throw this.v.error({ field: `routes[${i}].host`, value: route.host, problem, expected: 'e.g. app.example.com or *.example.com' });
      if (route.path !== undefined) {
        const pathIssue = pathProblem(route.path);
        if (pathIssue) throw this.v.error({ field: `routes[${i}].path`, value: route.path, problem: pathIssue, expected: "e.g. '/api'" });
      }
    });
    const slugs = hostSlugs(hosts);
    const seen = new Map<string, number>();
    return routes.map((route, i) => {
      const path = route.path ?? INGRESS_DEFAULTS.path;
      const key = `${route.host}${path}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) throw this.v.error({ field: `routes[${i}]`, value: key, problem: `repeats routes[${earlier}]`, expected: 'each host and path once' });
      seen.set(key, i);
      const backend = this.backend(i, route, namespace, controller);
      return { host: route.host, slug: slugs.get(route.host) ?? hostSlug(route.host), path, public: route.public ?? false, ...backend };
    });
  }

  private backend(i: number, route: IngressRoute, namespace: string, controller: IngressController) {
    const b = route.backend;
    let serviceName: string;
    let ports: number[] | undefined;
    let workload: HardenedDeployment | undefined;
    const serviceNamespace = backendNamespace(b);
    if (b instanceof HardenedDeployment) {
      if (!b.service) throw this.v.error({ field: `routes[${i}].backend`, problem: `has no Service, because HardenedDeployment '${b.node.path}' declares no container ports`, expected: 'a workload with ports' });
      serviceName = b.name;
      ports = b.service.ports.map((p) => p.port);
      workload = b;
    } else if (b instanceof kplus.Service) {
      serviceName = b.name;
      ports = b.ports.map((p) => p.port);
    } else {
      this.v.check(`routes[${i}].backend.name`, b.name, dns1123SubdomainProblem);
      serviceName = b.name;
    }
    const ns = serviceNamespace ?? namespace;
    if (ns !== namespace && controller.kind === 'ingress-nginx') {
      throw this.v.conflict(`routes[${i}].backend (Service '${serviceName}') is in namespace '${ns}', but an Ingress can only reach Services in its own namespace ('${namespace}'); expected a backend in '${namespace}', or the Envoy Gateway controller`);
    }
    let port = route.port;
    if (port === undefined) {
      if (ports === undefined) throw this.v.error({ field: `routes[${i}].port`, problem: `is not set and the ports of Service '${serviceName}' are not known`, expected: 'the Service port number' });
      if (ports.length !== 1) throw this.v.error({ field: `routes[${i}].port`, problem: `is not set and Service '${serviceName}' has ${ports.length} ports (${ports.join(', ')})`, expected: 'one of them' });
      port = ports[0] as number;
    } else if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw this.v.error({ field: `routes[${i}].port`, value: port, problem: 'is not a port number', expected: '1 to 65535' });
    } else if (ports !== undefined && !ports.includes(port)) {
      throw this.v.error({ field: `routes[${i}].port`, value: port, problem: `is not a port of Service '${serviceName}'`, expected: `one of ${ports.join(', ')}` });
    }
    return { serviceName, serviceNamespace: ns, port, ...(workload && { workload }) };
  }

  auth(basicAuth: BasicAuth | undefined, routes: readonly ResolvedRoute[], name: string, controller: IngressController): ResolvedAuth | undefined {
    const secured = routes.findIndex((r) => !r.public);
    if (!basicAuth) {
      if (secured >= 0) {
        const route = routes[secured] as ResolvedRoute;
        throw this.v.conflict(`routes[${secured}] (${route.host}${route.path}) is not public, but basicAuth is not set; expected basicAuth with users, or public: true on the route`);
      }
      return undefined;
    }
    if (secured < 0) throw this.v.conflict('basicAuth is set but every route is public; expected at least one route without public: true, or no basicAuth');
    const users = basicAuth.users;
    if (users.usernames.length === 0) throw this.v.error({ field: 'basicAuth.users', problem: 'has no users', expected: 'at least one user' });
    const seen = new Set<string>();
    users.usernames.forEach((username, i) => {
      const problem = htpasswdUsernameProblem(username);
      if (problem) throw this.v.error({ field: `basicAuth.users[${i}]`, value: username, problem });
      if (seen.has(username)) throw this.v.error({ field: `basicAuth.users[${i}]`, value: username, problem: 'appears twice', expected: 'each user once' });
      seen.add(username);
    });
    const realm = basicAuth.realm ?? INGRESS_DEFAULTS.realm;
    if (!REALM.test(realm) || /["\\$;{}]/.test(realm)) {
      throw this.v.error({ field: 'basicAuth.realm', value: realm, problem: `must be 1 to 64 printable ASCII characters without '"', '\\', '$', ';', '{' or '}'` });
    }
    const verifier = controller.kind === 'ingress-nginx' ? 'ingress-nginx' : basicAuth.verifier ?? 'nginx';
    if (controller.kind === 'ingress-nginx' && basicAuth.verifier !== undefined) {
      throw this.v.error({ field: 'basicAuth.verifier', value: basicAuth.verifier, problem: 'applies to Envoy Gateway only; ingress-nginx checks bcrypt itself, so leave it unset' });
    }
    if (verifier !== 'nginx' && verifier !== 'envoy-native' && verifier !== 'ingress-nginx') {
      throw this.v.error({ field: 'basicAuth.verifier', value: verifier, problem: 'is not a verifier', expected: "'nginx' or 'envoy-native'" });
    }
    const requiredKey = verifier === 'envoy-native' ? '.htpasswd' : verifier === 'ingress-nginx' ? 'auth' : undefined;
    const defaultKey = verifier === 'ingress-nginx' ? 'auth' : '.htpasswd';
    if (users.secret) {
      this.v.check('basicAuth.users.secret.name', users.secret.name, dns1123SubdomainProblem);
      const key = users.secret.key ?? defaultKey;
      if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw this.v.error({ field: 'basicAuth.users.secret.key', value: key, problem: 'is not a Secret key', expected: "letters, digits, '-', '_' or '.'" });
      if (requiredKey !== undefined && key !== requiredKey) {
        const who = verifier === 'envoy-native' ? "Envoy's native basic auth" : 'ingress-nginx';
        throw this.v.error({ field: 'basicAuth.users.secret.key', value: key, problem: `is not read by ${who}, which reads only '${requiredKey}'`, expected: `'${requiredKey}'` });
      }
      return { realm, verifier, usernames: users.usernames, secretName: users.secret.name, secretKey: key };
    }
    const hashes = users.hashes ?? {};
    const lines = users.usernames.map((username, i) => {
      const hash = hashes[username] ?? '';
      // Never show the value: a value that is not a hash may be a password.
      if (verifier === 'envoy-native') {
        if (!SHA_HASH.test(hash)) throw this.v.error({ field: `basicAuth.users[${i}]`, value: username, problem: "is not a {SHA} hash (the value is not shown), the only kind Envoy's native basic auth reads", expected: "'{SHA}' + base64 SHA-1, e.g. from 'htpasswd -nbs'" });
      } else if (!isBcryptHash(hash)) {
        throw this.v.error({ field: `basicAuth.users[${i}]`, value: username, problem: 'is not a bcrypt hash (the value is not shown)', expected: "'$2b$…' from hashPassword(), never a plaintext password" });
      }
      return `${username}:${hash}\n`;
    });
    return { realm, verifier, usernames: users.usernames, secretName: `${name}-basic-auth`, secretKey: defaultKey, htpasswd: lines.join('') };
  }

  tls(tls: IngressTls | undefined, routes: readonly ResolvedRoute[], loadBalancer: IngressLoadBalancer | undefined): ResolvedTls | undefined {
    if (!tls) return undefined;
    const { issuer, acmCertificateArn: arn } = tls;
    if (issuer === undefined && arn === undefined) {
      throw this.v.error({ field: 'tls', problem: 'has neither issuer nor acmCertificateArn', expected: 'a cert-manager issuer (e.g. LetsEncryptIssuers.production) or an ACM certificate ARN' });
    }
    if (issuer !== undefined && arn !== undefined) throw this.v.conflict('Only one of `tls.issuer` or `tls.acmCertificateArn` can be provided.');
    if (arn !== undefined) {
      if (!ACM_ARN.test(arn)) throw this.v.error({ field: 'tls.acmCertificateArn', value: arn, problem: 'is not an ACM certificate ARN', expected: 'arn:aws:acm:<region>:<account>:certificate/<id>' });
      if (loadBalancer?.cloud !== 'aws') {
        throw this.v.conflict(`tls.acmCertificateArn is set but loadBalancer is ${loadBalancer ? `'${loadBalancer.cloud}'` : 'not set'}; an ACM certificate is served by an AWS NLB: expected loadBalancer: IngressLoadBalancer.aws()`);
      }
      return { kind: 'acm', arn };
    }
    const resolved = issuer as CertificateIssuer;
    this.v.check('tls.issuer.name', resolved.name, dns1123SubdomainProblem);
    if (resolved.kind !== 'ClusterIssuer' && resolved.kind !== 'Issuer') throw this.v.error({ field: 'tls.issuer.kind', value: resolved.kind, problem: 'is not a cert-manager issuer kind', expected: "'ClusterIssuer' or 'Issuer'" });
    if (resolved.http01Only) {
      const wildcard = routes.find((r) => r.host.startsWith('*.'));
      if (wildcard) {
        throw this.v.conflict(`routes host ${shown(wildcard.host)} is a wildcard, which issuer '${resolved.name}' cannot certify: HTTP-01 challenges cannot prove control of a wildcard name; expected a DNS-01 issuer or explicit host names`);
      }
    }
    return { kind: 'issuer', issuer: resolved };
  }

  /** The Service annotations of the load balancer (the Envoy Service, or ingress-nginx's controller Service). */
  loadBalancerAnnotations(loadBalancer: IngressLoadBalancer | undefined, tls: ResolvedTls | undefined): Record<string, string> | undefined {
    if (!loadBalancer) return undefined;
    if (loadBalancer.cloud === 'aws') {
      return {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': loadBalancer.aws.internal ? 'internal' : 'internet-facing',
        ...(tls?.kind === 'acm' && {
          'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': tls.arn,
          'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
          'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'tcp',
          'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': AWS_TLS_POLICY,
        }),
      };
    }
    const azure = loadBalancer.azure;
    if (azure.internal && (azure.publicIpName !== undefined || azure.dnsLabel !== undefined)) {
      const field = azure.publicIpName !== undefined ? 'publicIpName' : 'dnsLabel';
      throw this.v.conflict(`loadBalancer.${field} is set on an internal load balancer, which has no public IP; expected internal: false, or no ${field}`);
    }
    if (azure.publicIpResourceGroup !== undefined && azure.publicIpName === undefined) {
      throw this.v.conflict('loadBalancer.publicIpResourceGroup is set without publicIpName; expected the name of the public IP in that resource group');
    }
    if (azure.publicIpName !== undefined && !/^[A-Za-z0-9][-A-Za-z0-9_.]{0,78}[A-Za-z0-9_]$|^[A-Za-z0-9]$/.test(azure.publicIpName)) {
      throw this.v.error({ field: 'loadBalancer.publicIpName', value: azure.publicIpName, problem: 'is not an Azure resource name', expected: "1 to 80 letters, digits, '-', '_' or '.'" });
    }
    if (azure.dnsLabel !== undefined && !AZURE_DNS_LABEL.test(azure.dnsLabel)) {
      throw this.v.error({ field: 'loadBalancer.dnsLabel', value: azure.dnsLabel, problem: 'is not an Azure DNS label', expected: "3 to 63 lower-case letters, digits and '-', starting with a letter" });
    }
    if (azure.healthProbePath !== undefined) {
      const problem = pathProblem(azure.healthProbePath);
      if (problem) throw this.v.error({ field: 'loadBalancer.healthProbePath', value: azure.healthProbePath, problem, expected: "e.g. '/healthz'" });
    }
    return {
      ...(azure.internal && { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' }),
      ...(azure.publicIpName !== undefined && { 'service.beta.kubernetes.io/azure-pip-name': azure.publicIpName }),
      ...(azure.publicIpResourceGroup !== undefined && { 'service.beta.kubernetes.io/azure-load-balancer-resource-group': azure.publicIpResourceGroup }),
      ...(azure.dnsLabel !== undefined && { 'service.beta.kubernetes.io/azure-dns-label-name': azure.dnsLabel }),
      ...(azure.healthProbePath !== undefined && { 'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': azure.healthProbePath }),
    };
  }

  names(name: string, namespace: string, controller: IngressController): void {
    this.v.check('name', name, (value) => dns1035LabelProblem(value) ?? (value.length > 40 ? `must be no more than 40 characters (got ${value.length}), leaving room for the suffixes of the objects' names` : undefined));
    this.v.check('namespace', namespace, dns1123LabelProblem);
    this.v.check('controller.className', controller.className, dns1123SubdomainProblem);
    this.v.check('controller.proxyNamespace', controller.proxyNamespace, dns1123LabelProblem);
  }
}
