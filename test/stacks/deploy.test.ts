/**
 * Deploying Apps with Pulumi: validation comes before any resource, Flux HelmReleases
 * become Helm releases when there is no Flux, and what cannot be reproduced is an error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiObject, App, Chart } from 'cdk8s';
import { one, ofType, recorded, reset, settled } from './_mocks.js';
import { release, repository } from './_flux-fixtures.js';
import { gitopsOptionsFor } from './_gitops.js';
import { loadEnvironment } from '../../charts/environment.js';
import { PolicyViolationError, type ManifestObject } from '../../constructs/index.js';
import { CapacityError } from '../../constructs/capacity/index.js';
import { deployApp } from '../../stacks/deploy.js';
import { helmReleasesOf } from '../../stacks/_flux-releases.js';
import { platformStack } from '../../stacks/program.js';

describe('validation before deployment', () => {
  it('fails the program on bad construct input before any resource is registered', async () => {
    reset();
    const env = loadEnvironment('dev');
    const broken = { ...env, apps: { ...env.apps, todoapi: { ...env.apps.todoapi, image: 'ghcr.io/us-learn-and-devops/todoapi:latest' } } };
    await assert.rejects(platformStack(broken), /HardenedDeployment 'todoapi\/Api': image \('ghcr\.io\/us-learn-and-devops\/todoapi:latest'\) uses the mutable tag 'latest'/);
    await settled();
    assert.deepEqual(recorded, []);
  });

  it('fails on a policy error with the findings, before any resource is registered', async () => {
    reset();
    const app = new App();
    new ApiObject(new Chart(app, 'debug'), 'Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'default' },
      spec: { hostNetwork: true, containers: [{ name: 'shell', image: 'busybox:1.37.0' }] },
    });
    await assert.rejects(deployApp('debug', app), (error: unknown) => {
      assert.ok(error instanceof PolicyViolationError);
      assert.match(error.report.format(), /pss-host-namespaces/);
      return true;
    });
    await settled();
    assert.deepEqual(recorded, []);
  });
});

describe('the capability check before deployment', () => {
  it('fails pulumi preview when an object needs a controller the environment does not run, before any resource is registered', async () => {
    reset();
    const staging = loadEnvironment('staging');
    if (staging.cloud !== 'aws') throw new Error('staging is expected on AWS');
    const without = { ...staging, cluster: { ...staging.cluster, addons: { ...staging.cluster.addons, networkPolicy: false } } };
    await assert.rejects(platformStack(without), (error: unknown) => {
      assert.ok(error instanceof PolicyViolationError);
      const unmet = error.report.errors.filter((f) => f.ruleId === 'cluster-capability');
      assert.ok(unmet.length > 0 && unmet.every((f) => f.object.startsWith('NetworkPolicy/')), error.report.format());
      assert.equal(unmet[0]?.fix, 'set k8s-platform-kit:cluster.addons.networkPolicy: true in Pulumi.staging.yaml');
      return true;
    });
    await settled();
    assert.deepEqual(recorded, []);
  });
});

describe('the capacity check before deployment', () => {
  it('in strict mode (prod), pods that cannot fit fail the program before any resource is registered', async () => {
    reset();
    const prod = loadEnvironment('prod');
    const crowded = { ...prod, apps: { ...prod.apps, todoapi: { ...prod.apps.todoapi, replicas: 400 } } };
    await assert.rejects(platformStack(crowded), (error: unknown) => {
      assert.ok(error instanceof CapacityError);
      assert.match(error.message, /^prod: capacity: \d+ problems \(capacity\.strict is true/);
      return true;
    });
    await settled();
    assert.deepEqual(recorded, []);
  });

  it('when not strict, the program goes on (problems are warnings)', async () => {
    reset();
    const staging = loadEnvironment('staging');
    const crowded = { ...staging, apps: { ...staging.apps, todoapi: { ...staging.apps.todoapi, replicas: 400 } } };
    await platformStack(crowded, gitopsOptionsFor(crowded));
    await settled();
    assert.ok(recorded.length > 0);
  });
});

describe('Flux HelmReleases without Flux', () => {
  it('become Helm releases with the pinned chart, repository, namespace and values', () => {
    const service: ManifestObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' } };
    const { releases, rest } = helmReleasesOf([repository, release(), service]);
    assert.deepEqual(releases, [{
      name: 'metrics-server',
      namespace: 'kube-system',
      chart: 'metrics-server',
      version: '3.13.1',
      repository: 'https://kubernetes-sigs.github.io/metrics-server/',
      values: { replicas: 2 },
      createNamespace: false,
    }]);
    assert.deepEqual(rest, [service]);
  });

  it('refuse what only Flux can do: values from the cluster, a missing repository, an unpinned chart', () => {
    assert.throws(() => helmReleasesOf([repository, release({ valuesFrom: [{ kind: 'Secret', name: 'values' }] })]),
      { message: "HelmRelease flux-system/metrics-server: spec.valuesFrom reads values from the cluster, which only Flux can do; use deploy mode 'gitops' or inline the values" });
    assert.throws(() => helmReleasesOf([release()]),
      { message: 'HelmRelease flux-system/metrics-server: its HelmRepository flux-system/metrics-server is not in the App' });
    const unpinned = release();
    (unpinned.spec as any).chart.spec.version = '3.x'; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.throws(() => helmReleasesOf([repository, unpinned]), /spec\.chart\.spec\.version \("3\.x"\) must pin an exact chart version/);
  });

  it('are installed by AppDeployment before the rest of the App is applied', async () => {
    reset();
    const app = new App();
    const chart = new Chart(app, 'metrics');
    new ApiObject(chart, 'Repository', repository as never);
    new ApiObject(chart, 'Release', release() as never);
    const deployment = await deployApp('platform', app);
    await settled();
    const helm = one('kubernetes:helm.sh/v3:Release', 'platform-metrics-server').inputs;
    assert.deepEqual([helm.chart, helm.version, helm.namespace, helm.repositoryOpts.repo], ['metrics-server', '3.13.1', 'kube-system', 'https://kubernetes-sigs.github.io/metrics-server/']);
    assert.deepEqual(helm.values, { replicas: 2 });
    assert.deepEqual(one('kubernetes:yaml/v2:ConfigGroup', 'platform').inputs.objs, []);
    assert.equal(ofType('k8s-platform-kit:kubernetes:AppDeployment').length, 1);
    assert.deepEqual(deployment.objects, []);
  });
});
