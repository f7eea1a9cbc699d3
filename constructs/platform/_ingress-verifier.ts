/**
 * The basic-auth verifier behind Envoy Gateway's external authorization: nginx answering
 * `auth_basic` against a bcrypt htpasswd file. Envoy's own basic auth reads only unsalted
 * SHA-1 `{SHA}` lines; nginx verifies `$2b$`/`$2y$` bcrypt lines through the C library's
 * crypt(3) (libxcrypt on Debian).
 *
 * Envoy's HTTP ext_authz treats 200 (and only 200) as allowed; any other status, with its
 * headers, goes back to the client, so a 401 carries the `WWW-Authenticate` challenge.
 */
import type { Construct } from 'constructs';
import * as kplus from '../core/plus.js';
import { HardenedDeployment } from '../workloads/hardened-deployment.js';
import { IngressPeer } from '../workloads/exposure.js';
import { Probe } from '../workloads/probe.js';
import type { Autoscaling } from '../workloads/availability.js';

/** nginx, unprivileged, on Debian (glibc + libxcrypt, which verify bcrypt): the stable branch, pinned. */
export const VERIFIER_IMAGE = 'nginxinc/nginx-unprivileged:1.30.5';
/** The port the verifier listens on. */
export const VERIFIER_PORT = 8080;
/** The path Envoy sends every check to (the SecurityPolicy's `pathOverride`). */
export const VERIFY_PATH = '/verify';
/** Where the configuration and the users are mounted; the config refers to the users relative to its own directory. */
export const VERIFIER_CONF_DIR = '/etc/verifier/conf';
export const VERIFIER_USERS_DIR = '/etc/verifier/users';

/** The verifier's defaults. */
export const VERIFIER_DEFAULTS = {
  autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilizationPercent: 80 } as Autoscaling,
  cpuRequest: '100m',
  memory: '64Mi',
  /** bcrypt blocks an nginx worker while it runs: two workers verify two requests at once per pod. */
  workerProcesses: 2,
} as const;

/**
 * The verifier's nginx.conf. `auth_basic_user_file` is relative to this file's directory,
 * so the same file works in the pod (`/etc/verifier/conf` + `/etc/verifier/users`) and in
 * a scratch directory. Writable paths are all under `/tmp` (the root filesystem is read-only).
 */
export function verifierNginxConf(realm: string): string {
  return `# Basic-auth verifier for Envoy Gateway external authorization (SecurityPolicy extAuth).
# Envoy sends each request's Authorization header to ${VERIFY_PATH}: 200 lets the request
# through; 401 and its WWW-Authenticate header go back to the client. The users are
# bcrypt htpasswd lines, read on every request, so a changed Secret applies without a restart.
worker_processes ${VERIFIER_DEFAULTS.workerProcesses};
daemon off;
pid /tmp/nginx.pid;
error_log stderr warn;

events {
  worker_connections 1024;
}

http {
  access_log off;
  server_tokens off;
  client_max_body_size 1k;
  client_body_temp_path /tmp/client_body;
  proxy_temp_path /tmp/proxy;
  fastcgi_temp_path /tmp/fastcgi;
  uwsgi_temp_path /tmp/uwsgi;
  scgi_temp_path /tmp/scgi;

  server {
    listen ${VERIFIER_PORT};

    location = /healthz {
      return 200;
    }

    # auth_basic runs in the access phase, after 'return' would have answered: so the
    # answer comes from a named location that only try_files (a later phase) reaches.
    location = ${VERIFY_PATH} {
      auth_basic "${realm}";
      auth_basic_user_file ../users/htpasswd;
      try_files /.authenticated @authenticated;
    }

    location @authenticated {
      return 200;
    }

    location / {
      return 404;
    }
  }
}
`;
}

/** What the verifier needs to know. */
export interface VerifierOptions {
  readonly name: string;
  readonly namespace: string;
  readonly realm: string;
  /** The Secret with the htpasswd lines, and its key. */
  readonly secretName: string;
  readonly secretKey: string;
  /** Labels of the Envoy proxy pods, and their namespace: the only clients admitted. */
  readonly proxyLabels: Readonly<Record<string, string>>;
  readonly proxyNamespace: string;
  readonly autoscaling: Autoscaling;
}

/** Adds the verifier (a HardenedDeployment) with its users Secret mounted. */
export function addVerifier(scope: Construct, id: string, options: VerifierOptions): HardenedDeployment {
  const verifier = new HardenedDeployment(scope, id, {
    name: options.name,
    namespace: options.namespace,
    image: VERIFIER_IMAGE,
    // nginx directly, not the image's entrypoint (its scripts rewrite files under /etc/nginx).
    command: ['nginx', '-e', 'stderr', '-c', `${VERIFIER_CONF_DIR}/nginx.conf`],
    ports: [{ number: VERIFIER_PORT, name: 'http' }],
    resources: {
      cpu: { request: VERIFIER_DEFAULTS.cpuRequest },
      memory: { request: VERIFIER_DEFAULTS.memory, limit: VERIFIER_DEFAULTS.memory },
    },
    liveness: Probe.httpGet('/healthz'),
    readiness: Probe.httpGet('/healthz'),
    config: { 'nginx.conf': verifierNginxConf(options.realm) },
    configMountPath: VERIFIER_CONF_DIR,
    writablePaths: ['/tmp'],
    autoscaling: options.autoscaling,
    allowIngressFrom: [IngressPeer.pods(options.proxyLabels, options.proxyNamespace)],
    labels: { 'app.kubernetes.io/component': 'basic-auth-verifier' },
  });
  const users = kplus.Secret.fromSecretName(scope, `${id}UsersSecret`, options.secretName);
  const volume = kplus.Volume.fromSecret(scope, `${id}UsersVolume`, users, {
    name: 'users',
    items: { [options.secretKey]: { path: 'htpasswd' } },
  });
  const main = verifier.deployment.containers[0];
  if (!main) throw new Error(`IngressWithAuth '${scope.node.path}': the verifier has no container`);
  main.mount(VERIFIER_USERS_DIR, volume, { readOnly: true });
  return verifier;
}
