import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DenySet } from '../../src/verifier/deny-set.js';

const EXP = 1_800_000_900;

describe('DenySet', () => {
  it('denies by jti, sid and kid', () => {
    const d = new DenySet();
    d.add({ kind: 'jti', value: 'j1', notBefore: null, expiresAt: EXP });
    d.add({ kind: 'sid', value: 's1', notBefore: null, expiresAt: EXP });
    d.add({ kind: 'kid', value: 'k1', notBefore: null, expiresAt: EXP });
    assert.equal(d.check({ header: {}, payload: { jti: 'j1' } }), 'jti');
    assert.equal(d.check({ header: {}, payload: { jti: 'j2', sid: 's1' } }), 'sid');
    assert.equal(d.check({ header: { kid: 'k1' }, payload: { jti: 'j2', sid: 's2' } }), 'kid');
    assert.equal(d.check({ header: { kid: 'k2' }, payload: { jti: 'j2', sid: 's2', sub: 'u' } }), undefined);
    assert.equal(d.hasKid('k1'), true);
    assert.deepEqual(d.sizes(), { jti: 1, sid: 1, sub: 0, kid: 1, total: 3 });
  });

  it('denies a sub only for tokens issued before the cut-off', () => {
    const d = new DenySet();
    d.add({ kind: 'sub', value: 'alice', notBefore: 1000, expiresAt: EXP });
    assert.equal(d.check({ header: {}, payload: { sub: 'alice', iat: 999 } }), 'sub');
    assert.equal(d.check({ header: {}, payload: { sub: 'alice', iat: 1000 } }), undefined);
    assert.equal(
      d.check({ header: {}, payload: { sub: 'alice' } }),
      'sub',
      'no iat: cannot prove it is newer',
    );
    assert.equal(d.check({ header: {}, payload: { sub: 'alice', iat: Number.NaN } }), 'sub');
    assert.equal(d.check({ header: {}, payload: { sub: 'bob', iat: 1 } }), undefined);
    // A later entry moves the cut-off forward, never back.
    d.add({ kind: 'sub', value: 'alice', notBefore: 2000, expiresAt: EXP });
    d.add({ kind: 'sub', value: 'alice', notBefore: 1500, expiresAt: EXP });
    assert.equal(d.check({ header: {}, payload: { sub: 'alice', iat: 1999 } }), 'sub');
    // notBefore null: every token of that user.
    d.add({ kind: 'sub', value: 'carol', notBefore: null, expiresAt: EXP });
    assert.equal(d.check({ header: {}, payload: { sub: 'carol', iat: 10 ** 12 } }), 'sub');
  });

  it('ignores claims of the wrong type', () => {
    const d = new DenySet();
    d.add({ kind: 'jti', value: '1', notBefore: null, expiresAt: EXP });
    assert.equal(d.check({ header: {}, payload: { jti: 1 } }), undefined);
  });

  it('sweeps expired entries incrementally, within the budget', () => {
    const d = new DenySet();
    for (let i = 0; i < 100; i++) d.add({ kind: 'jti', value: `old${i}`, notBefore: null, expiresAt: 100 });
    for (let i = 0; i < 50; i++) d.add({ kind: 'sid', value: `new${i}`, notBefore: null, expiresAt: 10_000 });
    d.add({ kind: 'sub', value: 'u', notBefore: 1, expiresAt: 100 });
    assert.equal(d.sweep(200, 30), 30);
    assert.equal(d.size, 121);
    let removed = 0;
    for (let i = 0; i < 10; i++) removed += d.sweep(200, 30);
    assert.equal(removed, 71);
    assert.deepEqual(d.sizes(), { jti: 0, sid: 50, sub: 0, kid: 0, total: 50 });
    assert.equal(d.sweep(200, 1000), 0, 'an empty pass terminates');
    assert.equal(new DenySet().sweep(1), 0);
  });

  it('keeps the later expiry of duplicates', () => {
    const d = new DenySet();
    d.add({ kind: 'jti', value: 'x', notBefore: null, expiresAt: 500 });
    d.add({ kind: 'jti', value: 'x', notBefore: null, expiresAt: 100 });
    d.sweep(200);
    assert.equal(d.check({ header: {}, payload: { jti: 'x' } }), 'jti');
  });

  it('holds one million jti entries in well under 200 MB of heap', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const d = new DenySet();
    for (let i = 0; i < 1_000_000; i++) {
      // uuid-sized ids, as the auth server issues them
      d.add({
        kind: 'jti',
        value: `0b7e3c52-${i.toString(16).padStart(8, '0')}-4d7a-9f00-6a1c2e3b4d5f`,
        notBefore: null,
        expiresAt: EXP + (i % 900),
      });
    }
    gc();
    const mb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    assert.equal(d.size, 1_000_000);
    assert.equal(
      d.check({ header: {}, payload: { jti: '0b7e3c52-000f4239-4d7a-9f00-6a1c2e3b4d5f' } }),
      'jti',
    );
    console.log(`deny set: 1,000,000 jti entries use ${mb.toFixed(1)} MB of heap`);
    assert.ok(mb < 200, `heap delta ${mb.toFixed(1)} MB`);
  });
});
