import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KIT_IMAGE_TAG, KIT_PROBES, KIT_PROBES_DIFFER, KIT_RESOURCES, keyPath,
} from '../../../../constructs/policy/rules/workload-containers.js';
import {
  asCronJob, asKind, asPod, check, compliantContainer, deployment, mainContainer, podOf, summarize,
} from './_workload-fixtures.js';
import { imagePinProblem, parseImageReference } from '../../../../constructs/core/image.js';

const C0 = 'spec.template.spec.containers[0]';

describe('kit-probes', () => {
  it('passes a Deployment whose containers have both probes', () => {
    assert.deepEqual(check(KIT_PROBES, deployment()), []);
  });

  it('fails a container without probes, one finding per probe', () => {
    const web = deployment('web', 'shop');
    delete mainContainer(web).livenessProbe;
    delete mainContainer(web).readinessProbe;
    assert.deepEqual(summarize(check(KIT_PROBES, web)), [
      {
        ruleId: 'kit-probes',
        path: `${C0}.livenessProbe`,
        message: 'Deployment/shop/web: container \'app\' has no livenessProbe (found: not set), so a hung process is never restarted.',
      },
      {
        ruleId: 'kit-probes',
        path: `${C0}.readinessProbe`,
        message: 'Deployment/shop/web: container \'app\' has no readinessProbe (found: not set), so it receives traffic before it can serve it and during shutdown.',
      },
    ]);
    assert.equal(check(KIT_PROBES, web)[0]?.fix, 'Add a livenessProbe to container \'app\', e.g. httpGet on a /healthz endpoint, or tcpSocket on its port.');
  });

  it('checks every long-running kind, and only regular containers', () => {
    const web = deployment();
    podOf(web).containers.push({ ...compliantContainer('sidecar'), readinessProbe: undefined });
    podOf(web).initContainers = [{ name: 'init', image: 'registry.example.com/init:1' }];
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']) {
      assert.deepEqual(check(KIT_PROBES, asKind(web, kind)).map((f) => f.path), ['spec.template.spec.containers[1].readinessProbe'], kind);
    }
  });

  it('exempts Jobs, CronJobs and bare Pods', () => {
    const web = deployment();
    delete mainContainer(web).livenessProbe;
    assert.deepEqual(check(KIT_PROBES, asKind(web, 'Job')), []);
    assert.deepEqual(check(KIT_PROBES, asCronJob(web)), []);
    assert.deepEqual(check(KIT_PROBES, asPod(web)), []);
  });
});

describe('kit-probes-differ', () => {
  it('passes a container whose liveness probe differs from its readiness probe, and a Job', () => {
    const web = deployment('web', 'shop');
    mainContainer(web).livenessProbe = { httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 6 };
    mainContainer(web).readinessProbe = { httpGet: { path: '/healthz', port: 8080 } };
    assert.deepEqual(check(KIT_PROBES_DIFFER, web), []);
    const job = asKind(deployment('migrate', 'shop'), 'Job');
    mainContainer(job).livenessProbe = mainContainer(job).readinessProbe = { tcpSocket: { port: 8080 } };
    assert.deepEqual(check(KIT_PROBES_DIFFER, job), []);
  });

  it('warns on the same check with the same timing, at the liveness probe', () => {
    const web = deployment('web', 'shop');
    mainContainer(web).livenessProbe = { tcpSocket: { port: 8080 }, periodSeconds: 5 };
    mainContainer(web).readinessProbe = { tcpSocket: { port: 8080 }, periodSeconds: 5 };
    const findings = KIT_PROBES_DIFFER.check(web, { objects: [web] });
    assert.deepEqual(findings.map((f) => [f.severity, f.path, f.message]), [[
      'warning', `${C0}.livenessProbe`,
      'Deployment/shop/web: container \'app\' has the same liveness and readiness probe ({"tcpSocket":{"port":8080},"periodSeconds":5}), so a slow moment restarts it instead of only taking it out of the Service.',
    ]]);
  });
});

describe('kit-resources', () => {
  it('passes containers that request cpu and memory and limit memory; a cpu limit is optional', () => {
    assert.deepEqual(check(KIT_RESOURCES, deployment()), []);
    const withCpuLimit = deployment();
    mainContainer(withCpuLimit).resources!.limits!.cpu = '1';
    assert.deepEqual(check(KIT_RESOURCES, withCpuLimit), []);
  });

  it('passes limits alone: the API server defaults each missing request to its limit', () => {
    const web = deployment();
    mainContainer(web).resources = { limits: { cpu: '1', memory: '1Gi' } };
    assert.deepEqual(check(KIT_RESOURCES, web), []);
  });

  it('fails a container without resources, one finding per missing field', () => {
    const web = deployment();
    delete mainContainer(web).resources;
    assert.deepEqual(summarize(check(KIT_RESOURCES, web)), [
      {
        ruleId: 'kit-resources',
        path: `${C0}.resources.requests.cpu`,
        message: 'Deployment/web: container \'app\' has no resources.requests.cpu (found: not set), so the scheduler places it as if it used no CPU.',
      },
      {
        ruleId: 'kit-resources',
        path: `${C0}.resources.requests.memory`,
        message: 'Deployment/web: container \'app\' has no resources.requests.memory (found: not set), so the scheduler places it as if it used no memory.',
      },
      {
        ruleId: 'kit-resources',
        path: `${C0}.resources.limits.memory`,
        message: 'Deployment/web: container \'app\' has no resources.limits.memory (found: not set), so it can use all of the node\'s memory and get other pods OOM-killed.',
      },
    ]);
    assert.equal(check(KIT_RESOURCES, web)[2]?.fix, 'Set resources.limits.memory on container \'app\', e.g. equal to its memory request.');
  });

  it('checks init containers too, but not ephemeral containers', () => {
    const web = deployment();
    podOf(web).initContainers = [{ name: 'migrate', image: 'registry.example.com/migrate:1', resources: { requests: { cpu: '100m', memory: '64Mi' } } }];
    podOf(web).ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36' }];
    assert.deepEqual(summarize(check(KIT_RESOURCES, web)), [{
      ruleId: 'kit-resources',
      path: 'spec.template.spec.initContainers[0].resources.limits.memory',
      message: 'Deployment/web: init container \'migrate\' has no resources.limits.memory (found: not set), so it can use all of the node\'s memory and get other pods OOM-killed.',
    }]);
  });

  it('fails a value that is not a Kubernetes quantity, naming the value', () => {
    const web = deployment();
    mainContainer(web).resources!.limits!.memory = '256MB';
    const findings = check(KIT_RESOURCES, web);
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-resources',
      path: `${C0}.resources.limits.memory`,
      message: 'Deployment/web: container \'app\' has resources.limits.memory \'256MB\', which is not a Kubernetes quantity.',
    }]);
    assert.equal(findings[0]?.fix, 'Write resources.limits.memory of container \'app\' as a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E), e.g. 256Mi, 0.5 or 500m.');
  });

  it('quotes resource names that are not plain words in the path', () => {
    const web = deployment();
    mainContainer(web).resources!.limits!['nvidia.com/gpu'] = 'one';
    assert.deepEqual(check(KIT_RESOURCES, web).map((f) => f.path), [`${C0}.resources.limits["nvidia.com/gpu"]`]);
    assert.equal(keyPath('x', 'cpu'), 'x.cpu');
  });

  it('fails a limit below its request, comparing values not spellings', () => {
    const web = deployment();
    mainContainer(web).resources = { requests: { cpu: '500m', memory: '0.25Gi' }, limits: { cpu: '0.25', memory: '256Mi' } };
    assert.deepEqual(summarize(check(KIT_RESOURCES, web)), [{
      ruleId: 'kit-resources',
      path: `${C0}.resources.limits.cpu`,
      message: 'Deployment/web: container \'app\' has resources.limits.cpu 0.25 below resources.requests.cpu 500m; the API server rejects a limit below its request.',
    }]);
  });

  it('applies to Pods and CronJobs, and ignores objects without pods', () => {
    const web = deployment();
    delete mainContainer(web).resources!.requests!.cpu;
    assert.equal(check(KIT_RESOURCES, asPod(web))[0]?.path, 'spec.containers[0].resources.requests.cpu');
    assert.equal(check(KIT_RESOURCES, asCronJob(web))[0]?.path, 'spec.jobTemplate.spec.template.spec.containers[0].resources.requests.cpu');
    assert.deepEqual(check(KIT_RESOURCES, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), []);
  });
});

describe('parseImageReference', () => {
  it('splits repository, tag and digest, not mistaking a registry port for a tag', () => {
    assert.deepEqual(parseImageReference('nginx'), { repository: 'nginx' });
    assert.deepEqual(parseImageReference('nginx:1.27'), { repository: 'nginx', tag: '1.27' });
    assert.deepEqual(parseImageReference('registry:5000/app'), { repository: 'registry:5000/app' });
    assert.deepEqual(parseImageReference('registry:5000/app:1.2'), { repository: 'registry:5000/app', tag: '1.2' });
    assert.deepEqual(parseImageReference('registry:5000/team/app:1.2@sha256:abc'), { repository: 'registry:5000/team/app', tag: '1.2', digest: 'sha256:abc' });
    assert.deepEqual(parseImageReference('app@sha256:abc'), { repository: 'app', digest: 'sha256:abc' });
  });
});

describe('unpinnedImageReason', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it('accepts version tags and digests', () => {
    for (const image of ['nginx:1.27', 'registry:5000/app:1.2', `nginx@${digest}`, `nginx:latest@${digest}`, `registry:5000/app@${digest}`]) {
      assert.equal(imagePinProblem(image), undefined, image);
    }
  });

  it('rejects untagged, latest and malformed digests', () => {
    assert.equal(imagePinProblem('nginx'), 'has no tag, so it pulls :latest');
    assert.equal(imagePinProblem('registry:5000/app'), 'has no tag, so it pulls :latest');
    assert.equal(imagePinProblem('nginx:'), 'has no tag, so it pulls :latest');
    assert.equal(imagePinProblem('nginx:latest'), 'uses the mutable tag \'latest\'');
    assert.equal(imagePinProblem('nginx@sha256:abc'), 'has a malformed digest \'sha256:abc\'');
  });
});

describe('kit-image-tag', () => {
  it('passes pinned images', () => {
    assert.deepEqual(check(KIT_IMAGE_TAG, deployment()), []);
  });

  it('fails an untagged image behind a registry port', () => {
    const web = deployment();
    mainContainer(web).image = 'registry:5000/app';
    const findings = check(KIT_IMAGE_TAG, web);
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-image-tag',
      path: `${C0}.image`,
      message: 'Deployment/web: container \'app\' image \'registry:5000/app\' has no tag, so it pulls :latest; what runs can change without the manifest changing.',
    }]);
    assert.equal(findings[0]?.fix, 'Pin the image of container \'app\' to a version tag or a digest, e.g. \'registry:5000/app:1.2.3\' or \'registry:5000/app@sha256:<digest>\'.');
  });

  it('checks init and ephemeral containers, and reports a missing image', () => {
    const web = deployment();
    podOf(web).initContainers = [{ name: 'migrate', image: 'migrate:latest' }];
    podOf(web).ephemeralContainers = [{ name: 'debug' }];
    assert.deepEqual(summarize(check(KIT_IMAGE_TAG, web)), [
      {
        ruleId: 'kit-image-tag',
        path: 'spec.template.spec.initContainers[0].image',
        message: 'Deployment/web: init container \'migrate\' image \'migrate:latest\' uses the mutable tag \'latest\'; what runs can change without the manifest changing.',
      },
      {
        ruleId: 'kit-image-tag',
        path: 'spec.template.spec.ephemeralContainers[0].image',
        message: 'Deployment/web: ephemeral container \'debug\' has no image (found: not set).',
      },
    ]);
  });
});
