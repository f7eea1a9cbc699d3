import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxKubeletSkew, parseKubernetesVersion, versionSkewProblem } from '../../../constructs/environment/index.js';

describe('Kubernetes version skew', () => {
  it('parses minor and patch versions, and nothing else', () => {
    assert.deepEqual(parseKubernetesVersion('1.34'), { major: 1, minor: 34 });
    assert.deepEqual(parseKubernetesVersion('1.34.2'), { major: 1, minor: 34, patch: 2 });
    assert.equal(parseKubernetesVersion('v1.34'), undefined);
    assert.equal(parseKubernetesVersion('1.34-eks'), undefined);
  });

  it('lets nodes lag three minors from 1.28 on, two before', () => {
    assert.equal(maxKubeletSkew({ major: 1, minor: 28 }), 3);
    assert.equal(maxKubeletSkew({ major: 1, minor: 27 }), 2);
    assert.equal(versionSkewProblem('1.34', '1.31'), undefined);
    assert.equal(versionSkewProblem('1.34', '1.30'), 'is 4 minor versions behind the control plane (1.34); nodes may be at most 3 behind');
    assert.equal(versionSkewProblem('1.27', '1.24'), 'is 3 minor versions behind the control plane (1.27); nodes may be at most 2 behind');
  });

  it('never lets nodes run ahead of the control plane, patch included where both give one', () => {
    assert.equal(versionSkewProblem('1.34', '1.35'), 'is newer than the control plane (1.34); upgrade the control plane first');
    assert.equal(versionSkewProblem('1.34.1', '1.34.2'), 'is newer than the control plane (1.34.1); upgrade the control plane first');
    assert.equal(versionSkewProblem('1.34', '1.34.9'), undefined);
    assert.equal(versionSkewProblem('1.34.2', '1.34.2'), undefined);
  });
});
