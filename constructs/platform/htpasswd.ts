/**
 * Basic-auth password files: bcrypt hashes (`$2b$`) of passwords and htpasswd lines, for
 * Pulumi programs (`pulumi.secret(password).apply((p) => htpasswd([{ username, password: p }]))`)
 * and scripts. The constructs never take a plaintext password: they take the output of
 * these functions, or a Secret that holds it.
 *
 * Basic auth verifies the password on every request, so the cost of a hash is paid per
 * request: see docs/constructs/ingress-with-auth.md for measurements.
 */
import bcrypt from 'bcryptjs';

/** The defaults of {@link hashPassword}. */
export const HTPASSWD_DEFAULTS = {
  /** bcrypt's cost factor: 2^10 rounds of the key schedule. */
  rounds: 10,
  minRounds: 4,
  maxRounds: 31,
} as const;

/** bcrypt reads at most 72 bytes of a password and silently ignores the rest. */
const BCRYPT_MAX_BYTES = 72;

/** A bcrypt hash as crypt(3) writes it: `$2a$`, `$2b$` or `$2y$`, a two-digit cost, 53 characters of salt and hash. */
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

/** Options of {@link hashPassword} and {@link htpasswd}. */
export interface HashOptions {
  /**
   * The bcrypt cost factor, 4 to 31. Each step doubles the time of every hash, and so the
   * CPU every authenticated request costs the verifier.
   * @default 10
   */
  readonly rounds?: number;
}

/** One basic-auth user and its password, for {@link htpasswd}. */
export interface HtpasswdUser {
  /** The user name: not empty, no `:` and no line break. */
  readonly username: string;
  /** The plaintext password: 1 to 72 bytes (bcrypt ignores anything past 72). */
  readonly password: string;
}

/** True when `value` is a bcrypt hash (`$2a$`, `$2b$` or `$2y$`, cost 04–31). */
export function isBcryptHash(value: string): boolean {
  return BCRYPT_HASH.test(value);
}

/** Returns why `username` cannot stand in an htpasswd line, or undefined. */
export function htpasswdUsernameProblem(username: string): string | undefined {
  if (username === '') return 'is empty';
  if (username.includes(':')) return "contains ':', which separates the user name from the hash in an htpasswd line";
  if (/[\r\n]/.test(username)) return 'contains a line break, which would end the htpasswd line';
  return undefined;
}

function checkRounds(fn: string, rounds: number): void {
  if (!Number.isInteger(rounds) || rounds < HTPASSWD_DEFAULTS.minRounds || rounds > HTPASSWD_DEFAULTS.maxRounds) {
    throw new Error(`${fn}: rounds must be a whole number from ${HTPASSWD_DEFAULTS.minRounds} to ${HTPASSWD_DEFAULTS.maxRounds}, got ${JSON.stringify(rounds)}`);
  }
}

/** Checks a password without ever putting it in a message. */
function checkPassword(fn: string, what: string, password: string): void {
  if (typeof password !== 'string' || password === '') throw new Error(`${fn}: ${what} is empty; expected a password`);
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > BCRYPT_MAX_BYTES) {
    throw new Error(`${fn}: ${what} is ${bytes} bytes long; bcrypt ignores everything past ${BCRYPT_MAX_BYTES} bytes, so expected at most ${BCRYPT_MAX_BYTES}`);
  }
}

/**
 * The bcrypt hash (`$2b$<rounds>$…`, a fresh random salt each call) of `plaintext`.
 * Throws, without showing the password, if it is empty or longer than bcrypt reads.
 */
export function hashPassword(plaintext: string, options: HashOptions = {}): string {
  const rounds = options.rounds ?? HTPASSWD_DEFAULTS.rounds;
  checkRounds('hashPassword', rounds);
  checkPassword('hashPassword', 'the password', plaintext);
  return bcrypt.hashSync(plaintext, bcrypt.genSaltSync(rounds));
}

/**
 * htpasswd content: one `username:$2b$…` line per user, each ending in a newline. Put it in
 * a Secret (with `pulumi.secret`, SOPS or External Secrets) and give the Secret to
 * `BasicAuthUsers.fromSecret`.
 */
export function htpasswd(users: readonly HtpasswdUser[], options: HashOptions = {}): string {
  const rounds = options.rounds ?? HTPASSWD_DEFAULTS.rounds;
  checkRounds('htpasswd', rounds);
  if (users.length === 0) throw new Error('htpasswd: users is empty; expected at least one { username, password }');
  const seen = new Set<string>();
  users.forEach((user, i) => {
    const problem = htpasswdUsernameProblem(user.username);
    if (problem) throw new Error(`htpasswd: users[${i}].username (${JSON.stringify(user.username)}) ${problem}`);
    if (seen.has(user.username)) throw new Error(`htpasswd: users[${i}].username ('${user.username}') appears twice; expected each user once`);
    seen.add(user.username);
    checkPassword('htpasswd', `users[${i}].password (user '${user.username}')`, user.password);
  });
  return users.map((user) => `${user.username}:${hashPassword(user.password, { rounds })}\n`).join('');
}
