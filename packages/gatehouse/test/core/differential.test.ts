// Differential tests against `jose` (v6): every algorithm interoperates both ways, and a
// corpus of hostile tokens is refused by both libraries, by ours with the right code.
import assert from 'node:assert/strict';
import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import * as jose from 'jose';
import {
  ALGORITHMS,
  type Algorithm,
  exportJwk,
  exportPem,
  generateKey,
  importJwk,
  importSecret,
  type Key,
  signJwt,
  toPublicKey,
  type VerifyOptions,
  verifyJwt,
} from '../../src/index.js';
import { b64, forge, setTrailingBit, signSegments } from './helpers.js';

const NOW = Math.floor(Date.now() / 1000);
const joseKeyOf = (key: Key): KeyObject | Uint8Array =>
  key.type === 'secret' ? new Uint8Array(key.keyObject.export()) : key.keyObject;

describe('interoperability with jose, per algorithm', () => {
  for (const alg of ALGORITHMS) {
    const key = generateKey(alg, { kid: `k-${alg}` });
    const verifier = key.type === 'secret' ? key : toPublicKey(key);

    it(`${alg}: our token verifies in jose`, async () => {
      const token = signJwt({ sub: 'alice', aud: 'api', iss: 'https://issuer' }, key, {
        typ: 'at+jwt',
        expiresIn: '5m',
      });
      const { payload, protectedHeader } = await jose.jwtVerify(token, joseKeyOf(verifier), {
        algorithms: [alg],
        audience: 'api',
        issuer: 'https://issuer',
        typ: 'at+jwt',
      });
      assert.equal(payload.sub, 'alice');
      assert.deepEqual(protectedHeader, { alg, typ: 'at+jwt', kid: `k-${alg}` });
    });

    it(`${alg}: jose's token verifies in ours (key imported from JWK)`, async () => {
      const token = await new jose.SignJWT({ sub: 'bob', roles: ['admin'] })
        .setProtectedHeader({ alg, kid: `k-${alg}`, typ: 'at+jwt' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .setAudience(['api', 'other'])
        .sign(joseKeyOf(key));
      const ours = key.type === 'secret' ? key : importJwk(exportJwk(key));
      const { payload, header } = verifyJwt(token, ours, {
        algorithms: [alg],
        audience: 'api',
        typ: 'at+jwt',
      });
      assert.equal(payload.sub, 'bob');
      assert.deepEqual(payload.roles, ['admin']);
      assert.equal(header.kid, `k-${alg}`);
    });
  }

  it('jose computes the same RFC 7638 thumbprints (our default kid)', async () => {
    for (const alg of ['RS256', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const) {
      const key = generateKey(alg);
      assert.equal(await jose.calculateJwkThumbprint(exportJwk(key) as jose.JWK), key.kid);
    }
  });
});

interface Hostile {
  name: string;
  token: string;
  /** Our verification key (jose gets the same key). */
  key: Key;
  options: VerifyOptions;
  code: string;
}

const hs = generateKey('HS256', { kid: 'hs' });
const rs = generateKey('RS256', { kid: 'rs' });
const es = generateKey('ES256', { kid: 'es' });
const rsPub = toPublicKey(rs);
const esPub = toPublicKey(es);
const claims = { sub: 'alice', aud: 'api', iss: 'https://issuer', exp: NOW + 300, iat: NOW };
const hsOpts: VerifyOptions = { algorithms: ['HS256'], audience: 'api', issuer: 'https://issuer' };
const good = signJwt(claims, hs);
const [H, P, S] = good.split('.') as [string, string, string];
const esGood = signJwt(claims, es);
const [EH, EP] = esGood.split('.') as [string, string, string];

const corpus: Hostile[] = [
  {
    name: 'alg none, no signature',
    token: `${b64('{"alg":"none","typ":"JWT"}')}.${P}.`,
    key: hs,
    options: hsOpts,
    code: 'ALG_NOT_ALLOWED',
  },
  {
    name: 'HS256 token MACed with the RS256 public key PEM (key confusion)',
    token: forge({ alg: 'HS256', kid: 'rs' }, claims, importSecret(exportPem(rsPub), 'HS256')),
    key: rsPub,
    options: { algorithms: ['RS256'] },
    code: 'ALG_NOT_ALLOWED',
  },
  {
    name: 'wrong typ',
    token: signJwt(claims, hs, { typ: 'JWT' }),
    key: hs,
    options: { ...hsOpts, typ: 'at+jwt' },
    code: 'TOKEN_TYPE_INVALID',
  },
  {
    name: 'exp as a string',
    token: forge({ alg: 'HS256' }, { ...claims, exp: String(NOW + 300) }, hs),
    key: hs,
    options: hsOpts,
    code: 'CLAIM_INVALID',
  },
  {
    name: 'expired',
    token: signJwt({ ...claims, exp: NOW - 600 }, hs),
    key: hs,
    options: hsOpts,
    code: 'TOKEN_EXPIRED',
  },
  {
    name: 'not yet valid',
    token: signJwt({ ...claims, nbf: NOW + 600 }, hs),
    key: hs,
    options: hsOpts,
    code: 'TOKEN_NOT_YET_VALID',
  },
  {
    name: 'aud mismatch',
    token: signJwt({ ...claims, aud: 'other-api' }, hs),
    key: hs,
    options: hsOpts,
    code: 'CLAIM_INVALID',
  },
  {
    name: 'iss mismatch',
    token: signJwt({ ...claims, iss: 'https://evil' }, hs),
    key: hs,
    options: hsOpts,
    code: 'CLAIM_INVALID',
  },
  {
    name: 'truncated signature',
    token: `${H}.${P}.${S.slice(0, 20)}`,
    key: hs,
    options: hsOpts,
    code: 'SIGNATURE_INVALID',
  },
  { name: 'empty signature', token: `${H}.${P}.`, key: hs, options: hsOpts, code: 'SIGNATURE_INVALID' },
  {
    name: 'signed by another key',
    token: signJwt(claims, generateKey('HS256', { kid: 'hs' })),
    key: hs,
    options: hsOpts,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'payload swapped under a valid signature',
    token: `${H}.${b64(JSON.stringify({ ...claims, sub: 'admin' }))}.${S}`,
    key: hs,
    options: hsOpts,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'standard-alphabet payload (non-canonical base64url)',
    token: `${H}.${P}+.${S}`,
    key: hs,
    options: hsOpts,
    code: 'TOKEN_MALFORMED',
  },
  {
    name: 'duplicate segments',
    token: `${H}.${P}.${P}.${S}`,
    key: hs,
    options: hsOpts,
    code: 'TOKEN_MALFORMED',
  },
  { name: 'two segments', token: `${H}.${P}`, key: hs, options: hsOpts, code: 'TOKEN_MALFORMED' },
  {
    name: 'payload is a JSON array',
    token: forge({ alg: 'HS256' }, '[1]', hs),
    key: hs,
    options: hsOpts,
    code: 'TOKEN_MALFORMED',
  },
  {
    name: 'header is not JSON',
    token: signSegments(b64('{"alg":"HS256"'), P, hs),
    key: hs,
    options: hsOpts,
    code: 'TOKEN_MALFORMED',
  },
  {
    name: 'crit with an unknown parameter',
    token: forge({ alg: 'HS256', crit: ['urn:x'], 'urn:x': 1 }, claims, hs),
    key: hs,
    options: hsOpts,
    code: 'HEADER_UNSUPPORTED',
  },
  {
    name: 'crit listing a registered parameter',
    token: forge({ alg: 'HS256', crit: ['exp'] }, claims, hs),
    key: hs,
    options: hsOpts,
    code: 'HEADER_UNSUPPORTED',
  },
  {
    name: 'b64: false (unencoded payload)',
    token: forge({ alg: 'HS256', b64: false, crit: ['b64'] }, claims, hs),
    key: hs,
    options: hsOpts,
    code: 'HEADER_UNSUPPORTED',
  },
  {
    name: 'huge header (10 KiB, unterminated)',
    token: signSegments(b64(`{"alg":"HS256","x":"${'y'.repeat(10_000)}`), P, hs),
    key: hs,
    options: hsOpts,
    code: 'TOKEN_TOO_LARGE',
  },
  {
    name: 'algorithm outside the allow-list',
    token: signJwt(claims, rs),
    key: rsPub,
    options: { algorithms: ['ES256'] },
    code: 'ALG_NOT_ALLOWED',
  },
  {
    name: 'ECDSA r = s = 0 (CVE-2022-21449)',
    token: `${EH}.${EP}.${Buffer.alloc(64).toString('base64url')}`,
    key: esPub,
    options: { algorithms: ['ES256'] },
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'ECDSA signature in DER instead of P1363',
    token: `${EH}.${EP}.${cryptoSign('sha256', Buffer.from(`${EH}.${EP}`), es.keyObject).toString('base64url')}`,
    key: esPub,
    options: { algorithms: ['ES256'] },
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'attacker key embedded as a jwk header',
    token: (() => {
      const attacker = generateKey('ES256', { kid: 'es' });
      return forge({ alg: 'ES256', kid: 'es', jwk: exportJwk(attacker) }, claims, attacker);
    })(),
    key: esPub,
    options: { algorithms: ['ES256'] },
    code: 'SIGNATURE_INVALID',
  },
];

describe('hostile tokens: refused by jose and by us with the right code', () => {
  for (const h of corpus) {
    it(h.name, async () => {
      assert.throws(() => verifyJwt(h.token, h.key, h.options), { name: 'GatehouseError', code: h.code });
      const joseOptions: jose.JWTVerifyOptions = { algorithms: [...(h.options.algorithms as Algorithm[])] };
      if (h.options.audience !== undefined) joseOptions.audience = h.options.audience as string;
      if (h.options.issuer !== undefined) joseOptions.issuer = h.options.issuer as string;
      if (h.options.typ !== undefined) joseOptions.typ = h.options.typ;
      await assert.rejects(jose.jwtVerify(h.token, joseKeyOf(h.key), joseOptions));
    });
  }

  // Where we are stricter than jose 6: it decodes base64url leniently (padding, trailing
  // bits) and has no size limit, so it accepts these; we refuse them, so that one token has
  // exactly one accepted spelling and a huge token costs nothing.
  const stricter: Hostile[] = [
    { name: 'padded signature', token: `${H}.${P}.${S}=`, key: hs, options: hsOpts, code: 'TOKEN_MALFORMED' },
    {
      name: 'signature with non-zero trailing bits',
      token: `${H}.${P}.${setTrailingBit(S)}`,
      key: hs,
      options: hsOpts,
      code: 'TOKEN_MALFORMED',
    },
    {
      name: 'huge but valid header (10 KiB)',
      token: forge({ alg: 'HS256', x: 'y'.repeat(10_000) }, claims, hs),
      key: hs,
      options: hsOpts,
      code: 'TOKEN_TOO_LARGE',
    },
  ];
  for (const h of stricter) {
    it(`stricter than jose: ${h.name}`, () => {
      assert.throws(() => verifyJwt(h.token, h.key, h.options), { name: 'GatehouseError', code: h.code });
    });
  }

  it('the corpus is signed correctly where it matters: its base token verifies in both', async () => {
    assert.equal(verifyJwt(good, hs, hsOpts).payload.sub, 'alice');
    const { payload } = await jose.jwtVerify(good, joseKeyOf(hs), {
      algorithms: ['HS256'],
      audience: 'api',
      issuer: 'https://issuer',
    });
    assert.equal(payload.sub, 'alice');
  });
});
