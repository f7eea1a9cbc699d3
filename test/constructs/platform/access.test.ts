/**
 * The new joiner's read-only access and the CI deployer: what each may do, where, and the
 * errors for access that would be too wide or name nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { CiDeployer, ReadOnlyAccess, validateManifests, type ManifestObject } from '../../../constructs/index.js';

function synth(build: (chart: ReturnType<typeof Testing.chart>) => void): ManifestObject[] {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart) as ManifestObject[];
}

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

describe('ReadOnlyAccess', () => {
  const objects = synth((chart) => new ReadOnlyAccess(chart, 'joiners', { subjects: [{ group: 'new-joiners' }] }));

  it('reads workloads, pods and their logs across the cluster, and never Secrets, exec or writes', async () => {
    const [role, binding] = objects as unknown as [{ kind: string; rules: Rule[] }, { kind: string; roleRef: unknown; subjects: unknown }];
    assert.equal(role.kind, 'ClusterRole');
    const resources = role.rules.flatMap((r) => r.resources);
    assert.ok(resources.includes('pods/log') && resources.includes('deployments'));
    assert.ok(!resources.some((r) => r === 'secrets' || r === 'pods/exec' || r === 'pods/portforward' || r === '*'));
    assert.ok(role.rules.every((r) => r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))));
    assert.deepEqual(binding.subjects, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'new-joiners' }]);
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'k8s-platform-kit:read-only' });
    assert.deepEqual((await validateManifests(objects.map((object) => ({ object })))).errors, []);
  });

  it('rejects a name the API server would (RBAC names may hold colons, not slashes)', () => {
    assert.throws(() => synth((chart) => new ReadOnlyAccess(chart, 'joiners', { name: 'team/read-only', subjects: [{ group: 'g' }] })), {
      message: "ReadOnlyAccess 'test/joiners': name ('team/read-only') may not contain '/' or '%'",
    });
  });

  it('needs someone to grant it to', () => {
    assert.throws(() => synth((chart) => new ReadOnlyAccess(chart, 'joiners', { subjects: [] })), {
      message: "ReadOnlyAccess 'test/joiners': subjects is empty; expected at least one user, group or ServiceAccount",
    });
  });
});

describe('CiDeployer', () => {
  const objects = synth((chart) => new CiDeployer(chart, 'ci', { name: 'github-actions', namespace: 'ci', targetNamespaces: ['todo', 'fleetman'] }));

  it('is a ServiceAccount with a Role and RoleBinding in each target namespace, and nothing cluster-wide', async () => {
    assert.deepEqual(objects.map((o) => [o.kind, o.metadata?.namespace, o.metadata?.name]), [
      ['ServiceAccount', 'ci', 'github-actions'],
      ['Role', 'todo', 'github-actions-deployer'],
      ['RoleBinding', 'todo', 'github-actions-deployer'],
      ['Role', 'fleetman', 'github-actions-deployer'],
      ['RoleBinding', 'fleetman', 'github-actions-deployer'],
    ]);
    const rules = (objects[1] as unknown as { rules: Rule[] }).rules;
    assert.ok(!rules.some((r) => r.resources.includes('secrets') || r.resources.includes('*') || r.verbs.includes('*')));
    assert.ok(!rules.some((r) => r.apiGroups.includes('rbac.authorization.k8s.io')), 'cannot grant itself more');
    assert.deepEqual((await validateManifests(objects.map((object) => ({ object })))).errors, []);
  });

  it('rejects no target namespace, a duplicate, and bad names', () => {
    const build = (props: Partial<ConstructorParameters<typeof CiDeployer>[2]>) => () =>
      synth((chart) => new CiDeployer(chart, 'ci', { name: 'deployer', namespace: 'ci', targetNamespaces: ['todo'], ...props }));
    assert.throws(build({ targetNamespaces: [] }), { message: "CiDeployer 'test/ci': targetNamespaces is empty; expected the namespaces it deploys to (a CI deployer is never cluster-wide)" });
    assert.throws(build({ targetNamespaces: ['todo', 'todo'] }), { message: "CiDeployer 'test/ci': targetNamespaces lists 'todo' twice" });
    assert.throws(build({ targetNamespaces: ['Todo'] }), /^PropsError: CiDeployer 'test\/ci': targetNamespaces\[0\] \('Todo'\) must consist of lower case/);
  });
});
