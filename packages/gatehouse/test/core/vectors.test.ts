// RFC test vectors, kept as data files named by section in ../vectors. Deterministic
// algorithms (HMAC, RSASSA-PKCS1-v1_5, Ed25519) are compared byte for byte; ECDSA is
// randomized, so its vector is verified and our own signature must verify too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { keyOps } from '../../src/core/keys/key.js';
import {
  base64urlEncode,
  decodeJwt,
  importJwk,
  type Jwk,
  jwkThumbprint,
  signJws,
  toPublicKey,
  verifyJws,
  verifyJwt,
} from '../../src/index.js';

interface JwsVector {
  title: string;
  deterministic: boolean;
  alg: 'HS256' | 'RS256' | 'ES256' | 'EdDSA';
  jwk: Jwk;
  headerJson?: string;
  headerB64?: string;
  payloadJson?: string;
  payload?: string;
  payloadB64?: string;
  signatureB64?: string;
  token: string;
  publicThumbprint?: string;
}

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8')) as T;

const JWS_VECTORS = [
  'rfc7515-a.1-hs256.json',
  'rfc7515-a.2-rs256.json',
  'rfc7515-a.3-es256.json',
  'rfc8037-a.4-ed25519.json',
];

describe('RFC JWS vectors', () => {
  for (const file of JWS_VECTORS) {
    const v = load<JwsVector>(file);
    describe(`${file}: ${v.title}`, () => {
      const key = importJwk(v.jwk, { alg: v.alg });
      const [h, p, s] = v.token.split('.') as [string, string, string];

      it('encodes the header and payload exactly as the RFC', () => {
        assert.equal(base64urlEncode(v.headerJson!), v.headerB64);
        assert.equal(base64urlEncode(v.payloadJson ?? v.payload!), v.payloadB64);
        assert.equal(h, v.headerB64);
        assert.equal(p, v.payloadB64);
      });

      it('verifies the RFC token with the public key', () => {
        const verifier = key.type === 'secret' ? key : toPublicKey(key);
        const { header, payload } = verifyJws(v.token, verifier, { algorithms: [v.alg] });
        assert.deepEqual(header, JSON.parse(v.headerJson!));
        assert.equal(Buffer.from(payload).toString('utf8'), v.payloadJson ?? v.payload);
      });

      if (v.deterministic) {
        it('signs the same input to the same signature, byte for byte', () => {
          assert.equal(keyOps(key).sign!(`${h}.${p}`), s);
          assert.equal(s, v.signatureB64);
        });
      } else {
        it('our own signature over the same input verifies (ECDSA is randomized)', () => {
          const token = signJws(v.payloadJson!, key);
          assert.ok(verifyJws(token, toPublicKey(key), { algorithms: [v.alg] }));
          assert.notEqual(token.split('.')[2], s);
        });
      }

      it('refuses the RFC token once one signature character changes', () => {
        const verifier = key.type === 'secret' ? key : toPublicKey(key);
        const flipped = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
        assert.throws(() => verifyJws(flipped, verifier, { algorithms: [v.alg] }), {
          code: 'SIGNATURE_INVALID',
        });
      });
    });
  }

  it('rfc8037-a.4: the Ed25519 public key has the RFC 8037 A.3 thumbprint', () => {
    const v = load<JwsVector>('rfc8037-a.4-ed25519.json');
    const key = importJwk(v.jwk, { alg: 'EdDSA' });
    assert.equal(key.kid, v.publicThumbprint);
    assert.equal(jwkThumbprint(key), v.publicThumbprint);
  });

  it('rfc8037-a.5: validates the Ed25519 JWS with the public key only', () => {
    const v = load<JwsVector>('rfc8037-a.5-ed25519.json');
    const key = importJwk(v.jwk, { alg: 'EdDSA' });
    assert.equal(key.type, 'public');
    const { payload } = verifyJws(v.token, key, { algorithms: ['EdDSA'] });
    assert.equal(Buffer.from(payload).toString('utf8'), v.payload);
  });
});

describe('rfc7519-3.1.json: RFC 7519 example JWT', () => {
  const v = load<{ jwk: Jwk; header: object; claims: Record<string, unknown>; token: string }>(
    'rfc7519-3.1.json',
  );
  const key = importJwk(v.jwk, { alg: 'HS256' });

  it('decodes to the RFC header and claims', () => {
    const { header, payload } = decodeJwt(v.token);
    assert.deepEqual(header, v.header);
    assert.deepEqual(payload, v.claims);
  });

  it('verifies just before exp and is expired at exp', () => {
    const ok = verifyJwt(v.token, key, { algorithms: ['HS256'], issuer: 'joe', typ: 'JWT', now: 1300819379 });
    assert.deepEqual(ok.payload, v.claims);
    assert.throws(() => verifyJwt(v.token, key, { algorithms: ['HS256'], now: 1300819380 }), {
      code: 'TOKEN_EXPIRED',
    });
  });
});

describe('rfc7638-3.1-thumbprint.json: RFC 7638 JWK thumbprint', () => {
  const v = load<{ jwk: Jwk; thumbprint: string; canonicalJson: string }>('rfc7638-3.1-thumbprint.json');

  it('computes the RFC thumbprint of the JWK, ignoring alg and kid', () => {
    assert.equal(jwkThumbprint(v.jwk), v.thumbprint);
  });

  it('is the SHA-256 of the canonical JSON given in the RFC', async () => {
    const { createHash } = await import('node:crypto');
    assert.equal(createHash('sha256').update(v.canonicalJson).digest('base64url'), v.thumbprint);
  });

  it('is the default kid of the imported key (when the JWK has none)', () => {
    const { kid: _kid, ...rest } = v.jwk;
    assert.equal(importJwk(rest as Jwk, { alg: 'RS256' }).kid, v.thumbprint);
    assert.equal(importJwk(v.jwk).kid, '2011-04-29');
  });
});
