/**
 * `kit-no-plaintext-secrets`: no secret reaches the kit's output in plain text. Every string
 * of every object is looked at: a literal environment value whose variable is named like a
 * secret, a Helm value at a key that holds one, a URL with credentials in it, a token or key
 * in a well-known format, and a Secret object that carries data (in a Git repository, in
 * Pulumi's state, in a CI log). Findings never show the secret: only its length.
 */
import { containersOf, describeObject, podSpecOf } from '../../core/pod.js';
import { Severity, finding } from '../finding.js';
import type { Finding, ManifestObject, PolicyRule } from '../finding.js';

/** How the name of a value that is a secret ends, once lower-cased without `-` and `_`. */
const SECRET_NAME_ENDINGS = ['password', 'passwd', 'passphrase', 'token', 'apikey', 'privatekey', 'secretkey', 'accesskey', 'clientsecret', 'slackapiurl', 'credentials'];

/**
 * Whether a variable or value key names a secret: `DB_PASSWORD`, `adminPassword`,
 * `awsSecretAccessKey`, `GITHUB_TOKEN`, `secret`; not one that names a reference to it
 * (`passwordKey`, `PASSWORD_FILE`, `existingSecret`, `tokenPath`, `AWS_ACCESS_KEY_ID`).
 */
export function namesASecret(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_.]/g, '');
  return normalized === 'secret' || SECRET_NAME_ENDINGS.some((ending) => normalized.endsWith(ending));
}

/** Well-known token and key formats, each with what it is. */
const TOKEN_FORMATS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'an AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { what: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { what: 'a Slack incoming-webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { what: 'a PEM private key', pattern: /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/** A URL whose user-info holds a password or a token: `https://user:pass@host`, `https://ghp_…@github.com`. */
const URL_WITH_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/([^/\s:@]+):([^/\s@]+)@|\bhttps?:\/\/([^/\s:@]{20,})@/i;

/** How a secret is shown in a finding: its first two characters and its length. */
export function redacted(value: string): string {
  return `'${value.slice(0, 2)}…' (${value.length} characters)`;
}

/** `a.b`, or `a["b.c"]` for a key that is not a plain identifier. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return parent === '' ? safe.replace(/^\./, '') : `${parent}${safe}`;
}

/** Every string of a JSON-like value, with its path and the key it is under. */
function* stringsOf(value: unknown, path: string, key: string | undefined): Generator<{ value: string; path: string; key: string | undefined }> {
  if (typeof value === 'string') yield { value, path, key };
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* stringsOf(item, childPath(path, i), key);
  else if (value !== null && typeof value === 'object') {
    for (const [k, item] of Object.entries(value)) yield* stringsOf(item, childPath(path, k), k);
  }
}

const FIX = 'Put the value into a Secret created out of band (or by External Secrets or SOPS), and reference it: valueFrom.secretKeyRef for an environment variable, the chart\'s existingSecret or *SecretName value for Helm, a secretName for a Git repository.';

/** SOPS's record on a file it encrypted (`sops:` with the recipients and a MAC), or undefined. */
function sopsMetadata(object: ManifestObject): Record<string, unknown> | undefined {
  const sops = (object as Record<string, unknown>).sops;
  return sops !== null && typeof sops === 'object' && typeof (sops as Record<string, unknown>).mac === 'string' ? sops as Record<string, unknown> : undefined;
}

/** Whether a value is a SOPS ciphertext: `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`. */
function isSopsEncrypted(value: unknown): boolean {
  return typeof value === 'string' && /^ENC\[AES256_GCM,data:[^,\]]*,iv:[^,\]]+,tag:[^,\]]+,type:[a-z]+\]$/.test(value);
}

function checkPlaintextSecrets(object: ManifestObject): Finding[] {
  const findings: Finding[] = [];
  const subject = describeObject(object);
  const found = (path: string, what: string) => findings.push(finding(KIT_NO_PLAINTEXT_SECRETS, {
    path, message: `${subject}: ${path} holds ${what}, in plain text in the output.`, fix: FIX,
  }));
  const flagged = new Set<string>();

  // A Secret object with data: whatever holds the output holds the secret, unless SOPS encrypted every value.
  if (object.kind === 'Secret' && object.apiVersion === 'v1') {
    const sops = sopsMetadata(object);
    for (const field of ['data', 'stringData'] as const) {
      const data = (object as Record<string, unknown>)[field];
      if (sops && data !== null && typeof data === 'object') {
        const plain = Object.entries(data).filter(([, value]) => !isSopsEncrypted(value)).map(([key]) => key).sort();
        if (plain.length > 0) {
          findings.push(finding(KIT_NO_PLAINTEXT_SECRETS, {
            path: field,
            message: `${subject}: a SOPS-encrypted Secret has ${field} values that are not encrypted (keys: ${plain.join(', ')}), so whoever reads the output reads them.`,
            fix: 'Encrypt the whole data of the Secret: sops --encrypt with an encrypted_regex of ^(data|stringData)$.',
          }));
        }
        flagged.add(field);
        continue;
      }
      if (data !== null && typeof data === 'object' && Object.keys(data).length > 0) {
        findings.push(finding(KIT_NO_PLAINTEXT_SECRETS, {
          path: field,
          message: `${subject}: a Secret with ${field} (keys: ${Object.keys(data).sort().join(', ')}) is in the output, so whoever reads the output (a Git repository, Pulumi's state) reads the secret.`,
          fix: 'Create the Secret out of band, or with External Secrets or SOPS, and reference it by name; or waive this rule on the Secret with a reason if its data is not secret (hashes only, say).',
        }));
        flagged.add(field);
      }
    }
  }

  // Literal environment values named like secrets.
  const pod = podSpecOf(object);
  if (pod) {
    for (const location of containersOf(pod)) {
      (location.container.env ?? []).forEach((variable, i) => {
        if (typeof variable.value === 'string' && variable.value !== '' && namesASecret(variable.name)) {
          const path = `${location.path}.env[${i}].value`;
          found(path, `a literal value ${redacted(variable.value)} for ${variable.name}, a variable named like a secret`);
          flagged.add(path);
        }
      });
    }
  }

  // Helm values at keys that hold secrets.
  if (object.kind === 'HelmRelease') {
    const values = (object.spec as Record<string, unknown> | undefined)?.values;
    for (const item of stringsOf(values, 'spec.values', undefined)) {
      if (item.key !== undefined && item.value !== '' && namesASecret(item.key) && !item.value.startsWith('/')) {
        found(item.path, `${redacted(item.value)} at the Helm value key '${item.key}', which holds a secret`);
        flagged.add(item.path);
      }
    }
  }

  // Credentials in URLs and well-known token formats, anywhere.
  for (const item of stringsOf(object, '', undefined)) {
    if ([...flagged].some((path) => item.path === path || item.path.startsWith(`${path}.`) || item.path.startsWith(`${path}[`))) continue;
    if (URL_WITH_CREDENTIALS.test(item.value)) {
      found(item.path, 'a URL with credentials in it (the value is not shown)');
      continue;
    }
    const token = TOKEN_FORMATS.find((format) => format.pattern.test(item.value));
    if (token) found(item.path, `${token.what} (the value is not shown)`);
  }
  return findings;
}

/** `kit-no-plaintext-secrets`: no secret in plain text in any object the kit writes. */
export const KIT_NO_PLAINTEXT_SECRETS: PolicyRule = {
  id: 'kit-no-plaintext-secrets',
  severity: Severity.ERROR,
  description: 'No secret in plain text: no literal secret env value, secret Helm value, URL with credentials, known token format or Secret with data.',
  check: checkPlaintextSecrets,
};

/** The rules about secrets in the output. */
export const SECRET_RULES: readonly PolicyRule[] = [KIT_NO_PLAINTEXT_SECRETS];
