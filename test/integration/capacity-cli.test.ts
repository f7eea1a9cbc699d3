/**
 * The capacity commands as users run them: `npm run capacity` (table, JSON, chart, price
 * table) and the check inside `npm run synth` (warn, or fail in strict mode).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TSX = import.meta.resolve('tsx');
const work = mkdtempSync(join(tmpdir(), 'kit-capacity-'));

/** Runs a chart entry point with `cwd` as the directory holding the stack files. */
function run(script: string, args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'charts', script), ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of prod with `replicas` todoapi replicas, in a directory of its own. */
function crowdedProd(replicas: number, strict: boolean): string {
  const dir = mkdtempSync(join(work, 'env-'));
  const stack = parse(readFileSync(join(ROOT, 'Pulumi.prod.yaml'), 'utf8')) as { config: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  stack.config['k8s-platform-kit:apps'].todoapi.replicas = replicas;
  stack.config['k8s-platform-kit:capacity'] = { strict };
  writeFileSync(join(dir, 'Pulumi.prod.yaml'), stringify(stack));
  return dir;
}


describe('npm run capacity', () => {
  it('prints the pool table, the scenarios and the cost for an environment, and exits 0 when it fits', () => {
    const chart = join(work, 'staging.svg');
    const { status, stdout } = run('capacity.ts', ['--env', 'staging', '--chart', chart]);
    assert.equal(status, 0);
    assert.match(stdout, /^Capacity of staging \(aws eu-west-1, staging\): fits$/m);
    // The platform's releases count: Prometheus, Alertmanager, Grafana, the operator, kube-state-metrics,
    // node-exporter on each node, metrics-server, cert-manager, the Envoy Gateway controller, and the EKS
    // controllers (the AWS Load Balancer Controller, the Cluster Autoscaler, external-dns).
    assert.match(stdout, /^general\s+m6i\.xlarge\s+3\/3\/8\s+3\.92\/14\.5Gi\/110\s+8\.01\/11\.76 \(68%\)\s+16\.4Gi\/43\.4Gi \(38%\)\s+64\/330 \(19%\)\s+3 node\(s\)\s+3 node\(s\)$/m);
    assert.match(stdout, /^Not counted:\n {2}Gateway\/edge\/edge: its proxy pods are created by its Gateway controller \(Envoy Gateway: an Envoy Deployment per Gateway\)\n\n/m);
    assert.match(stdout, /^ {2}fits {4}zone eu-west-1b lost \(nodes: general=3\)$/m);
    assert.match(stdout, /^total\s+542 USD/m);
    assert.ok(existsSync(chart));
    assert.match(readFileSync(chart, 'utf8'), /<title>Pool fill at rest: staging<\/title>/);
  });

  it('--all --json gives one plan per environment', () => {
    const { status, stdout } = run('capacity.ts', ['--all', '--json']);
    assert.equal(status, 0);
    const plans = JSON.parse(stdout) as { environment: string; fits: boolean }[];
    assert.deepEqual(plans.map((p) => [p.environment, p.fits]), [['dev', true], ['prod', true], ['staging', true]]);
  });

  it('exits 1 when a scenario fails, naming the pods and the reason', () => {
    const { status, stdout } = run('capacity.ts', ['--env', 'prod'], crowdedProd(400, false));
    assert.equal(status, 1);
    assert.match(stdout, /DOES NOT FIT/);
    assert.match(stdout, /ERROR \[steady\] \d+ pods of Deployment\/todo\/todoapi \(todoapi-\d+ … todoapi-399; pool general\): 0\/4 nodes are available: 4 Insufficient cpu\./);
  });

  it('takes a price table from a file, and reports what is wrong with a bad one', () => {
    const good = join(work, 'prices.yaml');
    writeFileSync(good, stringify({ source: 'our negotiated rates', asOf: '2026-11-01', currency: 'EUR', controlPlane: { aws: 0.1 }, machines: { aws: { 'eu-west-1': { 'm6i.xlarge': 0.1 } } } }));
    const priced = run('capacity.ts', ['--env', 'staging', '--prices', good]);
    assert.equal(priced.status, 0);
    assert.match(priced.stdout, /EUR, on-demand list prices; our negotiated rates; as of 2026-11-01/);
    assert.match(priced.stdout, /^general\s+73 EUR\s+219 EUR/m);

    const bad = join(work, 'bad-prices.yaml');
    writeFileSync(bad, stringify({ source: 'x', asOf: 'last week', currency: 'EUR', controlPlane: {}, machines: {} }));
    const refused = run('capacity.ts', ['--env', 'staging', '--prices', bad]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr.trim(), `${bad}: not a price table:\n  asOf: expected a date such as 2025-06 or 2025-06-01`);
  });
});

describe('the capacity check in npm run synth', () => {
  it('strict: fails before writing anything, with the problems', () => {
    const dir = crowdedProd(400, true);
    const outdir = join(dir, 'out');
    const { status, stderr } = run('main.ts', ['--env', 'prod', '--outdir', outdir], dir);
    assert.equal(status, 1);
    assert.match(stderr, /^prod: capacity: \d+ problems \(capacity\.strict is true/);
    assert.equal(existsSync(outdir), false);
  });

  it('not strict: writes the manifests and warns', () => {
    const dir = crowdedProd(400, false);
    const { status, stdout, stderr } = run('main.ts', ['--env', 'prod', '--outdir', join(dir, 'out')], dir);
    assert.equal(status, 0);
    assert.match(stderr, /^WARNING capacity \[steady\] pods stay Pending/m);
    assert.match(stdout, /capacity does not fit/);
  });

  it('--strict-capacity makes a non-strict environment strict', () => {
    const dir = crowdedProd(400, false);
    const { status } = run('main.ts', ['--env', 'prod', '--outdir', join(dir, 'out'), '--strict-capacity'], dir);
    assert.equal(status, 1);
  });
});
