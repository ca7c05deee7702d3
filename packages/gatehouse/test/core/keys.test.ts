import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ALGORITHMS,
  createKeySet,
  exportJwk,
  exportPem,
  generateKey,
  importJwk,
  importJwks,
  importPem,
  importSecret,
  isKey,
  jwkThumbprint,
  signJwt,
  toPublicKey,
  verifyJwt,
} from '../../src/index.js';

const NOW = 1_700_000_000;

describe('generateKey / export / import round trips', () => {
  for (const alg of ALGORITHMS) {
    it(`${alg}: generate, export, import, sign and verify`, () => {
      const key = generateKey(alg);
      assert.equal(key.alg, alg);
      assert.ok(isKey(key));
      assert.match(key.kid, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(key.kid, jwkThumbprint(key));
      const token = signJwt({ sub: 'a' }, key, { now: NOW, expiresIn: 60 });
      if (key.type === 'secret') {
        assert.equal(alg.startsWith('HS'), true);
        const jwk = exportJwk(key, { includePrivate: true });
        assert.equal(jwk.kty, 'oct');
        assert.deepEqual([jwk.kid, jwk.alg, jwk.use], [key.kid, alg, 'sig']);
        assert.throws(
          () => exportJwk(key),
          { code: 'KEY_INVALID' },
          'a secret is never exported without includePrivate',
        );
        assert.throws(() => exportPem(key), { code: 'KEY_INVALID' });
        assert.throws(() => toPublicKey(key), { code: 'KEY_INVALID' });
        const again = importJwk(jwk);
        assert.equal(again.kid, key.kid);
        assert.equal(verifyJwt(token, again, { algorithms: [alg], now: NOW }).payload.sub, 'a');
        return;
      }
      assert.equal(key.type, 'private');
      const pub = toPublicKey(key);
      assert.deepEqual([pub.type, pub.kid, pub.alg], ['public', key.kid, alg]);
      const jwk = exportJwk(key);
      assert.equal(jwk.d, undefined, 'no private member without includePrivate');
      assert.deepEqual([jwk.kid, jwk.alg, jwk.use], [key.kid, alg, 'sig']);
      const priv = exportJwk(key, { includePrivate: true });
      assert.equal(typeof priv.d, 'string');
      const fromJwk = importJwk(jwk);
      assert.equal(fromJwk.type, 'public');
      assert.equal(verifyJwt(token, fromJwk, { algorithms: [alg], now: NOW }).payload.sub, 'a');
      const privFromJwk = importJwk(priv);
      assert.equal(privFromJwk.type, 'private');
      assert.equal(privFromJwk.kid, key.kid);
      const pem = exportPem(key);
      assert.match(pem, /-----BEGIN PRIVATE KEY-----/);
      const pubPem = exportPem(pub);
      assert.match(pubPem, /-----BEGIN PUBLIC KEY-----/);
      assert.equal(importPem(pem, alg).kid, key.kid);
      const fromPem = importPem(pubPem, alg);
      assert.equal(fromPem.type, 'public');
      assert.equal(verifyJwt(token, fromPem, { algorithms: [alg], now: NOW }).payload.sub, 'a');
      assert.throws(() => signJwt({}, fromPem), { code: 'KEY_INVALID' }, 'a public key cannot sign');
    });
  }
});

describe('key type is checked against the algorithm (RFC 8725 section 3.1)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const ed = generateKeyPairSync('ed25519');
  const pem = (k: import('node:crypto').KeyObject, type: 'spki' | 'pkcs8') =>
    k.export({ format: 'pem', type }) as string;

  const cases: [string, () => unknown][] = [
    ['RSA public PEM as HS256', () => importPem(pem(rsa.publicKey, 'spki'), 'HS256')],
    [
      'RSA public key bytes as an HS256 secret',
      () => importSecret(Buffer.from(pem(rsa.publicKey, 'spki')), 'RS256' as 'HS256'),
    ],
    ['RSA key as ES256', () => importPem(pem(rsa.privateKey, 'pkcs8'), 'ES256')],
    ['P-384 key as ES256', () => importPem(pem(p384.publicKey, 'spki'), 'ES256')],
    ['P-256 key as ES384', () => importPem(pem(p256.publicKey, 'spki'), 'ES384')],
    ['P-256 key as EdDSA', () => importPem(pem(p256.publicKey, 'spki'), 'EdDSA')],
    ['Ed25519 key as RS256', () => importPem(pem(ed.publicKey, 'spki'), 'RS256')],
    [
      'EC JWK with alg RS256',
      () => importJwk({ ...(p256.publicKey.export({ format: 'jwk' }) as object), kty: 'EC', alg: 'RS256' }),
    ],
    [
      'oct JWK with alg ES256',
      () => importJwk({ kty: 'oct', k: Buffer.alloc(32, 1).toString('base64url'), alg: 'ES256' }),
    ],
    [
      'RSA 1024-bit key',
      () => importPem(pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, 'spki'), 'RS256'),
    ],
    ['HS256 secret of 31 bytes', () => importSecret(Buffer.alloc(31, 7), 'HS256')],
    ['HS512 secret of 32 bytes', () => importSecret(Buffer.alloc(32, 7), 'HS512')],
    ['empty secret', () => importSecret('', 'HS256')],
    ['alg none', () => importSecret('x'.repeat(64), 'none' as 'HS256')],
    [
      'JWK without alg',
      () => importJwk({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }),
    ],
    [
      'JWK alg disagreeing with the option',
      () =>
        importJwk(
          { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', alg: 'EdDSA' },
          { alg: 'ES256' },
        ),
    ],
    [
      'JWK with use enc',
      () =>
        importJwk({
          kty: 'OKP',
          crv: 'Ed25519',
          x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
          alg: 'EdDSA',
          use: 'enc',
        }),
    ],
    ['JWK with a broken x', () => importJwk({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', alg: 'EdDSA' })],
    [
      'oct JWK with padded k',
      () => importJwk({ kty: 'oct', k: `${Buffer.alloc(32, 1).toString('base64')}=`, alg: 'HS256' }),
    ],
    ['unknown kty', () => importJwk({ kty: 'XYZ' as 'oct', alg: 'HS256' })],
    ['not a PEM', () => importPem('hello', 'ES256')],
    ['garbage PEM', () => importPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'ES256')],
    ['a PEM for HS256', () => importPem(pem(p256.publicKey, 'spki'), 'HS256')],
    ['an empty kid', () => generateKey('ES256', { kid: '' })],
  ];
  for (const [name, run] of cases) {
    it(`refuses ${name} with KEY_INVALID`, () => {
      assert.throws(run, (err: unknown) => (err as { code?: string }).code === 'KEY_INVALID');
    });
  }

  it('an HS256 secret can be imported from a KeyObject-sized Uint8Array and a string', () => {
    const k1 = importSecret(new Uint8Array(32).fill(3), 'HS256');
    const k2 = importSecret('\u0003'.repeat(32), 'HS256');
    assert.equal(k1.kid, k2.kid);
    assert.equal(createSecretKey(Buffer.alloc(32, 3)).symmetricKeySize, 32);
  });

  it('never puts key material in an error message', () => {
    const secret = 'super-secret-value';
    assert.throws(
      () => importSecret(secret, 'HS256'),
      (err: unknown) => !(err as Error).message.includes(secret),
    );
  });
});

describe('key sets and JWKS', () => {
  const es = generateKey('ES256', { kid: 'es' });
  const ed = generateKey('EdDSA', { kid: 'ed' });
  const hs = generateKey('HS256', { kid: 'hs' });
  const set = createKeySet([es, ed, hs]);

  it('selects by kid and alg, and by alg alone only when unambiguous', () => {
    assert.equal(set.select({ alg: 'ES256', kid: 'es' }), es);
    assert.equal(set.select({ alg: 'RS256', kid: 'es' }), undefined);
    assert.equal(set.select({ alg: 'EdDSA' }), ed);
    assert.equal(set.select({ alg: 'ES256', kid: 'nope' }), undefined);
    const two = createKeySet([es, generateKey('ES256', { kid: 'es2' })]);
    assert.equal(two.select({ alg: 'ES256' }), undefined);
    assert.equal(set.get('hs'), hs);
  });

  it('refuses duplicate kids', () => {
    assert.throws(() => createKeySet([es, generateKey('ES256', { kid: 'es' })]), { code: 'OPTION_INVALID' });
  });

  it('publishes public keys only, never the secret or private members', () => {
    const jwks = set.toJwks();
    assert.deepEqual(
      jwks.keys.map((k) => k.kid),
      ['es', 'ed'],
    );
    for (const k of jwks.keys) {
      assert.equal(k.d, undefined);
      assert.equal(k.use, 'sig');
    }
    assert.ok(!JSON.stringify(jwks).includes(exportJwk(hs, { includePrivate: true }).k as string));
  });

  it('imports a JWKS: skips keys without alg, with use enc, oct keys, broken keys; drops private members', () => {
    const good = exportJwk(es);
    const priv = exportJwk(ed, { includePrivate: true });
    const jwks = {
      keys: [
        good,
        priv,
        { ...exportJwk(generateKey('ES256')), alg: undefined },
        { ...exportJwk(generateKey('ES256')), use: 'enc' },
        exportJwk(hs, { includePrivate: true }),
        { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA', alg: 'ES256', kid: 'broken' },
        { kty: 'RSA', alg: 'none', kid: 'none' },
        'junk',
        null,
      ],
    };
    const imported = importJwks(jwks);
    assert.deepEqual(
      imported.keys.map((k) => [k.kid, k.type]),
      [
        ['es', 'public'],
        ['ed', 'public'],
      ],
    );
    const onlyEd = importJwks(jwks, { algorithms: ['EdDSA'] });
    assert.deepEqual(
      onlyEd.keys.map((k) => k.kid),
      ['ed'],
    );
    assert.throws(() => importJwks({ nokeys: [] }), { code: 'KEY_INVALID' });
    assert.throws(() => importJwks(null), { code: 'KEY_INVALID' });
  });

  it('verifies with a key set by kid; an unknown kid is KEY_UNKNOWN', () => {
    const token = signJwt({ sub: 'a' }, es);
    assert.equal(verifyJwt(token, set, { algorithms: ['ES256'] }).payload.sub, 'a');
    const other = signJwt({ sub: 'a' }, generateKey('ES256', { kid: 'other' }));
    assert.throws(() => verifyJwt(other, set, { algorithms: ['ES256'] }), { code: 'KEY_UNKNOWN' });
  });
});

describe('unusual key forms', () => {
  it('an RSA-PSS (rsa-pss) key is refused with KEY_INVALID, not a crash', () => {
    const { publicKey } = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    assert.throws(() => importPem(pem, 'PS256'), { code: 'KEY_INVALID' });
  });

  it('an encrypted private key PEM is refused with KEY_INVALID', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    }) as string;
    assert.throws(() => importPem(pem, 'ES256'), { code: 'KEY_INVALID' });
  });
});
