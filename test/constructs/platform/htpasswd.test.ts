/**
 * hashPassword and htpasswd: real bcrypt ($2b$, default cost 10), lines nginx reads, input
 * checks that never show the password, and the measured cost of one verification.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { hashPassword, htpasswd, isBcryptHash, HTPASSWD_DEFAULTS } from '../../../constructs/platform/htpasswd.js';

describe('hashPassword', () => {
  it('defaults: a $2b$ bcrypt hash at cost 10 that verifies, salted afresh each time', () => {
    const hash = hashPassword('hunter2-but-longer');
    assert.match(hash, /^\$2b\$10\$[./A-Za-z0-9]{53}$/);
    assert.equal(bcrypt.compareSync('hunter2-but-longer', hash), true);
    assert.equal(bcrypt.compareSync('hunter3-but-longer', hash), false);
    assert.notEqual(hashPassword('hunter2-but-longer', { rounds: 4 }), hashPassword('hunter2-but-longer', { rounds: 4 }));
    assert.equal(HTPASSWD_DEFAULTS.rounds, 10);
  });

  it('takes the rounds option', () => {
    assert.match(hashPassword('pw', { rounds: 4 }), /^\$2b\$04\$/);
  });

  it('throws if rounds are out of range', () => {
    assert.throws(() => hashPassword('pw', { rounds: 3 }), { message: 'hashPassword: rounds must be a whole number from 4 to 31, got 3' });
    assert.throws(() => hashPassword('pw', { rounds: 10.5 }), { message: 'hashPassword: rounds must be a whole number from 4 to 31, got 10.5' });
  });

  it('throws without showing the password if it is empty or longer than bcrypt reads', () => {
    assert.throws(() => hashPassword(''), { message: 'hashPassword: the password is empty; expected a password' });
    const long = 'p'.repeat(73);
    assert.throws(() => hashPassword(long), (error: Error) => {
      assert.equal(error.message, 'hashPassword: the password is 73 bytes long; bcrypt ignores everything past 72 bytes, so expected at most 72');
      assert.ok(!error.message.includes(long));
      return true;
    });
  });
});

describe('htpasswd', () => {
  it('writes one user:hash line per user, each ending in a newline', () => {
    const content = htpasswd([{ username: 'alice', password: 'a-pw' }, { username: 'bob', password: 'b-pw' }], { rounds: 4 });
    const lines = content.split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    const [alice, bob] = lines.map((line) => line.split(':')) as [string[], string[]];
    assert.equal(alice[0], 'alice');
    assert.equal(bob[0], 'bob');
    assert.ok(isBcryptHash(alice[1] ?? '') && bcrypt.compareSync('a-pw', alice[1] ?? ''));
    assert.ok(bcrypt.compareSync('b-pw', bob[1] ?? ''));
    assert.ok(!content.includes('a-pw') && !content.includes('b-pw'));
  });

  const cases: [string, Parameters<typeof htpasswd>[0], string][] = [
    ['no users', [], 'htpasswd: users is empty; expected at least one { username, password }'],
    ['a colon in a user name', [{ username: 'a:b', password: 'x' }], 'htpasswd: users[0].username ("a:b") contains \':\', which separates the user name from the hash in an htpasswd line'],
    ['a line break in a user name', [{ username: 'a\nb', password: 'x' }], 'htpasswd: users[0].username ("a\\nb") contains a line break, which would end the htpasswd line'],
    ['an empty user name', [{ username: '', password: 'x' }], 'htpasswd: users[0].username ("") is empty'],
    ['a user twice', [{ username: 'a', password: 'x' }, { username: 'a', password: 'y' }], "htpasswd: users[1].username ('a') appears twice; expected each user once"],
    ['an empty password', [{ username: 'a', password: '' }], "htpasswd: users[0].password (user 'a') is empty; expected a password"],
  ];
  for (const [what, users, message] of cases) {
    it(`throws if given ${what}`, () => assert.throws(() => htpasswd(users, { rounds: 4 }), { message }));
  }
});

describe('isBcryptHash', () => {
  it('accepts $2a$, $2b$ and $2y$ hashes and refuses anything else', () => {
    const hash = hashPassword('pw', { rounds: 4 });
    for (const prefix of ['$2a$', '$2b$', '$2y$']) assert.equal(isBcryptHash(hash.replace('$2b$', prefix)), true);
    for (const value of ['pw', '{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', '$apr1$abc$def', hash.slice(0, -1), hash.replace('$04$', '$03$')]) {
      assert.equal(isBcryptHash(value), false, value);
    }
  });
});

describe('the cost of a bcrypt verification (bcryptjs, measured)', () => {
  it('costs well over four times as much at 12 rounds as at 8 (each round doubles it); the times are reported, not asserted', (t) => {
    const perVerify: Record<number, number> = {};
    for (const rounds of [8, 10, 12]) {
      const hash = hashPassword('correct horse battery staple', { rounds });
      const n = rounds === 12 ? 2 : 5;
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) bcrypt.compareSync('correct horse battery staple', hash);
      perVerify[rounds] = Number(process.hrtime.bigint() - start) / 1e6 / n;
    }
    t.diagnostic(`bcryptjs compareSync: cost 8 ${perVerify[8]?.toFixed(1)} ms, cost 10 ${perVerify[10]?.toFixed(1)} ms, cost 12 ${perVerify[12]?.toFixed(1)} ms`);
    assert.ok((perVerify[12] ?? 0) > (perVerify[8] ?? 0) * 4, 'four more rounds cost well over four times as much');
  });
});
