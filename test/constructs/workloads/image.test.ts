import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imagePinProblem, imageReferenceProblem, parseImageReference } from '../../../constructs/index.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageReference', () => {
  it('splits a repository and a tag', () => {
    assert.deepEqual(parseImageReference('nginx:1.27.3'), { repository: 'nginx', tag: '1.27.3' });
  });

  it('returns no tag and no digest for a bare repository', () => {
    assert.deepEqual(parseImageReference('nginx'), { repository: 'nginx' });
  });

  it('keeps a registry and path in the repository', () => {
    assert.deepEqual(parseImageReference('ghcr.io/acme/todo-api:v2.0.1'), { repository: 'ghcr.io/acme/todo-api', tag: 'v2.0.1' });
  });

  it('treats a colon before the last slash as a registry port, not a tag', () => {
    assert.deepEqual(parseImageReference('registry.example.com:5000/team/app'), { repository: 'registry.example.com:5000/team/app' });
    assert.deepEqual(parseImageReference('localhost:5000/app:1.0'), { repository: 'localhost:5000/app', tag: '1.0' });
  });

  it('splits a digest', () => {
    assert.deepEqual(parseImageReference(`nginx@${DIGEST}`), { repository: 'nginx', digest: DIGEST });
  });

  it('splits a tag and a digest together', () => {
    assert.deepEqual(parseImageReference(`registry.example.com:5000/team/app:1.2@${DIGEST}`), {
      repository: 'registry.example.com:5000/team/app', tag: '1.2', digest: DIGEST,
    });
  });

  it('returns an empty tag for a trailing colon', () => {
    assert.deepEqual(parseImageReference('nginx:'), { repository: 'nginx', tag: '' });
  });
});

describe('imagePinProblem', () => {
  it('accepts a version tag', () => {
    assert.equal(imagePinProblem('nginx:1.27.3'), undefined);
    assert.equal(imagePinProblem('ghcr.io/acme/todo-api:v2.0.1'), undefined);
  });

  it('accepts a registry port with a tag', () => {
    assert.equal(imagePinProblem('registry.example.com:5000/team/app:1.2.3'), undefined);
  });

  it('accepts a digest, with or without a tag, even latest', () => {
    assert.equal(imagePinProblem(`nginx@${DIGEST}`), undefined);
    assert.equal(imagePinProblem(`nginx:1.27.3@${DIGEST}`), undefined);
    assert.equal(imagePinProblem(`nginx:latest@${DIGEST}`), undefined);
    assert.equal(imagePinProblem(`registry.example.com:5000/app@${DIGEST}`), undefined);
  });

  it('accepts other digest algorithms', () => {
    assert.equal(imagePinProblem(`nginx@sha512:${'ab'.repeat(64)}`), undefined);
  });

  it('fails if the tag is latest', () => {
    assert.equal(imagePinProblem('nginx:latest'), "uses the mutable tag 'latest'");
  });

  it('fails if there is no tag', () => {
    assert.equal(imagePinProblem('nginx'), 'has no tag, so it pulls :latest');
    assert.equal(imagePinProblem('nginx:'), 'has no tag, so it pulls :latest');
  });

  it('fails if a registry with a port has no tag', () => {
    assert.equal(imagePinProblem('registry.example.com:5000/team/app'), 'has no tag, so it pulls :latest');
  });

  it('fails if the digest is malformed', () => {
    assert.equal(imagePinProblem('nginx@sha256:abc'), "has a malformed digest 'sha256:abc'");
    assert.equal(imagePinProblem(`nginx@${'a'.repeat(64)}`), `has a malformed digest '${'a'.repeat(64)}'`);
    assert.equal(imagePinProblem('nginx@'), "has a malformed digest ''");
    assert.equal(imagePinProblem(`nginx@SHA256:${'a'.repeat(64)}`), `has a malformed digest 'SHA256:${'a'.repeat(64)}'`);
  });

  it('fails if there is no repository', () => {
    assert.equal(imagePinProblem(''), 'has no repository');
    assert.equal(imagePinProblem(':1.0'), 'has no repository');
    assert.equal(imagePinProblem(`@${DIGEST}`), 'has no repository');
  });
});

describe('imageReferenceProblem', () => {
  it('refuses what no runtime can pull: upper-case path components, whitespace, a bad tag or registry; takes a registry port', () => {
    assert.equal(imageReferenceProblem('ghcr.io/acme/app:1.0'), undefined);
    assert.equal(imageReferenceProblem('localhost:5000/app:1.0'), undefined);
    assert.equal(imageReferenceProblem(`nginx@sha256:${'a'.repeat(64)}`), undefined);
    assert.equal(imageReferenceProblem('GHCR.io/Acme/App:1.0'), "has the repository path component 'Acme' with upper-case letters, which a repository may not have");
    assert.equal(imageReferenceProblem(' nginx:1.27'), 'has whitespace, which an image reference may not');
    assert.equal(imageReferenceProblem('acme/app:-rc1'), "has the tag '-rc1', which is not 1 to 128 letters, digits, '_', '.' and '-' (not starting with '.' or '-')");
    assert.equal(imageReferenceProblem('acme/my..app:1'), "has the repository path component 'my..app', which is not lower-case letters and digits separated by '.', '_', '__' or '-'");
  });

  it('imagePinProblem reports an invalid reference before the pin, and a registry port is never taken for a tag', () => {
    assert.equal(imagePinProblem('Acme/app:1.0'), "has the repository path component 'Acme' with upper-case letters, which a repository may not have");
    assert.equal(imagePinProblem('registry:5000/app'), 'has no tag, so it pulls :latest');
  });
});
