/** The deny set's pre-filter: it only ever speeds up "not revoked"; answers stay exact. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DenyFilter, DenySet, hashString } from '../../src/verifier/deny-set.js';

const EXP = 1_800_000_900;
const uuid = (p: string, i: number) => `${p}${i.toString(16).padStart(8, '0')}-4d7a-9f00-6a1c2e3b4d5f`;

describe('DenySet filter', () => {
  it('stays exact across filter rebuilds (every added value denied, no other)', () => {
    const d = new DenySet();
    for (let i = 0; i < 20_000; i++) {
      d.add({ kind: 'jti', value: uuid('j', i), notBefore: null, expiresAt: EXP });
      if (i % 4 === 0) d.add({ kind: 'sid', value: uuid('s', i), notBefore: null, expiresAt: EXP });
      if (i % 8 === 0) d.add({ kind: 'sub', value: uuid('u', i), notBefore: 1000, expiresAt: EXP });
    }
    for (let i = 0; i < 20_000; i++) {
      assert.equal(d.check({ header: {}, payload: { jti: uuid('j', i) } }), 'jti');
      assert.equal(
        d.check({ header: {}, payload: { jti: uuid('x', i), sid: uuid('s', i) } }),
        i % 4 === 0 ? 'sid' : undefined,
      );
      assert.equal(
        d.check({ header: {}, payload: { sub: uuid('u', i), iat: 999 } }),
        i % 8 === 0 ? 'sub' : undefined,
      );
      assert.equal(d.check({ header: {}, payload: { sub: uuid('u', i), iat: 1000 } }), undefined);
      assert.equal(
        d.check({
          header: {},
          payload: { jti: uuid('live', i), sid: uuid('live', i), sub: uuid('live', i) },
        }),
        undefined,
      );
    }
  });

  it('ids that collide in the filter hash are still told apart by the exact map', () => {
    // Longer than 16 characters, differing only at a position the hash does not sample.
    const base = 'a'.repeat(40);
    const a = `${base.slice(0, 1)}X${base.slice(2)}`;
    const b = `${base.slice(0, 1)}Y${base.slice(2)}`;
    assert.equal(hashString(a), hashString(b), 'the test needs a real collision');
    const d = new DenySet();
    d.add({ kind: 'jti', value: a, notBefore: null, expiresAt: EXP });
    assert.equal(d.check({ header: {}, payload: { jti: a } }), 'jti');
    assert.equal(d.check({ header: {}, payload: { jti: b } }), undefined);
  });

  it('a swept entry stops denying even while its bits stay in the filter', () => {
    const d = new DenySet();
    d.add({ kind: 'sid', value: 'gone', notBefore: null, expiresAt: 100 });
    d.sweep(200);
    assert.equal(d.check({ header: {}, payload: { sid: 'gone' } }), undefined);
    d.add({ kind: 'sid', value: 'gone', notBefore: null, expiresAt: EXP });
    assert.equal(d.check({ header: {}, payload: { sid: 'gone' } }), 'sid');
  });

  it('has few false positives and never a false negative', () => {
    const f = DenyFilter.of(
      Array.from({ length: 50_000 }, (_, i) => uuid('in', i)),
      50_000,
    );
    for (let i = 0; i < 50_000; i++) assert.ok(f.mayContain(uuid('in', i)));
    let fp = 0;
    for (let i = 0; i < 50_000; i++) if (f.mayContain(uuid('out', i))) fp++;
    assert.ok(fp < 1000, `${fp} false positives in 50,000`);
  });
});
