/**
 * The hardened pod builder: the restricted pod and container security contexts, the image
 * pin check, the resources check, the token default and the key order Job names rely on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { PropsValidator } from '../../../constructs/core/errors.js';
import {
  checkContainerResources, hardenedPodSpec, positiveQuantityProblem, requirePinnedImage,
  restrictedContainerSecurityContext, restrictedPodSecurityContext, type HardenedContainerInput,
} from '../../../constructs/workloads/pod-spec.js';

const v = new PropsValidator('Pod', Testing.chart());
const CONTAINER: HardenedContainerInput = {
  name: 'app',
  image: 'registry.example.com:5000/team/app:1.2.3',
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
};

describe('restrictedPodSecurityContext', () => {
  it('defaults: non-root, the group owns volumes on a root mismatch, RuntimeDefault seccomp', () => {
    assert.deepEqual(restrictedPodSecurityContext({ user: 999, group: 998 }), {
      runAsNonRoot: true, runAsUser: 999, runAsGroup: 998, fsGroup: 998, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('no fsGroup for a pod with no volume to own', () => {
    assert.deepEqual(restrictedPodSecurityContext({ user: 65532, group: 65532, fsGroup: false }), {
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('root only with a reason, still with seccomp', () => {
    assert.deepEqual(restrictedPodSecurityContext({ user: 0, group: 0, fsGroup: false, rootReason: 'reads root-owned files' }), {
      runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' },
    });
  });
});

describe('restrictedContainerSecurityContext', () => {
  it('defaults: no escalation, read-only root, non-root, no capabilities, identity from the pod', () => {
    assert.deepEqual(restrictedContainerSecurityContext(), {
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
  });

  it('states its own user and group when given', () => {
    assert.deepEqual(restrictedContainerSecurityContext({ user: 1000, group: 1000 }), {
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, capabilities: { drop: ['ALL'] },
    });
  });

  it('a root container states privileged: false and runAsNonRoot: false explicitly', () => {
    assert.deepEqual(restrictedContainerSecurityContext({ user: 0, root: true }), {
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: false, runAsUser: 0, capabilities: { drop: ['ALL'] },
    });
  });

  it('returns a fresh object each time', () => {
    const a = restrictedContainerSecurityContext();
    a.capabilities?.drop?.push('X');
    assert.deepEqual(restrictedContainerSecurityContext().capabilities, { drop: ['ALL'] });
  });
});

describe('requirePinnedImage', () => {
  const hint = "; expected an image pinned by a version tag or a digest, e.g. 'mongo:8.0.4' or 'mongo@sha256:<digest>'";
  it('throws if a registry port is taken for a tag (no tag at all)', () => {
    assert.throws(() => requirePinnedImage(v, 'image', 'localhost:5000/mongo', 'mongo:8.0.4'),
      { message: `Pod 'test': image ('localhost:5000/mongo') has no tag, so it pulls :latest${hint}` });
  });

  it("throws if the image uses 'latest'", () => {
    assert.throws(() => requirePinnedImage(v, 'image', 'localhost:5000/mongo:latest', 'mongo:8.0.4'),
      { message: `Pod 'test': image ('localhost:5000/mongo:latest') uses the mutable tag 'latest'${hint}` });
  });

  it('accepts a registry port with a tag, and a digest', () => {
    const tagged = 'localhost:5000/mongo:8.0.4';
    const digested = `localhost:5000/mongo@sha256:${'a'.repeat(64)}`;
    for (const image of [tagged, digested]) assert.doesNotThrow(() => requirePinnedImage(v, 'image', image, 'mongo:8.0.4'), image);
    const spec = hardenedPodSpec(v, {
      identity: { user: 999, group: 999 },
      initContainers: [{ ...CONTAINER, name: 'init', image: digested }],
      containers: [{ ...CONTAINER, image: tagged }],
    });
    assert.deepEqual(spec.containers.map((c) => c.image), [tagged]);
    assert.deepEqual(spec.initContainers?.map((c) => c.image), [digested]);
  });
});

describe('checkContainerResources', () => {
  it('throws if memory has no limit', () => {
    assert.throws(() => checkContainerResources(v, 'resources', { requests: { cpu: '1', memory: '1Gi' }, limits: {} }),
      { message: 'Pod \'test\': resources ({"requests":{"cpu":"1","memory":"1Gi"},"limits":{}}) needs requests.cpu, requests.memory and limits.memory' });
  });

  it('throws if a quantity is zero or not a quantity', () => {
    assert.throws(() => checkContainerResources(v, 'resources', { requests: { cpu: '0', memory: '1Gi' }, limits: { memory: '1Gi' } }),
      { message: "Pod 'test': resources.requests.cpu ('0') must be greater than zero" });
    assert.throws(() => checkContainerResources(v, 'resources', { requests: { cpu: '1', memory: '1GB' }, limits: { memory: '1Gi' } }),
      /resources\.requests\.memory \('1GB'\) is not a Kubernetes quantity; expected a number/);
  });

  it('throws if a limit is below its request', () => {
    assert.throws(() => checkContainerResources(v, 'resources', { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '1Gi' } }),
      { message: "Pod 'test': resources.limits.memory ('1Gi') is below resources.requests.memory (2Gi)" });
  });

  it('positiveQuantityProblem: undefined for a positive quantity', () => {
    assert.equal(positiveQuantityProblem('500m'), undefined);
    assert.equal(positiveQuantityProblem(2), undefined);
    assert.equal(positiveQuantityProblem('-1'), 'must be greater than zero');
    assert.match(positiveQuantityProblem('1GB') ?? '', /^is not a Kubernetes quantity; expected /);
  });
});

describe('hardenedPodSpec', () => {
  it('defaults: no token, restricted pod and containers, other fields kept', () => {
    const spec = hardenedPodSpec(v, { identity: { user: 999, group: 999 }, restartPolicy: 'OnFailure', containers: [CONTAINER] });
    assert.equal(spec.automountServiceAccountToken, false);
    assert.equal(spec.restartPolicy, 'OnFailure');
    assert.deepEqual(spec.securityContext, restrictedPodSecurityContext({ user: 999, group: 999 }));
    assert.deepEqual(spec.containers[0]?.securityContext, restrictedContainerSecurityContext());
    assert.equal(spec.containers[0]?.imagePullPolicy, undefined, 'Kubernetes defaults a pinned image to IfNotPresent');
  });

  it('mounts the token when asked, and repeats the identity on containers when given', () => {
    const spec = hardenedPodSpec(v, {
      identity: { user: 999, group: 999 }, containerIdentity: { user: 999, group: 999 }, mountServiceAccountToken: true,
      initContainers: [{ ...CONTAINER, name: 'init' }], containers: [CONTAINER],
    });
    assert.equal(spec.automountServiceAccountToken, true);
    for (const container of [...spec.initContainers ?? [], ...spec.containers]) {
      assert.deepEqual(container.securityContext, restrictedContainerSecurityContext({ user: 999, group: 999 }));
    }
  });

  it('keeps a stable key order: token first, securityContext before containers and before volumeMounts', () => {
    const spec = hardenedPodSpec(v, { identity: { user: 100, group: 100 }, restartPolicy: 'OnFailure', containers: [CONTAINER], volumes: [] });
    assert.deepEqual(Object.keys(spec), ['automountServiceAccountToken', 'restartPolicy', 'securityContext', 'containers', 'volumes']);
    assert.deepEqual(Object.keys(spec.containers[0] ?? {}), ['name', 'image', 'resources', 'securityContext', 'volumeMounts']);
  });

  it('throws if a container image is not pinned', () => {
    assert.throws(() => hardenedPodSpec(v, { identity: { user: 1, group: 1 }, containers: [{ ...CONTAINER, image: 'localhost:5000/app' }] }),
      /containers\[0\]\.image \('localhost:5000\/app'\) has no tag, so it pulls :latest/);
  });

  it('throws if a container has no memory limit', () => {
    assert.throws(() => hardenedPodSpec(v, { identity: { user: 1, group: 1 }, containers: [{ ...CONTAINER, resources: { requests: { cpu: '1', memory: '1Gi' }, limits: {} } }] }),
      /containers\[0\]\.resources \(.*\) needs requests\.cpu, requests\.memory and limits\.memory/);
  });

  it('throws if root is asked for without a reason, or a reason given for a non-root user', () => {
    const message = /Pod 'test': identity\.user \(\d+\) runs as root only with a reason, and with a reason only as root$/;
    assert.throws(() => hardenedPodSpec(v, { identity: { user: 0, group: 0 }, containers: [CONTAINER] }), message);
    assert.throws(() => hardenedPodSpec(v, { identity: { user: 10, group: 0, rootReason: 'x' }, containers: [CONTAINER] }), message);
    assert.throws(() => hardenedPodSpec(v, { identity: { user: 0, group: 0, rootReason: ' ' }, containers: [CONTAINER] }), message);
  });
});
