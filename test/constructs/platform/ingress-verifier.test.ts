/**
 * The basic-auth verifier, for real: the nginx.conf IngressWithAuth synthesizes runs in the
 * machine's nginx (Debian's `nginx` package: glibc crypt with libxcrypt, as in the
 * verifier's Debian-based image) on loopback, with an htpasswd made by `htpasswd()`. Only
 * the listen address and the /tmp paths are changed; the auth directives are byte-identical.
 *
 * nginx must be installed: `apt-get install -y nginx`. Without it this test fails.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import type { ManifestObject } from '../../../constructs/policy/finding.js';
import { BasicAuthUsers, IngressWithAuth } from '../../../constructs/platform/ingress-with-auth.js';
import { htpasswd } from '../../../constructs/platform/htpasswd.js';

const INSTALL_HINT = 'nginx is not installed, and this test runs the verifier configuration in the real nginx: install it with `apt-get install -y nginx` (Debian package `nginx`)';

function nginxBinary(): string {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found !== '') return found;
  throw new Error(INSTALL_HINT);
}

/** The verifier's nginx.conf, as synthesized into its ConfigMap. */
function synthesizedConf(realm: string): string {
  const chart = Testing.chart();
  new IngressWithAuth(chart, 'Ingress', {
    namespace: 'todo',
    routes: [{ host: 'todo.acme.dev', backend: { name: 'todoapi' }, port: 8080 }],
    basicAuth: { users: BasicAuthUsers.fromSecret({ name: 'todo-users' }, ['alice']), realm },
    tls: { issuer: { name: 'letsencrypt-production', kind: 'ClusterIssuer', http01Only: true } },
  });
  const objects = Testing.synth(chart) as ManifestObject[];
  const configMap = objects.find((o) => o.kind === 'ConfigMap') as { data: Record<string, string> } | undefined;
  const conf = configMap?.data['nginx.conf'];
  assert.ok(conf, 'the verifier has an nginx.conf');
  return conf;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const authLines = (conf: string) => conf.split('\n').filter((line) => /auth_basic|try_files|location|return/.test(line));

describe('basic-auth verifier in the real nginx', () => {
  const realm = 'Todo staff';
  const conf = synthesizedConf(realm);
  const scratch = mkdtempSync(join(tmpdir(), 'kit-verifier-'));
  let nginx: ChildProcess | undefined;
  let stderr = '';
  let base = '';
  const usersFile = join(scratch, 'users', 'htpasswd');
  // Cost 10, the default: the timings below are what a pod pays per request.
  const lines = htpasswd([{ username: 'alice', password: 'correct horse battery staple' }, { username: 'bob', password: 'b0b-pa55word' }]);

  before(async () => {
    const binary = nginxBinary();
    const port = await freePort();
    const adapted = conf.replace(/^ {4}listen 8080;$/m, `    listen 127.0.0.1:${port};`).replaceAll(' /tmp/', ` ${scratch}/tmp/`);
    assert.deepEqual(authLines(adapted), authLines(conf), 'only the listen address and file paths change');
    for (const dir of ['conf', 'users', 'tmp']) mkdirSync(join(scratch, dir));
    writeFileSync(join(scratch, 'conf', 'nginx.conf'), adapted);
    writeFileSync(usersFile, lines);
    // nginx started as root runs its workers as nobody: they must be able to read the files.
    for (const path of [scratch, join(scratch, 'conf'), join(scratch, 'users'), join(scratch, 'tmp')]) chmodSync(path, 0o755);
    chmodSync(usersFile, 0o644);
    nginx = spawn(binary, ['-p', `${scratch}/`, '-e', 'stderr', '-c', join(scratch, 'conf', 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/healthz`)).status === 200) break;
      } catch { /* not listening yet */ }
      if (nginx.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(() => {
    nginx?.kill('SIGTERM');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('answers 200 with an empty body for the right password (Envoy allows only 200)', async () => {
    const response = await fetch(`${base}/verify`, { headers: { authorization: basic('alice', 'correct horse battery staple') } });
    assert.equal(response.status, 200, stderr);
    assert.equal(await response.text(), '');
    const bob = await fetch(`${base}/verify`, { method: 'POST', headers: { authorization: basic('bob', 'b0b-pa55word') } });
    assert.equal(bob.status, 200, 'any method: Envoy checks with the request\'s own');
  });

  for (const [what, authorization] of [
    ['a wrong password', basic('alice', 'Correct horse battery staple')],
    ['an unknown user', basic('mallory', 'correct horse battery staple')],
    ['no credentials', undefined],
  ] as const) {
    it(`answers 401 with the Basic challenge for ${what}`, async () => {
      const response = await fetch(`${base}/verify`, authorization ? { headers: { authorization } } : {});
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), `Basic realm="${realm}"`);
    });
  }

  it('verifies $2y$ lines too (libxcrypt), and reads the users on every request', async () => {
    writeFileSync(usersFile, `${lines}carol:${htpasswd([{ username: 'carol', password: 'carol-pw' }], { rounds: 4 }).trim().split(':')[1]?.replace(/^\$2b\$/, '$2y$')}\n`);
    const response = await fetch(`${base}/verify`, { headers: { authorization: basic('carol', 'carol-pw') } });
    assert.equal(response.status, 200, stderr);
  });

  it('serves nothing but the check and the health endpoint', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/`, { headers: { authorization: basic('alice', 'correct horse battery staple') } })).status, 404);
  });

  it('costs one bcrypt verification per request (measured)', async (t) => {
    const time = async (authorization: string, n: number) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) assert.equal((await fetch(`${base}/verify`, { headers: { authorization } })).status !== 500, true);
      return Number(process.hrtime.bigint() - start) / 1e6 / n;
    };
    const ok = await time(basic('alice', 'correct horse battery staple'), 10);
    const unknownUser = await time(basic('mallory', 'x'), 10);
    t.diagnostic(`nginx verifier, bcrypt cost 10: ${ok.toFixed(1)} ms per authenticated request; ${unknownUser.toFixed(1)} ms for an unknown user (no hash computed)`);
    assert.ok(ok > unknownUser, 'a known user costs a bcrypt computation');
  });
});
