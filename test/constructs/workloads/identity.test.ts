/**
 * A hardened workload run as a cloud identity: its pods use the WorkloadIdentity's
 * ServiceAccount and carry the labels the cloud needs to inject the token; the identity
 * must be of the workload's namespace, and not given beside serviceAccountName.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HardenedCronJob, HardenedDeployment, WorkloadIdentity, validateApp } from '../../../constructs/index.js';
import { minimalProps } from './_deployment-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const SCOPE = '/subscriptions/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/acmereports';

function setup(cloud: 'aws' | 'azure', namespace = 'reports') {
  const app = new App();
  const chart = new Chart(app, 'reports', { namespace });
  const account = new kplus.ServiceAccount(chart, 'Account', { metadata: { name: 'reports', namespace: 'reports' }, automountToken: false });
  const identity = new WorkloadIdentity(chart, 'Identity', cloud === 'aws'
    ? { cloud, serviceAccount: account, awsPolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme-reports/*'] }] }) }
    : { cloud, serviceAccount: account, azureRoles: [{ role: 'Storage Blob Data Reader', scope: SCOPE }] });
  return { app, chart, identity };
}
const podOf = (app: App, kind: string) => app.charts.flatMap((c) => c.toJson() as any[]).find((o) => o.kind === kind);

describe('identity on a hardened workload', () => {
  it("on AKS runs the pods as the identity's ServiceAccount, labelled for workload identity, and validates", async () => {
    const { app, chart, identity } = setup('azure');
    new HardenedDeployment(chart, 'Api', minimalProps({ name: 'reports-api', identity }));
    const deployment = podOf(app, 'Deployment');
    assert.equal(deployment.spec.template.spec.serviceAccountName, 'reports');
    assert.equal(deployment.spec.template.metadata.labels['azure.workload.identity/use'], 'true');
    assert.equal(deployment.spec.template.spec.automountServiceAccountToken, false);
    assert.deepEqual((await validateApp(app)).errors.map((f) => f.message), []);
  });

  it('on EKS runs a CronJob as the ServiceAccount, with no extra label (Pod Identity needs none)', () => {
    const { app, chart, identity } = setup('aws');
    new HardenedCronJob(chart, 'Export', { name: 'export', image: 'registry.example.com/export:1.0.0', schedule: '@daily', resources: minimalProps().resources, identity });
    const template = podOf(app, 'CronJob').spec.jobTemplate.spec.template;
    assert.equal(template.spec.serviceAccountName, 'reports');
    assert.equal(template.metadata.labels['azure.workload.identity/use'], undefined);
  });

  it('refuses an identity of another namespace, and one beside serviceAccountName', () => {
    const other = setup('azure', 'shop');
    assert.throws(() => new HardenedDeployment(other.chart, 'Api', minimalProps({ identity: other.identity })), {
      message: "HardenedDeployment 'reports/Api': identity ('reports/reports') is a ServiceAccount of namespace 'reports', but the pods run in 'shop'; expected a WorkloadIdentity of a ServiceAccount in 'shop'",
    });
    const { chart, identity } = setup('azure');
    assert.throws(() => new HardenedDeployment(chart, 'Api', minimalProps({ identity, serviceAccountName: 'other' })), {
      message: "HardenedDeployment 'reports/Api': set either serviceAccountName ('other') or identity (ServiceAccount reports/reports), not both: the identity's ServiceAccount is the one the pods run as",
    });
  });
});
