/**
 * WorkloadIdentity: the Kubernetes half of a ServiceAccount bound to a cloud identity, the
 * request the stack builds the cloud half from, and every bad prop refused by name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AZURE_BUILT_IN_ROLES, HelmChart, HelmChartRelease, WorkloadIdentity, workloadIdentityProblems, type WorkloadIdentityProps,
} from '../../../constructs/platform/index.js';
import type { ManifestObject } from '../../../constructs/index.js';

const SUB = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const SCOPE = `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/acmereports`;
const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme-reports/*'] }] };

/** A chart `reports` (namespace reports) with a ServiceAccount `reports` and one WorkloadIdentity. */
function build(props: Omit<WorkloadIdentityProps, 'serviceAccount'> & Partial<Pick<WorkloadIdentityProps, 'serviceAccount'>>) {
  const app = Testing.app();
  const chart = new Chart(app, 'reports', { namespace: 'reports' });
  const account = new kplus.ServiceAccount(chart, 'Account', { metadata: { name: 'reports' } });
  const identity = new WorkloadIdentity(chart, 'Identity', { serviceAccount: account, ...props });
  return { app, chart, account, identity };
}

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail('expected an error');
};

describe('WorkloadIdentity on EKS', () => {
  it('asks for a role with the policy, as JSON text, for the ServiceAccount, and changes nothing on the Kubernetes side', () => {
    const { identity, chart } = build({ cloud: 'aws', awsPolicy: POLICY });
    assert.deepEqual(identity.request, {
      path: 'reports/Identity', cloud: 'aws', serviceAccount: { namespace: 'reports', name: 'reports' },
      awsPolicy: JSON.stringify(POLICY), azureRoles: [], clientIdValue: 'KIT_IDENTITY_REPORTS_REPORTS_CLIENT_ID',
    });
    assert.deepEqual(identity.podLabels, {});
    const account = Testing.synth(chart).find((o) => o.kind === 'ServiceAccount');
    assert.equal(account?.metadata?.annotations, undefined);
  });

  it('takes the policy as JSON text and normalises it', () => {
    const { identity } = build({ cloud: 'aws', awsPolicy: JSON.stringify(POLICY, null, 2) });
    assert.equal(identity.request.awsPolicy, JSON.stringify(POLICY));
  });

  it('refuses policy text that does not parse as JSON, naming the construct, the field and the value', () => {
    assert.match(message(() => build({ cloud: 'aws', awsPolicy: '{"Version": "2012-10-17", "Statement": [' })),
      /^WorkloadIdentity 'reports\/Identity': awsPolicy \('\{"Version": "2012-10-17", "Statement": \['\) does not parse as JSON \(.+\); expected an IAM policy document$/);
  });

  it('refuses a document without Version 2012-10-17 or without a Statement, and a missing policy', () => {
    assert.equal(message(() => build({ cloud: 'aws', awsPolicy: { Version: '2012-10-17', Statement: [] } })),
      "WorkloadIdentity 'reports/Identity': awsPolicy is not an IAM policy document with Version '2012-10-17' and at least one Statement");
    assert.equal(message(() => build({ cloud: 'aws', awsPolicy: { Statement: POLICY.Statement } })),
      "WorkloadIdentity 'reports/Identity': awsPolicy is not an IAM policy document with Version '2012-10-17' and at least one Statement");
    assert.equal(message(() => build({ cloud: 'aws' })),
      "WorkloadIdentity 'reports/Identity': awsPolicy is not set; on 'aws' the role needs a policy; expected an IAM policy document such as { Version: '2012-10-17', Statement: [...] }");
  });
});

describe('WorkloadIdentity on AKS', () => {
  it('annotates the ServiceAccount with the client id placeholder and gives the pods the webhook label', () => {
    const { identity, chart } = build({ cloud: 'azure', azureRoles: [{ role: 'Storage Blob Data Reader', scope: SCOPE }] });
    const account = Testing.synth(chart).find((o) => o.kind === 'ServiceAccount');
    assert.deepEqual(account?.metadata?.annotations, { 'azure.workload.identity/client-id': '${KIT_IDENTITY_REPORTS_REPORTS_CLIENT_ID}' });
    assert.deepEqual(identity.podLabels, { 'azure.workload.identity/use': 'true' });
    assert.deepEqual(identity.serviceAccountAnnotations, { 'azure.workload.identity/client-id': '${KIT_IDENTITY_REPORTS_REPORTS_CLIENT_ID}' });
  });

  it('turns a built-in role name into its definition id, and takes a role definition GUID as it is (lower-cased)', () => {
    const custom = '8E3AF657-A8FF-443C-A75C-2FE8C4BCB635';
    const { identity } = build({ cloud: 'azure', azureRoles: [{ role: 'Storage Blob Data Reader', scope: SCOPE }, { role: custom, scope: SCOPE }] });
    assert.deepEqual(identity.request.azureRoles, [
      { roleDefinitionId: AZURE_BUILT_IN_ROLES['Storage Blob Data Reader'], scope: SCOPE },
      { roleDefinitionId: custom.toLowerCase(), scope: SCOPE },
    ]);
  });

  it('refuses a role that is neither a built-in name nor a GUID, and a scope that is not a resource id', () => {
    assert.equal(message(() => build({ cloud: 'azure', azureRoles: [{ role: 'Blob Writer', scope: SCOPE }] })),
      `WorkloadIdentity 'reports/Identity': azureRoles[0].role ('Blob Writer') is neither a built-in role the kit names nor a role definition id; expected a GUID or one of: ${Object.keys(AZURE_BUILT_IN_ROLES).join(', ')}`);
    assert.equal(message(() => build({ cloud: 'azure', azureRoles: [{ role: 'Reader', scope: 'acmereports' }] })),
      "WorkloadIdentity 'reports/Identity': azureRoles[0].scope ('acmereports') is not an Azure resource id; expected '/subscriptions/<subscription id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>'");
  });

  it('refuses props of the other cloud', () => {
    assert.equal(message(() => build({ cloud: 'azure', awsPolicy: POLICY })), "WorkloadIdentity 'reports/Identity': awsPolicy is given but cloud is 'azure'; give azureRoles only");
    assert.equal(message(() => build({ cloud: 'aws', awsPolicy: POLICY, azureRoles: [{ role: 'Reader', scope: SCOPE }] })),
      "WorkloadIdentity 'reports/Identity': azureRoles are given but cloud is 'aws'; give awsPolicy only");
  });
});

describe('WorkloadIdentity of a ServiceAccount a Helm release creates', () => {
  it('needs createdBy, in the release\'s namespace', () => {
    const app = new App();
    const chart = new Chart(app, 'addons');
    const release = new HelmChartRelease(chart, 'Metrics', { chart: HelmChart.METRICS_SERVER, namespace: 'monitoring' });
    const ok = new WorkloadIdentity(chart, 'Ok', { cloud: 'azure', serviceAccount: { namespace: 'monitoring', name: 'metrics-server' }, createdBy: release });
    assert.equal(ok.request.createdBy, release);
    assert.equal(message(() => new WorkloadIdentity(chart, 'NoRelease', { cloud: 'azure', serviceAccount: { namespace: 'monitoring', name: 'metrics-server' } })),
      "WorkloadIdentity 'addons/NoRelease': createdBy is not set, and serviceAccount names monitoring/metrics-server rather than an object of the App; expected the cdk8s-plus ServiceAccount, or the HelmChartRelease that creates it");
    assert.equal(message(() => new WorkloadIdentity(chart, 'Elsewhere', { cloud: 'azure', serviceAccount: { namespace: 'kube-system', name: 'metrics-server' }, createdBy: release })),
      "WorkloadIdentity 'addons/Elsewhere': serviceAccount.namespace ('kube-system') is not the namespace of the release that creates it (createdBy installs into 'monitoring')");
    assert.match(message(() => new WorkloadIdentity(chart, 'BadName', { cloud: 'azure', serviceAccount: { namespace: 'monitoring', name: 'Metrics_Server' }, createdBy: release })),
      /^WorkloadIdentity 'addons\/BadName': serviceAccount\.name \('Metrics_Server'\) .*; expected a ServiceAccount name \(a DNS-1123 subdomain\)$/);
  });
});

describe('workloadIdentityProblems', () => {
  const namespace = (name: string): ManifestObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  it('passes an identity whose ServiceAccount and namespace are objects of the App', () => {
    const { app, chart } = build({ cloud: 'aws', awsPolicy: POLICY });
    const objects = [namespace('reports'), ...(Testing.synth(chart) as ManifestObject[])];
    assert.deepEqual(workloadIdentityProblems(app, objects), []);
  });

  it('names a namespace no object creates, and a ServiceAccount that is not among the objects', () => {
    const { app } = build({ cloud: 'aws', awsPolicy: POLICY });
    assert.deepEqual(workloadIdentityProblems(app, [namespace('todo')]), [
      "WorkloadIdentity 'reports/Identity': serviceAccount.namespace ('reports') is not a namespace of the environment; expected one of: todo",
      "WorkloadIdentity 'reports/Identity': serviceAccount reports/reports is not a ServiceAccount of the environment",
    ]);
  });

  it('names two identities bound to one ServiceAccount', () => {
    const { app, chart, account } = build({ cloud: 'aws', awsPolicy: POLICY });
    new WorkloadIdentity(chart, 'Again', { cloud: 'aws', serviceAccount: account, awsPolicy: POLICY });
    const objects = [namespace('reports'), ...(Testing.synth(chart) as ManifestObject[])];
    assert.deepEqual(workloadIdentityProblems(app, objects), [
      "WorkloadIdentity 'reports/Again': serviceAccount reports/reports is already bound by 'reports/Identity'; one ServiceAccount has one identity",
    ]);
  });

  it('names a release that is not part of the App', () => {
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
