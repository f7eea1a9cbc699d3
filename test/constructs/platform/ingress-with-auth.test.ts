/**
 * IngressWithAuth: the Gateway API objects and defaults, public and secure routes, the
 * nginx verifier and Envoy's native basic auth, TLS from cert-manager or ACM, AWS and
 * Azure load balancers, the legacy ingress-nginx option, warnings, the validation spine,
 * and no password in the output.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { validateManifests } from '../../../constructs/policy/validate.js';
import { constructWarnings } from '../../../constructs/core/warnings.js';
import type { ManifestObject } from '../../../constructs/policy/finding.js';
import {
  BasicAuthUsers, IngressController, IngressLoadBalancer, IngressWithAuth, VERIFIER_IMAGE, verifierNginxConf,
} from '../../../constructs/platform/ingress-with-auth.js';
import { Http01Solver, LetsEncryptIssuers } from '../../../constructs/platform/cert-issuers.js';
import { htpasswd } from '../../../constructs/platform/htpasswd.js';
import { HardenedDeployment } from '../../../constructs/workloads/hardened-deployment.js';
import { Probe } from '../../../constructs/workloads/probe.js';
import type { Construct } from 'constructs';
import type { IngressWithAuthProps } from '../../../constructs/platform/ingress-with-auth.js';


/** Known passwords; the tests prove they never reach the output. */
const PASSWORDS = { alice: 'correct horse battery staple', bob: 'b0b-likes-long-passw0rds' } as const;

/** The users as `BasicAuthUsers.hashed` takes them, hashed through `htpasswd()` (cost 4: fast tests). */
function hashedUsers(): Record<string, string> {
  const content = htpasswd(Object.entries(PASSWORDS).map(([username, password]) => ({ username, password })), { rounds: 4 });
  return Object.fromEntries(content.trim().split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
}

function api(scope: Construct, ports = [{ number: 8080, name: 'http' }]): HardenedDeployment {
  return new HardenedDeployment(scope, 'Api', {
    name: 'todoapi',
    namespace: 'todo',
    image: 'ghcr.io/acme/todoapi:1.2.0',
    ports,
    resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '256Mi' } },
    liveness: Probe.httpGet('/healthz'),
    readiness: Probe.httpGet('/ready'),
  });
}

/** Builds an IngressWithAuth over the `todoapi` HardenedDeployment; `props` may use it. */
function build(props: (backend: HardenedDeployment) => Omit<IngressWithAuthProps, 'namespace'> & { namespace?: string }) {
  const chart = Testing.chart();
  const backend = api(chart);
  const ingress = new IngressWithAuth(chart, 'ingress', { namespace: 'todo', ...props(backend) });
  return { ingress, backend, objects: Testing.synth(chart) as ManifestObject[] };
}

/** The object of this kind and name. */
function find(objects: readonly ManifestObject[], kind: string, name?: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} in ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found;
}

const PRODUCTION = { name: 'letsencrypt-production', kind: 'ClusterIssuer', http01Only: true } as const;
const ACM_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b5b7f2e-8c1f-4c7e-9d1e-2a3b4c5d6e7f';

const spine = async (objects: ManifestObject[]) => (await validateManifests(objects.map((object) => ({ object })))).errors;

describe('IngressWithAuth defaults (Envoy Gateway, nginx verifier, cert-manager TLS)', () => {
  const { ingress, objects } = build((backend) => ({
    routes: [
      { host: 'todo.acme.dev', backend },
      { host: 'todo.acme.dev', path: '/public', backend, public: true },
      { host: 'admin.acme.dev', path: '/', backend },
    ],
    basicAuth: { users: BasicAuthUsers.fromSecret({ name: 'todo-users' }, ['alice', 'bob']) },
    tls: { issuer: PRODUCTION },
  }));

  it('makes the Gateway API objects, a verifier and a Certificate per host', () => {
    assert.deepEqual(objects.filter((o) => o.metadata?.labels?.['app.kubernetes.io/component'] !== undefined || o.kind !== 'Deployment').map((o) => `${o.kind}/${o.metadata?.name}`), [
      'Service/todoapi', 'PodDisruptionBudget/todoapi', 'NetworkPolicy/todoapi',
      'Deployment/ingress-auth-verifier', `ConfigMap/${find(objects, 'ConfigMap').metadata.name}`, 'Service/ingress-auth-verifier',
      'HorizontalPodAutoscaler/ingress-auth-verifier', 'PodDisruptionBudget/ingress-auth-verifier', 'NetworkPolicy/ingress-auth-verifier',
      'Certificate/ingress-todo-acme-dev', 'Certificate/ingress-admin-acme-dev',
      'Gateway/ingress',
      'HTTPRoute/ingress-todo-acme-dev-public', 'HTTPRoute/ingress-todo-acme-dev-secure', 'HTTPRoute/ingress-admin-acme-dev-secure',
      'HTTPRoute/ingress-https-redirect', 'SecurityPolicy/ingress-basic-auth', 'NetworkPolicy/todoapi-from-ingress',
    ]);
    assert.equal(ingress.controller.kind, 'envoy-gateway');
    assert.deepEqual(ingress.warnings, []);
  });

  it('a Gateway with an HTTP listener and an HTTPS listener per host, on the envoy-gateway class', () => {
    const gateway = find(objects, 'Gateway');
    assert.equal(gateway.spec.gatewayClassName, 'envoy-gateway');
    assert.equal(gateway.spec.infrastructure, undefined);
    assert.deepEqual(gateway.spec.listeners, [
      { name: 'http', port: 80, protocol: 'HTTP' },
      { name: 'https-todo-acme-dev', port: 443, protocol: 'HTTPS', hostname: 'todo.acme.dev', tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'ingress-todo-acme-dev-tls' }] } },
      { name: 'https-admin-acme-dev', port: 443, protocol: 'HTTPS', hostname: 'admin.acme.dev', tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'ingress-admin-acme-dev-tls' }] } },
    ]);
  });

  it('one Certificate per host from the issuer, written to the listener\'s Secret', () => {
    assert.deepEqual(find(objects, 'Certificate', 'ingress-todo-acme-dev').spec, {
      secretName: 'ingress-todo-acme-dev-tls',
      dnsNames: ['todo.acme.dev'],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-production' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    });
  });

  it('routes per host and access on the host\'s HTTPS listener, and HTTP redirected to HTTPS', () => {
    const secure = find(objects, 'HTTPRoute', 'ingress-todo-acme-dev-secure');
    assert.deepEqual(secure.spec, {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress', sectionName: 'https-todo-acme-dev' }],
      hostnames: ['todo.acme.dev'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 'todoapi', port: 8080 }] }],
    });
    assert.deepEqual(find(objects, 'HTTPRoute', 'ingress-todo-acme-dev-public').spec.rules[0].matches, [{ path: { type: 'PathPrefix', value: '/public' } }]);
    assert.deepEqual(find(objects, 'HTTPRoute', 'ingress-https-redirect').spec, {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress', sectionName: 'http' }],
      hostnames: ['todo.acme.dev', 'admin.acme.dev'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  it('a SecurityPolicy on the secure routes only, calling the verifier through extAuth', () => {
    assert.deepEqual(find(objects, 'SecurityPolicy').spec, {
      targetRefs: [
        { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'ingress-todo-acme-dev-secure' },
        { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'ingress-admin-acme-dev-secure' },
      ],
      extAuth: { http: { backendRefs: [{ group: '', kind: 'Service', name: 'ingress-auth-verifier', port: 8080 }], pathOverride: '/verify' } },
    });
  });

  it('the verifier: pinned nginx, hashed config, the users Secret mounted, writable /tmp, autoscaled', () => {
    const deployment = find(objects, 'Deployment', 'ingress-auth-verifier');
    const pod = deployment.spec.template.spec;
    const main = pod.containers[0];
    assert.equal(main.image, VERIFIER_IMAGE);
    assert.equal(VERIFIER_IMAGE, 'nginxinc/nginx-unprivileged:1.30.5');
    assert.deepEqual(main.command, ['nginx', '-e', 'stderr', '-c', '/etc/verifier/conf/nginx.conf']);
    assert.deepEqual(main.volumeMounts.map((m: { mountPath: string }) => m.mountPath), ['/etc/verifier/conf', '/tmp', '/etc/verifier/users']);
    assert.deepEqual(pod.volumes.find((v: { name: string }) => v.name === 'users').secret, { secretName: 'todo-users', items: [{ key: '.htpasswd', path: 'htpasswd' }] });
    assert.equal(main.securityContext.readOnlyRootFilesystem, true);
    const configMap = find(objects, 'ConfigMap');
    assert.match(configMap.metadata.name, /^ingress-auth-verifier-config-[0-9a-f]{10}$/);
    assert.equal(configMap.data['nginx.conf'], verifierNginxConf('Restricted'));
    assert.equal(configMap.immutable, true);
    const hpa = find(objects, 'HorizontalPodAutoscaler');
    assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [2, 6]);
  });

  it('the verifier admits only this Gateway\'s Envoy pods in envoy-gateway-system', () => {
    assert.deepEqual(find(objects, 'NetworkPolicy', 'ingress-auth-verifier').spec.ingress, [{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
        podSelector: { matchLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'ingress', 'gateway.envoyproxy.io/owning-gateway-namespace': 'todo' } },
      }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  it('lets the same Envoy pods reach the HardenedDeployment backend on the routed port', () => {
    const policy = find(objects, 'NetworkPolicy', 'todoapi-from-ingress');
    assert.deepEqual(policy.spec.podSelector, { matchLabels: find(objects, 'Deployment', 'todoapi').spec.selector.matchLabels });
    assert.deepEqual(policy.spec.ingress[0].ports, [{ protocol: 'TCP', port: 8080 }]);
    assert.equal(policy.spec.ingress[0].from[0].podSelector.matchLabels['gateway.envoyproxy.io/owning-gateway-name'], 'ingress');
  });

  it('passes the validation spine', async () => assert.deepEqual(await spine(objects), []));
});

describe('IngressWithAuth verifier nginx.conf', () => {
  it('answers auth_basic from ../users/htpasswd, 200 from a named location, with the realm quoted', () => {
    const conf = verifierNginxConf('Todo staff');
    assert.match(conf, /location = \/verify \{\n {6}auth_basic "Todo staff";\n {6}auth_basic_user_file \.\.\/users\/htpasswd;\n {6}try_files \/\.authenticated @authenticated;\n {4}\}/);
    assert.match(conf, /location @authenticated \{\n {6}return 200;\n {4}\}/);
    assert.match(conf, /^pid \/tmp\/nginx\.pid;$/m);
    assert.match(conf, /^ {4}listen 8080;$/m);
  });
});

describe('IngressWithAuth passwords', () => {
  it('writes hashed users to a Secret and never a plaintext password anywhere in the output', async () => {
    const chart = Testing.chart();
    const backend = api(chart);
    const ingress = new IngressWithAuth(chart, 'ingress', {
      namespace: 'todo',
      routes: [{ host: 'todo.acme.dev', backend }],
      basicAuth: { users: BasicAuthUsers.hashed(hashedUsers()) },
      tls: { issuer: PRODUCTION },
    });
    new LetsEncryptIssuers(chart, 'issuers', { email: 'platform@acme.dev', http01: Http01Solver.gateway(ingress.http01Listener) });
    const objects = Testing.synth(chart) as ManifestObject[];
    const secret = find(objects, 'Secret', 'ingress-basic-auth');
    const lines = (secret.stringData['.htpasswd'] as string).split('\n');
    assert.deepEqual(lines.map((l) => l.split(':')[0]), ['alice', 'bob', '']);
    assert.match(lines[0] ?? '', /^alice:\$2b\$04\$/);
    const strings: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') strings.push(value, Buffer.from(value, 'base64').toString('utf8'));
      else if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) { strings.push(k); collect(v); }
    };
    collect(objects);
    for (const password of Object.values(PASSWORDS)) {
      assert.ok(!strings.some((s) => s.includes(password)), 'no password in any string, nor in any base64 decoding of one');
    }
    assert.deepEqual(await spine(objects), []);
  });
});

describe('IngressWithAuth overrides', () => {
  it('envoy-native: SecurityPolicy basicAuth on the .htpasswd Secret, no verifier, and a warning', async () => {
    const { ingress, objects } = build((backend) => ({
      routes: [{ host: 'todo.acme.dev', backend }],
      basicAuth: { users: BasicAuthUsers.hashed({ alice: '{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=' }), verifier: 'envoy-native' },
      tls: { issuer: PRODUCTION },
    }));
    assert.deepEqual(find(objects, 'SecurityPolicy').spec.basicAuth, { users: { group: '', kind: 'Secret', name: 'ingress-basic-auth' } });
    assert.equal(objects.some((o) => o.metadata?.name === 'ingress-auth-verifier'), false);
    assert.deepEqual(Object.keys(find(objects, 'Secret').stringData), ['.htpasswd']);
    assert.equal(ingress.warnings.length, 1);
    assert.match(ingress.warnings[0] ?? '', /^IngressWithAuth 'test\/ingress': basicAuth\.verifier 'envoy-native' checks \{SHA\} htpasswd lines, unsalted SHA-1 .*envoyproxy\/envoy#36278, envoyproxy\/gateway#8969\)\. Prefer the default 'nginx' verifier$/);
    assert.deepEqual(constructWarnings(ingress), ingress.warnings);
    assert.deepEqual(await spine(objects), []);
  });

  it('AWS: an EnvoyProxy with the NLB and ACM annotations, referenced from the Gateway; TLS ends at the NLB', async () => {
    const { ingress, objects } = build((backend) => ({
      routes: [{ host: 'todo.acme.dev', backend, public: true }],
      tls: { acmCertificateArn: ACM_ARN },
      loadBalancer: IngressLoadBalancer.aws(),
    }));
    const proxy = find(objects, 'EnvoyProxy');
    assert.deepEqual(proxy.spec.provider.kubernetes.envoyService, {
      type: 'LoadBalancer',
      annotations: {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
        'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': ACM_ARN,
        'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
        'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'tcp',
        'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      },
    });
    const gateway = find(objects, 'Gateway');
    assert.deepEqual(gateway.spec.infrastructure, { parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: 'ingress' } });
    assert.deepEqual(gateway.spec.listeners, [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'https', port: 443, protocol: 'HTTP' }]);
    assert.equal(find(objects, 'HTTPRoute', 'ingress-todo-acme-dev-public').spec.parentRefs[0].sectionName, 'https');
    assert.ok(find(objects, 'HTTPRoute', 'ingress-https-redirect'));
    assert.equal(objects.some((o) => o.kind === 'Certificate' || o.kind === 'SecurityPolicy'), false);
    assert.deepEqual(ingress.warnings, []);
    assert.deepEqual(await spine(objects), []);
  });

  it('AWS internal NLB', () => {
    const { ingress } = build((backend) => ({ routes: [{ host: 'todo.acme.dev', backend, public: true }], loadBalancer: IngressLoadBalancer.aws({ internal: true }) }));
    assert.equal(ingress.loadBalancerAnnotations?.['service.beta.kubernetes.io/aws-load-balancer-scheme'], 'internal');
  });

  it('Azure: public IP, DNS label and health probe path on the Envoy Service', async () => {
    const { objects } = build((backend) => ({
      routes: [{ host: 'todo.acme.dev', backend, public: true }],
      loadBalancer: IngressLoadBalancer.azure({ publicIpName: 'todo-ip', publicIpResourceGroup: 'rg-net', dnsLabel: 'acme-todo', healthProbePath: '/healthz' }),
    }));
    assert.deepEqual(find(objects, 'EnvoyProxy').spec.provider.kubernetes.envoyService.annotations, {
      'service.beta.kubernetes.io/azure-pip-name': 'todo-ip',
      'service.beta.kubernetes.io/azure-load-balancer-resource-group': 'rg-net',
      'service.beta.kubernetes.io/azure-dns-label-name': 'acme-todo',
      'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': '/healthz',
    });
    assert.deepEqual(find(objects, 'Gateway').spec.listeners, [{ name: 'http', port: 80, protocol: 'HTTP' }]);
    assert.deepEqual(await spine(objects), []);
  });

  it('Azure internal load balancer', () => {
    const { ingress } = build((backend) => ({ routes: [{ host: 'todo.acme.dev', backend, public: true }], loadBalancer: IngressLoadBalancer.azure({ internal: true }) }));
    assert.deepEqual(ingress.loadBalancerAnnotations, { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' });
  });

  it('name, GatewayClass, proxy namespace, realm, verifier scaling, Secret key', () => {
    const { objects } = build((backend) => ({
      name: 'web',
      controller: IngressController.envoyGateway({ gatewayClassName: 'eg', proxyNamespace: 'todo' }),
      routes: [{ host: 'todo.acme.dev', backend }],
      basicAuth: { users: BasicAuthUsers.fromSecret({ name: 'todo-users', key: 'users' }, ['alice']), realm: 'Todo staff', verifierAutoscaling: { minReplicas: 3, maxReplicas: 9 } },
      tls: { issuer: PRODUCTION },
    }));
    assert.equal(find(objects, 'Gateway', 'web').spec.gatewayClassName, 'eg');
    assert.equal(find(objects, 'ConfigMap').data['nginx.conf'], verifierNginxConf('Todo staff'));
    assert.deepEqual(find(objects, 'NetworkPolicy', 'web-auth-verifier').spec.ingress[0].from[0].namespaceSelector, { matchLabels: { 'kubernetes.io/metadata.name': 'todo' } });
    assert.deepEqual(find(objects, 'Deployment', 'web-auth-verifier').spec.template.spec.volumes.find((v: { name: string }) => v.name === 'users').secret.items, [{ key: 'users', path: 'htpasswd' }]);
    assert.equal(find(objects, 'HorizontalPodAutoscaler').spec.maxReplicas, 9);
  });

  it('routes to a cdk8s-plus Service, and to a Service in another namespace through a ReferenceGrant', async () => {
    const { objects } = build((backend) => ({
      routes: [
        { host: 'todo.acme.dev', backend: backend.service!, port: 8080, public: true },  
        { host: 'todo.acme.dev', path: '/reports', backend: { name: 'reports', namespace: 'analytics' }, port: 80, public: true },
      ],
    }));
    assert.deepEqual(find(objects, 'HTTPRoute').spec.rules.map((r: { backendRefs: unknown[] }) => r.backendRefs[0]), [
      { group: '', kind: 'Service', name: 'todoapi', port: 8080 },
      { group: '', kind: 'Service', name: 'reports', namespace: 'analytics', port: 80 },
    ]);
    const grant = find(objects, 'ReferenceGrant');
    assert.deepEqual(grant.metadata.namespace, 'analytics');
    assert.deepEqual(grant.spec, { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'todo' }], to: [{ group: '', kind: 'Service' }] });
    assert.deepEqual(await spine(objects), []);
  });

  it('plain HTTP with basic auth warns that passwords cross the wire readable', () => {
    const { ingress, objects } = build((backend) => ({ routes: [{ host: 'todo.acme.dev', backend }], basicAuth: { users: BasicAuthUsers.hashed(hashedUsers()) } }));
    assert.deepEqual(ingress.warnings, ["IngressWithAuth 'test/ingress': basic auth without tls sends every password over plain HTTP, readable by anyone on the path; set tls"]);
    assert.equal(find(objects, 'HTTPRoute').spec.parentRefs[0].sectionName, 'http');
    assert.equal(objects.some((o) => o.metadata?.name === 'ingress-https-redirect'), false);
  });
});

describe('IngressWithAuth legacy ingress-nginx', () => {
  const { ingress, objects } = build((backend) => ({
    controller: IngressController.ingressNginx(),
    routes: [{ host: 'todo.acme.dev', backend }, { host: 'todo.acme.dev', path: '/public', backend, public: true }],
    basicAuth: { users: BasicAuthUsers.hashed(hashedUsers()), realm: 'Todo staff' },
    tls: { issuer: PRODUCTION },
    loadBalancer: IngressLoadBalancer.aws(),
  }));

  it('warns that ingress-nginx is retired and why to move', () => {
    assert.deepEqual(ingress.warnings, ["IngressWithAuth 'test/ingress': controller ingress-nginx was retired upstream in March 2026 and gets no releases or security fixes; move to the Gateway API (IngressController.envoyGateway(), the default)"]);
  });

  it('a secure Ingress with the basic-auth annotations and a public one, both redirecting to HTTPS', () => {
    const secure = find(objects, 'Ingress', 'ingress-secure');
    assert.deepEqual(secure.metadata.annotations, {
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'ingress-basic-auth',
      'nginx.ingress.kubernetes.io/auth-secret-type': 'auth-file',
      'nginx.ingress.kubernetes.io/auth-realm': 'Todo staff',
    });
    assert.deepEqual(secure.spec, {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['todo.acme.dev'], secretName: 'ingress-todo-acme-dev-tls' }],
      rules: [{ host: 'todo.acme.dev', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'todoapi', port: { number: 8080 } } } }] } }],
    });
    const pub = find(objects, 'Ingress', 'ingress-public');
    assert.deepEqual(pub.metadata.annotations, { 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' });
    assert.equal(pub.spec.rules[0].http.paths[0].path, '/public');
  });

  it('bcrypt lines in the Secret\'s auth key; no Gateway API objects; controller Service annotations exposed', () => {
    assert.match(find(objects, 'Secret').stringData.auth, /^alice:\$2b\$04\$.{53}\nbob:\$2b\$04\$.{53}\n$/);
    assert.equal(objects.some((o) => ['Gateway', 'HTTPRoute', 'SecurityPolicy', 'EnvoyProxy'].includes(o.kind ?? '')), false);
    assert.equal(ingress.loadBalancerAnnotations?.['service.beta.kubernetes.io/aws-load-balancer-type'], 'external');
    const policy = find(objects, 'NetworkPolicy', 'todoapi-from-ingress');
    assert.deepEqual(policy.spec.ingress[0].from, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]);
  });

  it('passes the validation spine', async () => assert.deepEqual(await spine(objects), []));

  it('with TLS at the NLB, also warns that the redirect belongs to the controller', () => {
    const legacy = build((backend) => ({ controller: IngressController.ingressNginx(), routes: [{ host: 'todo.acme.dev', backend, public: true }], tls: { acmCertificateArn: ACM_ARN }, loadBalancer: IngressLoadBalancer.aws() }));
    assert.equal(legacy.ingress.warnings.length, 2);
    assert.match(legacy.ingress.warnings[1] ?? '', /cannot tell which to redirect; configure the redirect in the controller/);
    assert.equal(find(legacy.objects, 'Ingress').metadata.annotations, undefined);
  });
});
