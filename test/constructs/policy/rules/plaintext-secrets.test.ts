/**
 * kit-no-plaintext-secrets: each way a secret can reach the output in plain text is found,
 * at its path, without the secret in the message; references and waivers pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KIT_NO_PLAINTEXT_SECRETS, namesASecret, redacted } from '../../../../constructs/policy/rules/plaintext-secrets.js';
import { validateManifests } from '../../../../constructs/policy/validate.js';
import type { ManifestObject } from '../../../../constructs/policy/finding.js';
import { check, deployment, mainContainer, summarize } from './_workload-fixtures.js';

const C0 = 'spec.template.spec.containers[0]';
const release = (values: Record<string, unknown>): ManifestObject => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'kps', namespace: 'monitoring' }, spec: { values },
});
const messages = (object: ManifestObject) => check(KIT_NO_PLAINTEXT_SECRETS, object).map((f) => `${f.path}: ${f.message}`);

describe('namesASecret', () => {
  it('names a secret by how the name ends, and not a reference to one', () => {
    for (const name of ['DB_PASSWORD', 'adminPassword', 'GITHUB_TOKEN', 'awsSecretAccessKey', 'apiKey', 'client-secret', 'slack_api_url', 'secret']) assert.ok(namesASecret(name), name);
    for (const name of ['passwordKey', 'PASSWORD_FILE', 'existingSecret', 'tokenPath', 'AWS_ACCESS_KEY_ID', 'secretName', 'userKey', 'LOG_LEVEL']) assert.equal(namesASecret(name), false, name);
  });

  it('redacted shows two characters and the length only', () => {
    assert.equal(redacted('hunter2hunter2'), "'hu…' (14 characters)");
  });
});

describe('kit-no-plaintext-secrets', () => {
  it('fails a literal env value named like a secret, without showing it; passes a secretKeyRef and an ordinary variable', () => {
    const web = deployment('web', 'shop');
    mainContainer(web).env = [
      { name: 'DB_PASSWORD', value: 'hunter2hunter2' },
      { name: 'DB_PASSWORD_FILE', value: '/secrets/db' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ];
    assert.deepEqual(summarize(check(KIT_NO_PLAINTEXT_SECRETS, web)), [{
      ruleId: 'kit-no-plaintext-secrets',
      path: `${C0}.env[0].value`,
      message: `Deployment/shop/web: ${C0}.env[0].value holds a literal value 'hu…' (14 characters) for DB_PASSWORD, a variable named like a secret, in plain text in the output.`,
    }]);
    assert.doesNotMatch(JSON.stringify(check(KIT_NO_PLAINTEXT_SECRETS, web)), /hunter2/);
  });

  it('fails Helm values at secret keys (grafana.adminPassword, slack_api_url), passes references and file paths', () => {
    assert.deepEqual(messages(release({
      grafana: { adminPassword: 'prom-operator', admin: { existingSecret: 'grafana-admin', passwordKey: 'admin-password' } },
      alertmanager: { config: { global: { slack_api_url: 'not-a-real-url' }, receivers: [{ name: 'x', slack_configs: [{ api_url_file: '/etc/alertmanager/secrets/s/url' }] }] } },
    })), [
      "spec.values.grafana.adminPassword: HelmRelease/monitoring/kps: spec.values.grafana.adminPassword holds 'pr…' (13 characters) at the Helm value key 'adminPassword', which holds a secret, in plain text in the output.",
      "spec.values.alertmanager.config.global.slack_api_url: HelmRelease/monitoring/kps: spec.values.alertmanager.config.global.slack_api_url holds 'no…' (14 characters) at the Helm value key 'slack_api_url', which holds a secret, in plain text in the output.",
    ]);
  });

  it('fails a URL with credentials and well-known token formats anywhere, showing neither', () => {
    const config: ManifestObject = {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop' },
      data: {
        repo: 'https://deploy:s3cr3t-pass@git.example.com/shop.git',
        aws: 'AKIAIOSFODNN7EXAMPLE',
        slack: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        github: `ghp_${'a'.repeat(36)}`,
        key: '-----BEGIN RSA PRIVATE KEY-----\nMIIE...',
        fine: 'https://git.example.com/shop.git',
        ssh: 'ssh://git@github.com/acme/shop.git',
      },
    };
    assert.deepEqual(messages(config), [
      'data.repo: ConfigMap/shop/app: data.repo holds a URL with credentials in it (the value is not shown), in plain text in the output.',
      'data.aws: ConfigMap/shop/app: data.aws holds an AWS access key id (the value is not shown), in plain text in the output.',
      'data.slack: ConfigMap/shop/app: data.slack holds a Slack incoming-webhook URL (the value is not shown), in plain text in the output.',
      'data.github: ConfigMap/shop/app: data.github holds a GitHub token (the value is not shown), in plain text in the output.',
      'data.key: ConfigMap/shop/app: data.key holds a PEM private key (the value is not shown), in plain text in the output.',
    ]);
  });

  it('passes a Secret SOPS encrypted, and fails one whose values SOPS left in plain text, naming the keys only', () => {
    const sops = { age: [{ recipient: 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq', enc: '-----BEGIN AGE ENCRYPTED FILE-----' }], lastmodified: '2026-12-01T10:00:00Z', mac: 'ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]', version: '3.9.4' };
    const encrypted = (data: Record<string, string>): ManifestObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data, sops } as ManifestObject);
    assert.deepEqual(messages(encrypted({ password: 'ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]' })), []);
    assert.deepEqual(messages(encrypted({ password: 'ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]', username: 'YWRtaW4=' })), [
      'data: Secret/shop/db: a SOPS-encrypted Secret has data values that are not encrypted (keys: username), so whoever reads the output reads them.',
    ]);
    // A `sops` field without SOPS's MAC is not a SOPS file: the data is plain.
    const fake = { ...encrypted({ password: 'c2VjcmV0' }), sops: { version: '3' } } as ManifestObject;
    assert.equal(messages(fake).length, 1);
  });

  it('fails a Secret with data or stringData, naming its keys only; passes one without', () => {
    const secret = (extra: object): ManifestObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', ...extra });
    assert.deepEqual(messages(secret({ stringData: { password: 'x', user: 'y' } })), [
      "stringData: Secret/shop/db: a Secret with stringData (keys: password, user) is in the output, so whoever reads the output (a Git repository, Pulumi's state) reads the secret.",
    ]);
    assert.deepEqual(messages(secret({})), []);
  });

  it('is waivable on the object with a reason, like every rule', async () => {
    const secret: ManifestObject = {
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque', stringData: { '.htpasswd': 'alice:$2y$10$abc' },
      metadata: { name: 'users', namespace: 'shop', annotations: { 'exceptions.k8s-platform-kit.dev/kit-no-plaintext-secrets': 'bcrypt hashes only' } },
    };
    const report = await validateManifests([{ object: secret }], { rules: [KIT_NO_PLAINTEXT_SECRETS] });
    assert.deepEqual(report.errors, []);
  });
});
