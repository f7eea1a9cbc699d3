/**
 * TeamNamespace: the objects and their defaults (seed 000's LimitRange numbers), overrides,
 * and each kind of bad input, named with the construct path, field, value and expectation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import {
  TeamNamespace,
  validateManifests,
  type ManifestObject,
  type TeamNamespaceProps,
} from '../../../constructs/index.js';

const TODAY = new Date('2026-11-21T10:00:00Z');
const BASE: TeamNamespaceProps = { name: 'payments-dev', team: 'payments', owner: 'payments@example.com', purpose: 'shared development', today: TODAY };

function synth(props: Partial<TeamNamespaceProps> = {}) {
  const chart = Testing.chart();
  new TeamNamespace(chart, 'ns', { ...BASE, ...props });
  return Testing.synth(chart) as ManifestObject[];
}

const byKind = (objects: ManifestObject[], kind: string) => objects.filter((o) => o.kind === kind);

describe('TeamNamespace defaults', () => {
  const objects = synth({ expires: '2026-12-31', access: { edit: [{ group: 'payments-devs' }], view: [{ user: 'auditor@example.com' }, { serviceAccount: { name: 'dashboard', namespace: 'ops' } }] } });

  it('a restricted namespace labelled with its team and expiry, annotated with owner and purpose', () => {
    const [ns] = byKind(objects, 'Namespace');
    assert.deepEqual(ns?.metadata, {
      name: 'payments-dev',
      labels: {
        'k8s-platform-kit.dev/team': 'payments',
        'k8s-platform-kit.dev/expires': '2026-12-31',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.34',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
      annotations: { 'k8s-platform-kit.dev/owner': 'payments@example.com', 'k8s-platform-kit.dev/purpose': 'shared development' },
    });
  });

  it('LimitRange defaults of 250m/256Mi requested and 500m/512Mi limits; a quota with room for them', () => {
    assert.deepEqual(byKind(objects, 'LimitRange')[0]?.spec, {
      limits: [{ type: 'Container', defaultRequest: { cpu: '250m', memory: '256Mi' }, default: { cpu: '500m', memory: '512Mi' } }],
    });
    assert.deepEqual(byKind(objects, 'ResourceQuota')[0]?.spec, {
      hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '16Gi', pods: '50', services: '20', persistentvolumeclaims: '10', 'requests.storage': '100Gi' },
    });
  });

  it('denies all traffic in and out except DNS to kube-dns', () => {
    const [policy] = byKind(objects, 'NetworkPolicy');
    assert.deepEqual(policy?.spec, {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
  });

  it('binds users, groups and ServiceAccounts to edit and view in the namespace only', () => {
    const bindings = byKind(objects, 'RoleBinding') as unknown as { metadata: { name: string; namespace: string }; roleRef: { kind: string; name: string }; subjects: unknown[] }[];
    assert.deepEqual(bindings.map((b) => [b.metadata.name, b.metadata.namespace, b.roleRef.kind, b.roleRef.name]), [
      ['team-edit', 'payments-dev', 'ClusterRole', 'edit'],
      ['team-view', 'payments-dev', 'ClusterRole', 'view'],
    ]);
    assert.deepEqual(bindings[1]?.subjects, [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'auditor@example.com' },
      { kind: 'ServiceAccount', name: 'dashboard', namespace: 'ops' },
    ]);
  });

  it('passes the validation spine', async () => {
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
  });
});

describe('TeamNamespace overrides', () => {
  it('takes a quota with CPU limits, other defaults, baseline Pod Security with its reason, no expiry', () => {
    const objects = synth({
      quota: { cpu: { requests: '2', limits: '4' }, memory: { requests: '4Gi' }, pods: 20 },
      containerDefaults: { cpu: { request: '100m', limit: '1' }, memory: { request: '128Mi', limit: '1Gi' } },
      podSecurity: { level: 'baseline', reason: 'runs a legacy image that needs root' },
    });
    const [ns] = byKind(objects, 'Namespace');
    assert.equal(ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'baseline');
    assert.equal(ns?.metadata?.labels?.['pod-security.kubernetes.io/warn'], 'restricted', 'still warns against restricted');
    assert.equal(ns?.metadata?.labels?.['k8s-platform-kit.dev/expires'], undefined);
    assert.equal(ns?.metadata?.annotations?.['k8s-platform-kit.dev/pod-security-reason'], 'runs a legacy image that needs root');
    assert.deepEqual(byKind(objects, 'ResourceQuota')[0]?.spec, { hard: { 'requests.cpu': '2', 'limits.cpu': '4', 'requests.memory': '4Gi', pods: '20' } });
    assert.equal(byKind(objects, 'RoleBinding').length, 0);
  });
});

describe('TeamNamespace without a default CPU limit', () => {
  it('leaves CPU unlimited for containers that set no limit', () => {
    const objects = synth({ containerDefaults: { cpu: { request: '250m' }, memory: { request: '256Mi', limit: '512Mi' } } });
    assert.deepEqual(byKind(objects, 'LimitRange')[0]?.spec, {
      limits: [{ type: 'Container', defaultRequest: { cpu: '250m', memory: '256Mi' }, default: { memory: '512Mi' } }],
    });
  });
});

describe('TeamNamespace reaper', () => {
  const objects = synth({ expires: '2026-12-31', reaper: {} });
  const reaper = objects.filter((o) => o.metadata?.namespace === 'k8s-platform-kit-system' || o.kind.startsWith('ClusterRole'));

  it('deletes the namespace on the day after it expires, at 03:00 UTC, with kubectl alone', () => {
    const cron = reaper.find((o) => o.kind === 'CronJob') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(cron.spec.schedule, '0 3 1 1 *');
    assert.equal(cron.spec.timeZone, 'Etc/UTC');
    assert.equal(cron.spec.concurrencyPolicy, 'Forbid');
    assert.deepEqual(cron.spec.jobTemplate.spec.template.spec.containers[0].command, ['kubectl', 'delete', 'namespace', 'payments-dev', '--ignore-not-found', '--wait=false']);
    assert.equal(cron.spec.jobTemplate.spec.template.spec.containers[0].image, 'registry.k8s.io/kubectl:v1.34.10');
  });

  it('may delete this one namespace and nothing else', () => {
    const role = reaper.find((o) => o.kind === 'ClusterRole') as unknown as { rules: unknown };
    assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['namespaces'], resourceNames: ['payments-dev'], verbs: ['get', 'delete'] }]);
  });

  it('passes the validation spine, its API token waived with the reason', async () => {
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.waived.map((w) => w.ruleId), ['kit-service-account-token']);
  });

  it('needs an expiry within a year', () => {
    assert.throws(() => synth({ reaper: {} }), { message: "TeamNamespace 'test/ns': reaper is set but expires is not; expected the last day the namespace is needed" });
    assert.throws(() => synth({ expires: '2028-01-01', reaper: {} }), { message: "TeamNamespace 'test/ns': expires ('2028-01-01') is more than a year ahead: the reaper's cron schedule has no year; expected a date within a year, or no reaper" });
  });
});

describe('TeamNamespace bad input', () => {
  const cases: [string, Partial<TeamNamespaceProps>, string][] = [
    ['a name that is not a DNS label', { name: 'Payments' }, "name ('Payments') must consist of lower case"],
    ['a team that is not a label value', { team: 'payments team' }, "team ('payments team') must be empty or consist of alphanumeric characters"],
    ['an expiry in the past', { expires: '2026-11-20' }, "expires ('2026-11-20') is in the past (today is 2026-11-21); expected today or later, or no expiry"],
    ['an expiry that is not a date', { expires: '2026-02-30' }, "expires ('2026-02-30') is not a date; expected YYYY-MM-DD"],
    ['a quota below one defaulted pod', { quota: { memory: { requests: '128Mi' } } }, "quota.memory.requests ('128Mi') is below containerDefaults.memory.request (256Mi): not even one pod with the defaults would be admitted"],
    ['a quota limit below the default limit', { quota: { cpu: { limits: '250m' } } }, "quota.cpu.limits ('250m') is below containerDefaults.cpu.limit (500m): not even one pod with the defaults would be admitted"],
    ['a quota that is not a quantity', { quota: { cpu: { requests: '4 cores' } } }, "quota.cpu.requests ('4 cores') is not a Kubernetes quantity; expected e.g. 500m, 2 or 4Gi"],
    ['defaults with the request above the limit', { containerDefaults: { cpu: { request: '1', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } }, "containerDefaults.cpu.request ('1') is above containerDefaults.cpu.limit (500m)"],
    ['baseline without a reason', { podSecurity: { level: 'baseline', reason: ' ' } }, "podSecurity.reason is empty; expected the reason the namespace needs a level below 'restricted'"],
    ['an empty owner', { owner: '' }, 'owner is empty; expected who answers for the namespace and why it exists'],
    ['a subject that names no one', { access: { edit: [{ group: '' }] } }, `access.edit[0] ({"group":""}) names no one; expected a user or group name`],
  ];
  for (const [what, props, message] of cases) {
    it(what, () => {
      assert.throws(() => synth(props), (error: Error) => {
        assert.ok(error.message.startsWith(`TeamNamespace 'test/ns': ${message}`), error.message);
        return true;
      });
    });
  }
});
