import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { FluxGitSync, validateManifests, type FluxGitSyncProps, type ManifestObject } from '../../../constructs/index.js';

function synth(props: FluxGitSyncProps) {
  const chart = Testing.chart();
  new FluxGitSync(chart, 'sync', props);
  return Testing.synth(chart) as ManifestObject[];
}

describe('FluxGitSync', () => {
  it('writes a GitRepository and a pruning Kustomization of one directory, valid against the Flux schemas', async () => {
    const objects = synth({ url: 'https://github.com/example-org/gitops.git', path: './dist/prod', secretName: 'git-credentials' });
    const [repository, kustomization] = objects;
    assert.deepEqual(repository, {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'platform', namespace: 'flux-system' },
      spec: { url: 'https://github.com/example-org/gitops.git', ref: { branch: 'main' }, interval: '5m', secretRef: { name: 'git-credentials' } },
    });
    assert.deepEqual(kustomization?.spec, {
      sourceRef: { kind: 'GitRepository', name: 'platform' },
      path: './dist/prod',
      interval: '5m',
      prune: true,
      wait: true,
      timeout: '10m',
    });
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.equal(report.format(), '2 objects checked: 0 errors, 0 warnings, 0 waived by exceptions');
  });

  it('rejects a URL, path or interval Flux would not accept, naming the construct', () => {
    assert.throws(() => synth({ url: 'git@github.com:org/repo.git', path: './x' }), {
      message: "FluxGitSync 'test/sync': url ('git@github.com:org/repo.git') must start with https:// or ssh://",
    });
    assert.throws(() => synth({ url: 'https://example.com/r.git', path: 'dist/prod' }), {
      message: "FluxGitSync 'test/sync': path ('dist/prod') must be relative to the repository root and start with './'",
    });
    assert.throws(() => synth({ url: 'https://example.com/r.git', path: './x', interval: '5 minutes' }), {
      message: "FluxGitSync 'test/sync': interval ('5 minutes') must be a duration such as '5m' or '1h30m'",
    });
  });

  it('refuses a URL with credentials (a password, or a token as the user) without showing them, and takes ssh://git@', () => {
    const expected = 'expected the URL without them, and secretName naming a Secret that holds them (username and password, or identity and known_hosts for ssh)';
    for (const url of ['https://deploy:s3cr3t@github.com/acme/gitops.git', `https://ghp_${'a'.repeat(36)}@github.com/acme/gitops.git`]) {
      assert.throws(() => synth({ url, path: './x' }), (error: Error) => {
        assert.equal(error.message, `FluxGitSync 'test/sync': url ('https://***@github.com/acme/gitops.git') carries credentials (not shown), which would be written into the GitRepository in plain text; ${expected}`);
        assert.doesNotMatch(error.message, /s3cr3t|ghp_/);
        return true;
      });
    }
    assert.equal((synth({ url: 'ssh://git@github.com/acme/gitops.git', path: './x', secretName: 'flux-ssh' })[0] as { spec?: { url?: string } } | undefined)?.spec?.url, 'ssh://git@github.com/acme/gitops.git');
  });
});
