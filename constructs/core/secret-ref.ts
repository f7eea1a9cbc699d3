import type { PropsValidator } from './errors.js';
import { dns1123SubdomainProblem } from './names.js';

/** A reference to one key of a Secret. */
export interface SecretKeyRef {
  /** The Secret's name. */
  readonly name: string;
  /** The key in the Secret's data. */
  readonly key: string;
}

/** The characters a Secret's data key may have (and 1 to 253 of them). */
export const SECRET_DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/**
 * Checks a prop that must be a {@link SecretKeyRef}, the one way every construct refuses a
 * wrong one: missing, a literal (a string, say: refused without repeating it, since it may
 * be the secret itself), or a reference whose name is not a Secret name or whose key is not
 * a Secret key. `example` is a reference to show, such as `{ name: 'redis-password', key: 'password' }`.
 * @returns the reference, typed
 */
export function checkSecretKeyRef(v: PropsValidator, field: string, ref: unknown, example: string): SecretKeyRef {
  if (ref === undefined || ref === null) {
    throw v.error({ field, problem: 'is missing', expected: `a reference to a key of a Secret, e.g. ${example}` });
  }
  if (typeof ref !== 'object' || Array.isArray(ref)) {
    // Never show what was given: it may be the secret itself.
    throw v.error({
      field, problem: `is ${Array.isArray(ref) ? 'a list' : `a ${typeof ref}`}, not a Secret reference (the value is not shown: it may be the secret)`,
      expected: `a reference to a key of a Secret, e.g. ${example}`,
    });
  }
  const { name, key } = ref as Partial<SecretKeyRef>;
  if (name === undefined) throw v.error({ field: `${field}.name`, problem: 'is missing', expected: `the name of the Secret, e.g. ${example}` });
  if (key === undefined) throw v.error({ field: `${field}.key`, problem: 'is missing', expected: `the key in the Secret, e.g. ${example}` });
  const nameProblem = typeof name === 'string' ? dns1123SubdomainProblem(name) : `is a ${typeof name}, not a Secret name`;
  if (nameProblem) throw v.error({ field: `${field}.name`, value: name, problem: nameProblem, expected: `a Secret name (a DNS-1123 subdomain), e.g. ${example}` });
  if (typeof key !== 'string' || !SECRET_DATA_KEY.test(key)) {
    throw v.error({ field: `${field}.key`, value: key, problem: "is not a Secret key (letters, digits, '-', '_' or '.')", expected: `e.g. ${example}` });
  }
  return { name, key };
}
