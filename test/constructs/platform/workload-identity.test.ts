/**
 * WorkloadIdentity: the Kubernetes half of a ServiceAccount bound to a cloud identity (the
 * client id annotation and pod label on AKS, nothing on EKS), the request the stack builds
 * the cloud half from (the policy as JSON text, roles as definition ids), every bad prop
 * refused with the exact message, and workloadIdentityProblems against the App's objects.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AZURE_BUILT_IN_ROLES, HelmChart, HelmChartRelease, WorkloadIdentity, azureWorkloadIdentityValues, workloadIdentityProblems, type WorkloadIdentityProps,
} from '../../../constructs/platform/index.js';
import type { ManifestObject } from '../../../constructs/index.js';

const SUB = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const SCOPE = `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/acmereports`;
const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme-reports/*'] }] };
const ROLE_NAMES = Object.keys(AZURE_BUILT_IN_ROLES).join(', ');
const NOT_A_POLICY = "WorkloadIdentity 'reports/Identity': awsPolicy is not an IAM policy document with Version '2012-10-17' and at least one Statement";

/** A chart `reports` (namespace reports) with a ServiceAccount `reports` and one WorkloadIdentity `Identity`. */
function build(props: Omit<WorkloadIdentityProps, 'serviceAccount'> & Partial<Pick<WorkloadIdentityProps, 'serviceAccount'>>) {
  const app = Testing.app();
  const chart = new Chart(app, 'reports', { namespace: 'reports' });
  const account = new kplus.ServiceAccount(chart, 'Account', { metadata: { name: 'reports' } });
  const identity = new WorkloadIdentity(chart, 'Identity', { serviceAccount: account, ...props });
  return { app, chart, account, identity };
}

/** An App with a chart `addons` and a HelmChartRelease `Metrics` installing into `monitoring`. */
function withRelease() {
  const app = new App();
  const chart = new Chart(app, 'addons');
  const release = new HelmChartRelease(chart, 'Metrics', { chart: HelmChart.METRICS_SERVER, namespace: 'monitoring' });
  return { app, chart, release };
}

/** The message JSON.parse gives for `text` (it differs between Node versions). */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail(`${text} parses`);
}

const serviceAccountOf = (chart: Chart) => Testing.synth(chart).find((o) => o.kind === 'ServiceAccount');

describe('WorkloadIdentity on EKS', () => {
  it('a policy object: the request carries it as JSON text, no roles, and no pod labels or annotations', () => {
    const { identity, chart } = build({ cloud: 'aws', awsPolicy: POLICY });
    assert.deepEqual(identity.request, {
      path: 'reports/Identity', cloud: 'aws', serviceAccount: { namespace: 'reports', name: 'reports' },
      awsPolicy: JSON.stringify(POLICY), azureRoles: [], clientIdValue: 'KIT_IDENTITY_REPORTS_REPORTS_CLIENT_ID',
    });
    assert.deepEqual(JSON.parse(identity.request.awsPolicy ?? ''), POLICY);
    assert.equal(identity.cloud, 'aws');
    assert.deepEqual(identity.serviceAccount, { namespace: 'reports', name: 'reports' });
    assert.deepEqual(identity.podLabels, {});
    assert.deepEqual(identity.serviceAccountAnnotations, {});
    assert.equal(serviceAccountOf(chart)?.metadata?.annotations, undefined);
  });

  it('policy JSON text: the request carries it re-serialised compactly, equal to the document', () => {
    const { identity } = build({ cloud: 'aws', awsPolicy: JSON.stringify(POLICY, null, 2) });
    assert.equal(identity.request.awsPolicy, JSON.stringify(POLICY));
  });

  it('a single Statement object (not an array) is an IAM policy document, and is accepted', () => {
    const single = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-reports' } };
    assert.equal(build({ cloud: 'aws', awsPolicy: single }).identity.request.awsPolicy, JSON.stringify(single));
  });

  it('policy text that does not parse as JSON: exact message with the construct path, the text and the JSON error', () => {
    const text = '{"Version": "2012-10-17", "Statement": [';
    assert.throws(() => build({ cloud: 'aws', awsPolicy: text }), {
      name: 'PropsError',
      message: `WorkloadIdentity 'reports/Identity': awsPolicy ('${text}') does not parse as JSON (${jsonError(text)}); expected an IAM policy document`,
    });
  });

  it('policy text over 80 characters that does not parse: the message shows its first 77 characters and ...', () => {
    const text = `not json ${'x'.repeat(100)}`;
    assert.throws(() => build({ cloud: 'aws', awsPolicy: text }), {
      message: `WorkloadIdentity 'reports/Identity': awsPolicy ('${text.slice(0, 77)}...') does not parse as JSON (${jsonError(text)}); expected an IAM policy document`,
    });
  });

  it('a document with no Statement, an empty Statement list, no or another Version, or JSON that is not an object: refused with one exact message', () => {
    const bad: (Record<string, unknown> | string)[] = [
      { Version: '2012-10-17' },
      { Version: '2012-10-17', Statement: [] },
      { Statement: POLICY.Statement },
      { Version: '2008-10-17', Statement: POLICY.Statement },
      '{"Version":"2012-10-17"}',
      'null',
      '[]',
      '"a string"',
    ];
    for (const awsPolicy of bad) assert.throws(() => build({ cloud: 'aws', awsPolicy }), { message: NOT_A_POLICY }, JSON.stringify(awsPolicy));
  });

  it('no policy on aws, or Azure roles on aws: refused with the exact messages', () => {
    assert.throws(() => build({ cloud: 'aws' }), {
      message: "WorkloadIdentity 'reports/Identity': awsPolicy is not set; on 'aws' the role needs a policy; expected an IAM policy document such as { Version: '2012-10-17', Statement: [...] }",
    });
    assert.throws(() => build({ cloud: 'aws', awsPolicy: POLICY, azureRoles: [{ role: 'Reader', scope: SCOPE }] }), {
      message: "WorkloadIdentity 'reports/Identity': azureRoles are given but cloud is 'aws'; give awsPolicy only",
    });
  });
});

describe('WorkloadIdentity on AKS', () => {
  it('annotates the kplus ServiceAccount with the ${KIT_IDENTITY_…_CLIENT_ID} placeholder; podLabels and serviceAccountAnnotations say what pods and charts need', () => {
    const { identity, chart } = build({ cloud: 'azure', azureRoles: [{ role: 'Storage Blob Data Reader', scope: SCOPE }] });
    assert.deepEqual(serviceAccountOf(chart)?.metadata?.annotations, { 'azure.workload.identity/client-id': '${KIT_IDENTITY_REPORTS_REPORTS_CLIENT_ID}' });
    assert.deepEqual(identity.podLabels, { 'azure.workload.identity/use': 'true' });
    assert.deepEqual(identity.serviceAccountAnnotations, { 'azure.workload.identity/client-id': '${KIT_IDENTITY_REPORTS_REPORTS_CLIENT_ID}' });
    assert.equal(identity.request.clientIdValue, 'KIT_IDENTITY_REPORTS_REPORTS_CLIENT_ID');
    assert.equal(identity.request.awsPolicy, undefined);
    assert.equal('awsPolicy' in identity.request, false);
  });

  it('azureWorkloadIdentityValues gives a ServiceAccount\'s annotation (dashes made _) and the pod label, for Helm values', () => {
    assert.deepEqual(azureWorkloadIdentityValues({ namespace: 'external-dns', name: 'external-dns' }), {
      annotations: { 'azure.workload.identity/client-id': '${KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID}' },
      podLabels: { 'azure.workload.identity/use': 'true' },
    });
  });

  it('a role by built-in name becomes its GUID definition id; a GUID role is taken as it is, lower-cased; the scope is kept', () => {
    const custom = '8E3AF657-A8FF-443C-A75C-2FE8C4BCB635';
    const group = `/subscriptions/${SUB}/resourceGroups/rg-data`;
    const { identity } = build({
      cloud: 'azure',
      azureRoles: [{ role: 'Storage Blob Data Reader', scope: SCOPE }, { role: 'DNS Zone Contributor', scope: group }, { role: custom, scope: `/subscriptions/${SUB}` }],
    });
    assert.deepEqual(identity.request.azureRoles, [
      { roleDefinitionId: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', scope: SCOPE },
      { roleDefinitionId: 'befefa01-2a29-4197-83a8-272ff33ce314', scope: group },
      { roleDefinitionId: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', scope: `/subscriptions/${SUB}` },
    ]);
  });

  it('no azureRoles: an identity with no role assignment', () => {
    assert.deepEqual(build({ cloud: 'azure' }).identity.request.azureRoles, []);
  });

  it('an unknown role name (names are case-sensitive, Object.prototype keys are not roles): refused with the exact message', () => {
    for (const role of ['Blob Writer', 'reader', 'toString', '8e3af657-a8ff-443c-a75c']) {
      assert.throws(() => build({ cloud: 'azure', azureRoles: [{ role, scope: SCOPE }] }), {
        message: `WorkloadIdentity 'reports/Identity': azureRoles[0].role ('${role}') is neither a built-in role the kit names nor a role definition id; expected a GUID or one of: ${ROLE_NAMES}`,
      }, role);
    }
  });

  it('a scope that is not an Azure resource id (a name, a bad subscription id, a trailing /): refused with the exact message, naming the index', () => {
    for (const scope of ['acmereports', '/subscriptions/not-a-guid/resourceGroups/rg', `/subscriptions/${SUB}/resourceGroups/rg/`, `subscriptions/${SUB}`]) {
      assert.throws(() => build({ cloud: 'azure', azureRoles: [{ role: 'Reader', scope: SCOPE }, { role: 'Reader', scope }] }), {
        message: `WorkloadIdentity 'reports/Identity': azureRoles[1].scope ('${scope}') is not an Azure resource id; expected '/subscriptions/<subscription id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>'`,
      }, scope);
    }
  });

  it('an AWS policy on azure: refused with the exact message', () => {
    assert.throws(() => build({ cloud: 'azure', awsPolicy: POLICY }), { message: "WorkloadIdentity 'reports/Identity': awsPolicy is given but cloud is 'azure'; give azureRoles only" });
  });
});

describe('WorkloadIdentity ServiceAccount checks', () => {
  it('a kplus ServiceAccount in a chart without a namespace: refused, the namespace is not set', () => {
    const chart = new Chart(Testing.app(), 'plain');
    const account = new kplus.ServiceAccount(chart, 'Account', { metadata: { name: 'reports' } });
    assert.throws(() => new WorkloadIdentity(chart, 'Identity', { cloud: 'azure', serviceAccount: account }), {
      message: "WorkloadIdentity 'plain/Identity': serviceAccount.namespace ('') is not set; the ServiceAccount needs a namespace; expected a namespace name (a DNS-1123 label)",
    });
  });

  it('a ServiceAccount a release creates: needs createdBy, in the release\'s namespace, with valid names; no App object is annotated', () => {
    const { chart, release } = withRelease();
    const ok = new WorkloadIdentity(chart, 'Ok', { cloud: 'azure', serviceAccount: { namespace: 'monitoring', name: 'metrics-server' }, createdBy: release });
    assert.equal(ok.request.createdBy, release);
    assert.deepEqual(ok.serviceAccountAnnotations, { 'azure.workload.identity/client-id': '${KIT_IDENTITY_MONITORING_METRICS_SERVER_CLIENT_ID}' });
    assert.equal(Testing.synth(chart).some((o) => o.kind === 'ServiceAccount'), false);
    assert.throws(() => new WorkloadIdentity(chart, 'NoRelease', { cloud: 'azure', serviceAccount: { namespace: 'monitoring', name: 'metrics-server' } }), {
      message: "WorkloadIdentity 'addons/NoRelease': createdBy is not set, and serviceAccount names monitoring/metrics-server rather than an object of the App; expected the cdk8s-plus ServiceAccount, or the HelmChartRelease that creates it",
    });
    assert.throws(() => new WorkloadIdentity(chart, 'Elsewhere', { cloud: 'azure', serviceAccount: { namespace: 'kube-system', name: 'metrics-server' }, createdBy: release }), {
      message: "WorkloadIdentity 'addons/Elsewhere': serviceAccount.namespace ('kube-system') is not the namespace of the release that creates it (createdBy installs into 'monitoring')",
    });
    assert.throws(() => new WorkloadIdentity(chart, 'BadName', { cloud: 'azure', serviceAccount: { namespace: 'monitoring', name: 'Metrics_Server' }, createdBy: release }), {
      message: "WorkloadIdentity 'addons/BadName': serviceAccount.name ('Metrics_Server') must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character; expected a ServiceAccount name (a DNS-1123 subdomain)",
    });
    assert.throws(() => new WorkloadIdentity(chart, 'BadNamespace', { cloud: 'azure', serviceAccount: { namespace: 'Monitoring', name: 'metrics-server' }, createdBy: release }), {
      message: "WorkloadIdentity 'addons/BadNamespace': serviceAccount.namespace ('Monitoring') must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character; expected a namespace name (a DNS-1123 label)",
    });
  });

  it('a kplus ServiceAccount and createdBy together: refused as a conflict', () => {
    const { chart, release } = withRelease();
    const account = new kplus.ServiceAccount(chart, 'Account', { metadata: { name: 'metrics-server', namespace: 'monitoring' } });
    assert.throws(() => new WorkloadIdentity(chart, 'Both', { cloud: 'azure', serviceAccount: account, createdBy: release }), {
      message: "WorkloadIdentity 'addons/Both': serviceAccount is an object of the App and createdBy names a Helm release that creates it; give one (the release's ServiceAccount by namespace and name, with createdBy)",
    });
  });

  it('WorkloadIdentity.of finds every identity under the App, across charts, in construct order', () => {
    const { app, chart } = build({ cloud: 'aws', awsPolicy: POLICY });
    const other = new Chart(app, 'other', { namespace: 'other' });
    const account = new kplus.ServiceAccount(other, 'Account', { metadata: { name: 'worker' } });
    new WorkloadIdentity(other, 'Worker', { cloud: 'aws', serviceAccount: account, awsPolicy: POLICY });
    assert.deepEqual(WorkloadIdentity.of(app).map((w) => w.node.path), ['reports/Identity', 'other/Worker']);
    assert.deepEqual(WorkloadIdentity.of(chart).map((w) => w.node.path), ['reports/Identity']);
  });
});

describe('workloadIdentityProblems', () => {
  const namespace = (name: string): ManifestObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  it('none when the ServiceAccount and its namespace are objects of the App', () => {
    const { app, chart } = build({ cloud: 'aws', awsPolicy: POLICY });
    assert.deepEqual(workloadIdentityProblems(app, [namespace('reports'), ...(Testing.synth(chart) as ManifestObject[])]), []);
  });

  it('a ServiceAccount not among the objects, and a namespace no object creates: one exact message each', () => {
    const { app } = build({ cloud: 'aws', awsPolicy: POLICY });
    assert.deepEqual(workloadIdentityProblems(app, [namespace('todo'), namespace('fleetman')]), [
      "WorkloadIdentity 'reports/Identity': serviceAccount.namespace ('reports') is not a namespace of the environment; expected one of: fleetman, todo",
      "WorkloadIdentity 'reports/Identity': serviceAccount reports/reports is not a ServiceAccount of the environment",
    ]);
  });

  it('the namespace missing but the ServiceAccount present: only the namespace message', () => {
    const { app, chart } = build({ cloud: 'azure' });
    assert.deepEqual(workloadIdentityProblems(app, [namespace('todo'), ...(Testing.synth(chart) as ManifestObject[])]), [
      "WorkloadIdentity 'reports/Identity': serviceAccount.namespace ('reports') is not a namespace of the environment; expected one of: todo",
    ]);
  });

  it('default and kube-system need no Namespace object', () => {
    for (const ns of ['default', 'kube-system']) {
      const app = Testing.app();
      const chart = new Chart(app, 'c', { namespace: ns });
      const account = new kplus.ServiceAccount(chart, 'Account', { metadata: { name: 'sa' } });
      new WorkloadIdentity(chart, 'Identity', { cloud: 'aws', serviceAccount: account, awsPolicy: POLICY });
      assert.deepEqual(workloadIdentityProblems(app, Testing.synth(chart) as ManifestObject[]), [], ns);
    }
  });

  it('two identities for one ServiceAccount: the second is named, with the first', () => {
    const { app, chart, account } = build({ cloud: 'aws', awsPolicy: POLICY });
    new WorkloadIdentity(chart, 'Again', { cloud: 'aws', serviceAccount: account, awsPolicy: POLICY });
    assert.deepEqual(workloadIdentityProblems(app, [namespace('reports'), ...(Testing.synth(chart) as ManifestObject[])]), [
      "WorkloadIdentity 'reports/Again': serviceAccount reports/reports is already bound by 'reports/Identity'; one ServiceAccount has one identity",
    ]);
  });

  it('a ServiceAccount created by a HelmChartRelease of the App (createdBy) is accepted without a ServiceAccount object', () => {
    const { app, chart, release } = withRelease();
    new WorkloadIdentity(chart, 'Identity', { cloud: 'azure', serviceAccount: { namespace: 'monitoring', name: 'metrics-server' }, createdBy: release });
    assert.deepEqual(workloadIdentityProblems(app, [namespace('monitoring'), ...(Testing.synth(chart) as ManifestObject[])]), []);
  });

  it('a createdBy release that is not part of the App: named as not created by a release of the environment', () => {
    const other = new Chart(new App(), 'elsewhere');
    const release = new HelmChartRelease(other, 'Metrics', { chart: HelmChart.METRICS_SERVER, namespace: 'monitoring' });
    const app = new App();
    const chart = new Chart(app, 'addons');
    new WorkloadIdentity(chart, 'Identity', { cloud: 'azure', serviceAccount: { namespace: 'monitoring', name: 'metrics-server' }, createdBy: release });
    assert.deepEqual(workloadIdentityProblems(app, [namespace('monitoring')]), [
      "WorkloadIdentity 'addons/Identity': serviceAccount monitoring/metrics-server is not created by a release of the environment",
    ]);
  });
});

describe('WorkloadIdentity policy documents without statements', () => {
  it('refuses Statement null and an empty Statement object', () => {
    for (const awsPolicy of [{ Version: '2012-10-17', Statement: null }, { Version: '2012-10-17', Statement: {} }, '{"Version":"2012-10-17","Statement":null}']) {
      const chart = Testing.chart();
      const account = new kplus.ServiceAccount(chart, 'Account', { metadata: { name: 'reports', namespace: 'reports' } });
      assert.throws(() => new WorkloadIdentity(chart, 'Identity', { cloud: 'aws', serviceAccount: account, awsPolicy: awsPolicy as never }), {
        message: "WorkloadIdentity 'test/Identity': awsPolicy is not an IAM policy document with Version '2012-10-17' and at least one Statement",
      });
    }
  });
});
