import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createJwtVerifier,
  createKeySet,
  decodeJwt,
  exportJwk,
  exportPem,
  generateKey,
  importSecret,
  signJws,
  signJwt,
  toPublicKey,
  verifyJws,
  verifyJwt,
} from '../../src/index.js';
import { b64, forge, setTrailingBit, signSegments } from './helpers.js';

const NOW = 1_700_000_000;
const hs = generateKey('HS256', { kid: 'hs' });
const es = generateKey('ES256', { kid: 'es' });
const rs = generateKey('RS256', { kid: 'rs' });
const opts = { algorithms: ['HS256'], now: NOW } as const;
const good = signJwt({ sub: 'a', exp: NOW + 60 }, hs);
const [H, P, S] = good.split('.') as [string, string, string];

const code = (c: string, claim?: string) => (err: unknown) => {
  const e = err as { code?: string; claim?: string; name?: string };
  assert.equal(e.name, 'GatehouseError');
  assert.equal(e.code, c);
  if (claim !== undefined) assert.equal(e.claim, claim);
  return true;
};

describe('strict parsing (step 1)', () => {
  const malformed: [string, string][] = [
    ['empty string', ''],
    ['two segments', `${H}.${P}`],
    ['four segments', `${good}.${S}`],
    ['duplicated segments', `${H}.${H}.${P}.${S}`],
    ['padding in the header', `${H}=.${P}.${S}`],
    ['padding in the signature', `${H}.${P}.${S}=`],
    ['standard base64 characters', `${H}.${P.replace(/-/g, '+').replace(/_/g, '/')}x.${S}`],
    ['a space', `${H}.${P} .${S}`],
    ['non-ASCII', `${H}.${P}é.${S}`],
    ['impossible length', `${H}.${P}.${S}AA`],
    ['non-canonical trailing bits in the signature', `${H}.${P}.${setTrailingBit(S)}`],
    ['header not JSON', signSegments(b64('{alg:HS256}'), P, hs)],
    ['header an array', signSegments(b64('["HS256"]'), P, hs)],
    ['header without alg', forge({ typ: 'JWT' }, { sub: 'a' }, hs)],
    ['alg not a string', forge({ alg: ['HS256'] }, { sub: 'a' }, hs)],
    ['kid not a string', forge({ alg: 'HS256', kid: 7 }, { sub: 'a' }, hs)],
    ['payload an array', forge({ alg: 'HS256' }, '[]', hs)],
    [
      'payload invalid UTF-8',
      signSegments(H, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).toString('base64url'), hs),
    ],
  ];
  for (const [name, token] of malformed) {
    it(`${name} → TOKEN_MALFORMED`, () => {
      assert.throws(() => verifyJwt(token, hs, opts), code('TOKEN_MALFORMED'));
    });
  }

  it('non-canonical trailing bits in the payload → TOKEN_MALFORMED', () => {
    // 'e30' is {} ; 'e31' decodes to the same bytes but is not the canonical encoding.
    const t = signSegments(H, 'e31', hs);
    assert.throws(() => verifyJwt(t, hs, opts), code('TOKEN_MALFORMED'));
    assert.ok(verifyJwt(signSegments(H, 'e30', hs), hs, opts));
  });

  it('a token over 8 KiB → TOKEN_TOO_LARGE; the limit is configurable', () => {
    const big = signJwt({ pad: 'x'.repeat(9000) }, hs);
    assert.throws(() => verifyJwt(big, hs, opts), code('TOKEN_TOO_LARGE'));
    assert.ok(verifyJwt(big, hs, { ...opts, maxTokenSize: 20_000 }));
    assert.throws(() => verifyJwt(good, hs, { ...opts, maxTokenSize: 50 }), code('TOKEN_TOO_LARGE'));
  });

  it('a huge header → TOKEN_TOO_LARGE before any parsing', () => {
    const t = forge({ alg: 'HS256', x: 'y'.repeat(10_000) }, { sub: 'a' }, hs);
    assert.throws(() => verifyJwt(t, hs, opts), code('TOKEN_TOO_LARGE'));
  });

  it('a non-string token → TOKEN_MALFORMED', () => {
    for (const t of [undefined, null, 42, {}, Buffer.from(good)]) {
      assert.throws(() => verifyJwt(t as unknown as string, hs, opts), code('TOKEN_MALFORMED'));
    }
  });
});

describe('algorithms and header rules (steps 2-3, RFC 8725)', () => {
  it('alg none is never accepted, signed or not', () => {
    const unsigned = `${b64('{"alg":"none"}')}.${P}.`;
    assert.throws(() => verifyJwt(unsigned, hs, opts), code('ALG_NOT_ALLOWED'));
    assert.throws(
      () => verifyJwt(unsigned, hs, { ...opts, algorithms: ['none' as 'HS256'] }),
      code('OPTION_INVALID'),
    );
    for (const alg of ['None', 'NONE', 'nOnE']) {
      assert.throws(() => verifyJwt(`${b64(`{"alg":"${alg}"}`)}.${P}.`, hs, opts), code('ALG_NOT_ALLOWED'));
    }
  });

  it('an algorithm outside the allow-list → ALG_NOT_ALLOWED', () => {
    const t = signJwt({ sub: 'a' }, es);
    assert.throws(() => verifyJwt(t, es, { algorithms: ['ES384'] }), code('ALG_NOT_ALLOWED'));
  });

  it('HS/RS key confusion: an HS256 token MACed with the RSA public key is refused', () => {
    const pem = exportPem(toPublicKey(rs));
    const confused = importSecret(pem, 'HS256');
    const t = forge({ alg: 'HS256', kid: 'rs' }, { sub: 'admin' }, confused);
    const pub = toPublicKey(rs);
    assert.throws(() => verifyJwt(t, pub, { algorithms: ['RS256', 'HS256'] }), code('ALG_NOT_ALLOWED'));
    assert.throws(
      () => verifyJwt(t, createKeySet([pub]), { algorithms: ['RS256', 'HS256'] }),
      code('ALG_NOT_ALLOWED'),
    );
  });

  it('crit is refused whatever it lists; b64 is refused', () => {
    assert.throws(
      () => verifyJwt(forge({ alg: 'HS256', crit: ['exp'], exp: 1 }, { sub: 'a' }, hs), hs, opts),
      code('HEADER_UNSUPPORTED', 'crit'),
    );
    assert.throws(
      () => verifyJwt(forge({ alg: 'HS256', crit: [] }, { sub: 'a' }, hs), hs, opts),
      code('HEADER_UNSUPPORTED', 'crit'),
    );
    assert.throws(
      () => verifyJwt(forge({ alg: 'HS256', b64: false, crit: ['b64'] }, { sub: 'a' }, hs), hs, opts),
      code('HEADER_UNSUPPORTED', 'crit'),
    );
    assert.throws(
      () => verifyJwt(forge({ alg: 'HS256', b64: true }, { sub: 'a' }, hs), hs, opts),
      code('HEADER_UNSUPPORTED', 'b64'),
    );
  });

  it('jwk, jku, x5u and x5c in the header are never used to find a key', () => {
    const attacker = generateKey('ES256', { kid: 'es' });
    const header = {
      alg: 'ES256',
      kid: 'es',
      jwk: exportJwk(attacker),
      jku: 'http://127.0.0.1:1/jwks',
      x5u: 'http://127.0.0.1:1/x',
      x5c: ['AAAA'],
    };
    const t = forge(header, { sub: 'admin' }, attacker);
    assert.throws(() => verifyJwt(t, toPublicKey(es), { algorithms: ['ES256'] }), code('SIGNATURE_INVALID'));
    assert.throws(
      () => verifyJwt(t, createKeySet([toPublicKey(es)]), { algorithms: ['ES256'] }),
      code('SIGNATURE_INVALID'),
    );
    assert.throws(() => verifyJwt(t, createKeySet([]), { algorithms: ['ES256'] }), code('KEY_UNKNOWN'));
  });

  it('a key bound to another alg → ALG_NOT_ALLOWED; an unknown kid → KEY_UNKNOWN', () => {
    const t = signJwt({ sub: 'a' }, hs);
    assert.throws(() => verifyJwt(t, rs, { algorithms: ['HS256', 'RS256'] }), code('ALG_NOT_ALLOWED'));
    const set = createKeySet([toPublicKey(es)]);
    assert.throws(
      () => verifyJwt(forge({ alg: 'ES256', kid: 'zz' }, {}, es), set, { algorithms: ['ES256'] }),
      code('KEY_UNKNOWN'),
    );
  });

  it('refuses a missing or empty allow-list', () => {
    assert.throws(() => verifyJwt(good, hs, {} as never), code('OPTION_INVALID'));
    assert.throws(() => verifyJwt(good, hs, { algorithms: [] }), code('OPTION_INVALID'));
    assert.throws(() => verifyJwt(good, hs, undefined as never), code('OPTION_INVALID'));
  });
});

describe('signatures (step 4)', () => {
  it('truncated, empty or foreign signatures → SIGNATURE_INVALID', () => {
    assert.throws(() => verifyJwt(`${H}.${P}.${S.slice(0, 40)}`, hs, opts), code('SIGNATURE_INVALID'));
    assert.throws(() => verifyJwt(`${H}.${P}.`, hs, opts), code('SIGNATURE_INVALID'));
    const other = signJwt({ sub: 'a', exp: NOW + 60 }, generateKey('HS256', { kid: 'hs' }));
    assert.throws(() => verifyJwt(other, hs, opts), code('SIGNATURE_INVALID'));
    const e = signJwt({ sub: 'a' }, es);
    const [eh, ep, esig] = e.split('.') as [string, string, string];
    assert.throws(
      () => verifyJwt(`${eh}.${ep}.${esig.slice(0, 60)}`, es, { algorithms: ['ES256'] }),
      code('SIGNATURE_INVALID'),
    );
    assert.throws(
      () => verifyJwt(`${eh}.${b64('{"sub":"b"}')}.${esig}`, es, { algorithms: ['ES256'] }),
      code('SIGNATURE_INVALID'),
    );
  });

  it('ECDSA r = s = 0 (CVE-2022-21449, "psychic signatures") → SIGNATURE_INVALID', () => {
    for (const [alg, len] of [
      ['ES256', 64],
      ['ES384', 96],
      ['ES512', 132],
    ] as const) {
      const key = toPublicKey(generateKey(alg));
      const t = `${b64(JSON.stringify({ alg }))}.${b64('{"sub":"admin"}')}.${Buffer.alloc(len).toString('base64url')}`;
      assert.throws(() => verifyJwt(t, key, { algorithms: [alg] }), code('SIGNATURE_INVALID'));
    }
  });

  it('a DER-encoded ECDSA signature is refused (P1363 only)', async () => {
    const { sign } = await import('node:crypto');
    const input = `${b64('{"alg":"ES256","kid":"es"}')}.${b64('{"sub":"a"}')}`;
    const der = sign('sha256', Buffer.from(input), es.keyObject).toString('base64url');
    assert.throws(
      () => verifyJwt(`${input}.${der}`, es, { algorithms: ['ES256'] }),
      code('SIGNATURE_INVALID'),
    );
  });
});

describe('signing', () => {
  it('signJwt emits {alg, typ, kid} and never none/crit/b64', () => {
    const t = signJwt({ sub: 'a' }, es, { typ: 'at+jwt', header: { cty: 'x' } });
    assert.deepEqual(decodeJwt(t).header, { alg: 'ES256', typ: 'at+jwt', kid: 'es', cty: 'x' });
    assert.deepEqual(decodeJwt(signJwt({}, hs)).header, { alg: 'HS256', typ: 'JWT', kid: 'hs' });
    assert.throws(() => signJwt({}, hs, { header: { alg: 'none' } }), code('OPTION_INVALID', 'alg'));
    assert.throws(() => signJwt({}, hs, { header: { crit: ['x'] } }), code('OPTION_INVALID', 'crit'));
    assert.throws(() => signJwt({}, hs, { header: { b64: false } }), code('OPTION_INVALID', 'b64'));
    assert.throws(() => signJwt([] as never, hs), code('OPTION_INVALID'));
    assert.throws(() => signJwt({ n: 1n } as never, hs), code('CLAIM_INVALID'));
    assert.throws(() => signJwt({}, toPublicKey(es)), code('KEY_INVALID'));
  });

  it('signJws / verifyJws carry any bytes', () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const t = signJws(bytes, es, { cty: 'application/octet-stream' });
    const { header, payload } = verifyJws(t, toPublicKey(es), { algorithms: ['ES256'] });
    assert.deepEqual([...payload], [0, 1, 2, 255]);
    assert.equal(header.cty, 'application/octet-stream');
    assert.equal(header.kid, 'es');
  });

  it('messages never contain the token, the payload or the key', () => {
    const secretish = signJwt({ password: 'hunter2-hunter2', exp: NOW - 100 }, hs);
    try {
      verifyJwt(secretish, hs, opts);
      assert.fail('expected an error');
    } catch (err) {
      const text = `${(err as Error).message} ${JSON.stringify(err)}`;
      assert.ok(!text.includes('hunter2'));
      assert.ok(!text.includes(secretish.split('.')[1]!));
    }
  });
});

describe('createJwtVerifier', () => {
  const key = generateKey('EdDSA', { kid: 'ed' });
  const token = signJwt({ sub: 'a', exp: NOW + 100, nbf: NOW - 10, iat: NOW - 10 }, key);

  it('checks the options at construction, naming the option', () => {
    assert.throws(() => createJwtVerifier(key, { algorithms: [] }), code('OPTION_INVALID'));
    assert.throws(
      () => createJwtVerifier(key, { algorithms: ['EdDSA'], cache: { max: 0 } }),
      code('OPTION_INVALID', 'cache'),
    );
    assert.throws(
      () => createJwtVerifier(key, { algorithms: ['EdDSA'], clockTolerance: '5 parsecs' }),
      code('OPTION_INVALID', 'clockTolerance'),
    );
  });

  it('uses the injected clock', () => {
    let t = NOW;
    const verify = createJwtVerifier(key, { algorithms: ['EdDSA'], clock: () => t });
    assert.equal(verify(token).payload.sub, 'a');
    t = NOW + 100;
    assert.throws(() => verify(token), code('TOKEN_EXPIRED'));
    assert.equal(verify(token, NOW).payload.sub, 'a');
  });

  it('caches by the exact token string, and a hit is the same frozen result', () => {
    const verify = createJwtVerifier(key, { algorithms: ['EdDSA'], cache: { max: 10 }, clock: () => NOW });
    const a = verify(token);
    const b = verify(token);
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a.payload));
    assert.deepEqual(verify.cacheStats, { hits: 1, misses: 1, size: 1 });
    const [h, p, s] = token.split('.') as [string, string, string];
    const last = s.at(-1)!;
    const twin = `${h}.${p}.${s.slice(0, -1)}${last === 'A' ? 'Q' : 'A'}`; // never a hit, always re-verified
    assert.throws(
      () => verify(twin),
      (e: unknown) => ['SIGNATURE_INVALID', 'TOKEN_MALFORMED'].includes((e as { code: string }).code),
    );
    verify.clearCache();
    assert.equal(verify.cacheStats.size, 0);
  });

  it('an entry never outlives exp, nor serves before nbf', () => {
    let t = NOW;
    const verify = createJwtVerifier(key, {
      algorithms: ['EdDSA'],
      cache: { max: 10 },
      clock: () => t,
      clockTolerance: 30,
    });
    verify(token);
    t = NOW + 99;
    verify(token);
    assert.equal(verify.cacheStats.hits, 1);
    t = NOW + 100; // at exp: the cache no longer answers; verification applies the tolerance
    assert.equal(verify(token).payload.sub, 'a');
    assert.equal(verify.cacheStats.hits, 1);
    t = NOW + 200;
    assert.throws(() => verify(token), code('TOKEN_EXPIRED'));
    t = NOW - 50;
    assert.throws(() => verify(token), code('TOKEN_NOT_YET_VALID'));
  });

  it('does not cache tokens without exp', () => {
    const verify = createJwtVerifier(key, { algorithms: ['EdDSA'], cache: { max: 10 }, clock: () => NOW });
    const noExp = signJwt({ sub: 'a' }, key);
    verify(noExp);
    verify(noExp);
    assert.deepEqual(verify.cacheStats, { hits: 0, misses: 2, size: 0 });
  });

  it('is bounded (LRU) and drops entries when the key source changes', () => {
    let keys = createKeySet([toPublicKey(key)]);
    const verify = createJwtVerifier(() => keys, {
      algorithms: ['EdDSA'],
      cache: { max: 2 },
      clock: () => NOW,
    });
    const tokens = [1, 2, 3].map((i) => signJwt({ i, exp: NOW + 100 }, key));
    for (const t of tokens) verify(t);
    assert.equal(verify.cacheStats.size, 2);
    verify(tokens[2]!);
    assert.equal(verify.cacheStats.hits, 1);
    keys = createKeySet([]); // the key was revoked: cached tokens must not pass
    assert.throws(() => verify(tokens[2]!), code('KEY_UNKNOWN'));
  });
});

describe('parsed-header cache', () => {
  it('only saves parsing: a cached header never skips the signature, alg or key checks', () => {
    const key = generateKey('HS256', { kid: 'cache' });
    const t = signJwt({ sub: 'a' }, key);
    const { header } = verifyJwt(t, key, { algorithms: ['HS256'] });
    assert.ok(Object.isFrozen(header), 'shared header objects are frozen');
    const [h] = t.split('.') as [string];
    const other = generateKey('HS256', { kid: 'cache' });
    const forged = signSegments(h, b64('{"sub":"admin"}'), other);
    assert.throws(() => verifyJwt(forged, key, { algorithms: ['HS256'] }), code('SIGNATURE_INVALID'));
    assert.throws(() => verifyJwt(t, key, { algorithms: ['HS384'] }), code('ALG_NOT_ALLOWED'));
    assert.throws(() => verifyJwt(t, createKeySet([]), { algorithms: ['HS256'] }), code('KEY_UNKNOWN'));
    assert.equal(verifyJwt(t, key, { algorithms: ['HS256'] }).header, header);
  });
});

describe('UTF-8', () => {
  const key = generateKey('HS256');
  const withBytes = (bytes: number[]) =>
    signSegments(b64('{"alg":"HS256"}'), Buffer.from(bytes).toString('base64url'), key);
  const json = (inner: number[]) => [...Buffer.from('{"a":"'), ...inner, ...Buffer.from('"}')];

  it('accepts valid multi-byte UTF-8 and a literal U+FFFD', () => {
    assert.equal(verifyJwt(withBytes(json([0xc3, 0xa9])), key, { algorithms: ['HS256'] }).payload.a, 'é');
    assert.equal(
      verifyJwt(withBytes(json([0xef, 0xbf, 0xbd])), key, { algorithms: ['HS256'] }).payload.a,
      '\uFFFD',
    );
    assert.equal(
      verifyJwt(withBytes(json([0xf0, 0x9f, 0x98, 0x80])), key, { algorithms: ['HS256'] }).payload.a,
      '😀',
    );
  });

  it('refuses invalid UTF-8 (a lone 0xff, a truncated sequence, an overlong form, a surrogate)', () => {
    for (const bad of [[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x41, 0xff, 0x42]]) {
      assert.throws(
        () => verifyJwt(withBytes(json(bad)), key, { algorithms: ['HS256'] }),
        code('TOKEN_MALFORMED'),
      );
    }
  });
});
