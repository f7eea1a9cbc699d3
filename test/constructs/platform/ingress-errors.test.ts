/**
 * IngressWithAuth bad input: each error names the construct path, the field, the value and
 * what is expected; a value that may be a password is never shown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { HardenedDeployment } from '../../../constructs/workloads/hardened-deployment.js';
import { Probe } from '../../../constructs/workloads/probe.js';
import {
  BasicAuthUsers, IngressController, IngressLoadBalancer, IngressWithAuth, type IngressWithAuthProps,
} from '../../../constructs/platform/ingress-with-auth.js';
import { hashPassword } from '../../../constructs/platform/htpasswd.js';

const PRODUCTION = { name: 'letsencrypt-production', kind: 'ClusterIssuer', http01Only: true } as const;
const USERS = BasicAuthUsers.fromSecret({ name: 'todo-users' }, ['alice']);

function build(props: (backend: HardenedDeployment) => Partial<IngressWithAuthProps>, ports = [{ number: 8080, name: 'http' }]) {
  const chart = Testing.chart();
  const backend = new HardenedDeployment(chart, 'Api', {
    name: 'todoapi', namespace: 'todo', image: 'ghcr.io/acme/todoapi:1.2.0', ports,
    resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '256Mi' } },
    liveness: Probe.waived('test'), readiness: Probe.waived('test'),
  });
  return new IngressWithAuth(chart, 'ingress', {
    namespace: 'todo',
    routes: [{ host: 'todo.acme.dev', backend }],
    basicAuth: { users: USERS },
    tls: { issuer: PRODUCTION },
    ...props(backend),
  });
}

function fails(what: string, props: (backend: HardenedDeployment) => Partial<IngressWithAuthProps>, message: string, ports?: { number: number; name: string }[]) {
  it(`throws if ${what}`, () => {
    assert.throws(() => build(props, ports), { message: `IngressWithAuth 'test/ingress': ${message}` });
  });
}

describe('IngressWithAuth bad input', () => {
  fails('the verifier\'s autoscaling is inverted, naming the user\'s prop, not the internal verifier Deployment',
    () => ({ basicAuth: { users: USERS, verifierAutoscaling: { minReplicas: 5, maxReplicas: 2 } } }),
    'basicAuth.verifierAutoscaling.minReplicas (5) is greater than basicAuth.verifierAutoscaling.maxReplicas (2)');
  fails('basic auth has no users', () => ({ basicAuth: { users: BasicAuthUsers.fromSecret({ name: 'todo-users' }, []) } }),
    'basicAuth.users has no users; expected at least one user');
  fails('basic auth has no users (hashed)', () => ({ basicAuth: { users: BasicAuthUsers.hashed({}) } }),
    'basicAuth.users has no users; expected at least one user');
  fails('a host is not a DNS name', (backend) => ({ routes: [{ host: 'Todo_App.acme.dev', backend }] }),
    "routes[0].host ('Todo_App.acme.dev') is not a valid DNS name: it must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character; expected e.g. app.example.com or *.example.com");
  fails('a host is an IP address', (backend) => ({ routes: [{ host: '203.0.113.10', backend }] }),
    "routes[0].host ('203.0.113.10') is an IP address; a route's host is a DNS name (certificates and Gateway listeners match names); expected e.g. app.example.com or *.example.com");
  fails('a host is a single label', (backend) => ({ routes: [{ host: 'todo', backend }] }),
    "routes[0].host ('todo') is a single label, not a fully qualified name; expected e.g. app.example.com or *.example.com");
  fails('a wildcard is not the whole first label', (backend) => ({ routes: [{ host: 'app.*.acme.dev', backend }] }),
    "routes[0].host ('app.*.acme.dev') is not a valid DNS name: '*' is allowed only as the whole first label ('*.example.com'); expected e.g. app.example.com or *.example.com");
  fails('a path does not start with /', (backend) => ({ routes: [{ host: 'todo.acme.dev', backend }, { host: 'todo.acme.dev', path: 'api', backend }] }),
    "routes[1].path ('api') must start with '/'; expected e.g. '/api'");
  fails('a path has a query string', (backend) => ({ routes: [{ host: 'todo.acme.dev', path: '/api?x=1', backend }] }),
    "routes[0].path ('/api?x=1') must not contain whitespace, '?', '#' or '%' (query strings and escapes do not match a path prefix); expected e.g. '/api'");
  fails('a route goes to a port the Service does not have', (backend) => ({ routes: [{ host: 'todo.acme.dev', backend, port: 9090 }] }),
    "routes[0].port (9090) is not a port of Service 'todoapi'; expected one of 8080");
  fails('a route to a Service with several ports names none', (backend) => ({ routes: [{ host: 'todo.acme.dev', backend }] }),
    "routes[0].port is not set and Service 'todoapi' has 2 ports (8080, 9090); expected one of them", [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }]);
  fails('a route to an unknown Service names no port', () => ({ routes: [{ host: 'todo.acme.dev', backend: { name: 'legacy' } }] }),
    "routes[0].port is not set and the ports of Service 'legacy' are not known; expected the Service port number");
  fails('a route goes to a workload without a Service', () => ({ routes: [{ host: 'todo.acme.dev', backend: new HardenedDeployment(Testing.chart(), 'Worker', { image: 'w:1', resources: { cpu: { request: '1' }, memory: { request: '1Gi', limit: '1Gi' } }, liveness: Probe.waived('t'), readiness: Probe.waived('t') }) }] }),
    "routes[0].backend has no Service, because HardenedDeployment 'test/Worker' declares no container ports; expected a workload with ports");
  fails('TLS has neither issuer nor certificate', () => ({ tls: {} }),
    'tls has neither issuer nor acmCertificateArn; expected a cert-manager issuer (e.g. LetsEncryptIssuers.production) or an ACM certificate ARN');
  fails('TLS has both issuer and certificate', () => ({ tls: { issuer: PRODUCTION, acmCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b5b7f2e-8c1f-4c7e-9d1e-2a3b4c5d6e7f' }, loadBalancer: IngressLoadBalancer.aws() }),
    'Only one of `tls.issuer` or `tls.acmCertificateArn` can be provided.');
  fails('an ACM certificate has no AWS load balancer', () => ({ tls: { acmCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b5b7f2e-8c1f-4c7e-9d1e-2a3b4c5d6e7f' } }),
    'tls.acmCertificateArn is set but loadBalancer is not set; an ACM certificate is served by an AWS NLB: expected loadBalancer: IngressLoadBalancer.aws()');
  fails('an ACM ARN is malformed', () => ({ tls: { acmCertificateArn: 'arn:aws:acm:eu-west-1:1234:cert' }, loadBalancer: IngressLoadBalancer.aws() }),
    "tls.acmCertificateArn ('arn:aws:acm:eu-west-1:1234:cert') is not an ACM certificate ARN; expected arn:aws:acm:<region>:<account>:certificate/<id>");
  fails('an HTTP-01 issuer would have to certify a wildcard', (backend) => ({ routes: [{ host: '*.acme.dev', backend }] }),
    "routes host '*.acme.dev' is a wildcard, which issuer 'letsencrypt-production' cannot certify: HTTP-01 challenges cannot prove control of a wildcard name; expected a DNS-01 issuer or explicit host names");
  fails('a secure route has no basic auth', (backend) => ({ routes: [{ host: 'todo.acme.dev', backend }], basicAuth: undefined }),
    'routes[0] (todo.acme.dev/) is not public, but basicAuth is not set; expected basicAuth with users, or public: true on the route');
  fails('basic auth protects nothing', (backend) => ({ routes: [{ host: 'todo.acme.dev', backend, public: true }] }),
    'basicAuth is set but every route is public; expected at least one route without public: true, or no basicAuth');
  fails('a route repeats', (backend) => ({ routes: [{ host: 'todo.acme.dev', backend }, { host: 'todo.acme.dev', path: '/', backend, public: true }] }),
    "routes[1] ('todo.acme.dev/') repeats routes[0]; expected each host and path once");
  fails('there are no routes', () => ({ routes: [] }), 'routes is empty; expected at least one { host, backend }');
  fails('a user name has a colon', () => ({ basicAuth: { users: BasicAuthUsers.fromSecret({ name: 'todo-users' }, ['a:b']) } }),
    "basicAuth.users[0] ('a:b') contains ':', which separates the user name from the hash in an htpasswd line");
  fails('the realm would break the nginx configuration', () => ({ basicAuth: { users: USERS, realm: 'staff"; return 200; #' } }),
    "basicAuth.realm ('staff\"; return 200; #') must be 1 to 64 printable ASCII characters without '\"', '\\', '$', ';', '{' or '}'");
  fails('Envoy native basic auth is given bcrypt lines', () => ({ basicAuth: { users: BasicAuthUsers.hashed({ alice: hashPassword('pw', { rounds: 4 }) }), verifier: 'envoy-native' } }),
    "basicAuth.users[0] ('alice') is not a {SHA} hash (the value is not shown), the only kind Envoy's native basic auth reads; expected '{SHA}' + base64 SHA-1, e.g. from 'htpasswd -nbs'");
  fails('Envoy native basic auth reads a key it ignores', () => ({ basicAuth: { users: BasicAuthUsers.fromSecret({ name: 'u', key: 'auth' }, ['alice']), verifier: 'envoy-native' } }),
    "basicAuth.users.secret.key ('auth') is not read by Envoy's native basic auth, which reads only '.htpasswd'; expected '.htpasswd'");
  fails('ingress-nginx is given a verifier', () => ({ controller: IngressController.ingressNginx(), basicAuth: { users: USERS, verifier: 'nginx' } }),
    "basicAuth.verifier ('nginx') applies to Envoy Gateway only; ingress-nginx checks bcrypt itself, so leave it unset");
  fails('ingress-nginx routes to another namespace', () => ({ controller: IngressController.ingressNginx(), routes: [{ host: 'todo.acme.dev', backend: { name: 'reports', namespace: 'analytics' }, port: 80 }] }),
    "routes[0].backend (Service 'reports') is in namespace 'analytics', but an Ingress can only reach Services in its own namespace ('todo'); expected a backend in 'todo', or the Envoy Gateway controller");
  fails('an Azure internal load balancer has a DNS label', () => ({ loadBalancer: IngressLoadBalancer.azure({ internal: true, dnsLabel: 'todo' }) }),
    'loadBalancer.dnsLabel is set on an internal load balancer, which has no public IP; expected internal: false, or no dnsLabel');
  fails('an Azure DNS label is malformed', () => ({ loadBalancer: IngressLoadBalancer.azure({ dnsLabel: 'Todo_App' }) }),
    "loadBalancer.dnsLabel ('Todo_App') is not an Azure DNS label; expected 3 to 63 lower-case letters, digits and '-', starting with a letter");
  fails('an Azure health probe path is relative', () => ({ loadBalancer: IngressLoadBalancer.azure({ healthProbePath: 'healthz' }) }),
    "loadBalancer.healthProbePath ('healthz') must start with '/'; expected e.g. '/healthz'");
  fails('the name is not a DNS label', () => ({ name: 'Web' }),
    "name ('Web') must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character");

  it('throws if a hashed value is not a bcrypt hash, without showing it (it may be a password)', () => {
    const password = 'hunter2-plaintext';
    assert.throws(() => build(() => ({ basicAuth: { users: BasicAuthUsers.hashed({ alice: password }) } })), (error: Error) => {
      assert.equal(error.message, "IngressWithAuth 'test/ingress': basicAuth.users[0] ('alice') is not a bcrypt hash (the value is not shown); expected '$2b$…' from hashPassword(), never a plaintext password");
      assert.ok(!error.message.includes(password));
      return true;
    });
  });
});
