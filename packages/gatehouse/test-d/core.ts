/**
 * Compile-only type tests of the token core (`npx tsc -p tsconfig.test.json`): they pin the
 * public signatures of `gatehouse` so that an accidental API change fails the build.
 */
import type { KeyObject } from 'node:crypto';
import {
  type ALGORITHMS,
  type Algorithm,
  CODES,
  createJwtVerifier,
  createKeySet,
  type decodeJwt,
  type exportJwk,
  type exportPem,
  GatehouseError,
  type GatehouseErrorCode,
  generateKey,
  importJwk,
  type importJwks,
  type importPem,
  importSecret,
  isAlgorithm,
  isGatehouseError,
  type Jwk,
  type Jwks,
  type JwsHeader,
  type JwtPayload,
  type JwtVerifier,
  jwkThumbprint,
  type Key,
  type KeySet,
  parseDuration,
  type signJws,
  signJwt,
  type toPublicKey,
  type VerifiedJwt,
  type verifyJws,
  verifyJwt,
} from '../src/index.js';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_: T): void => {};

// --- algorithms -------------------------------------------------------------------------------
expectType<Equals<typeof ALGORITHMS, readonly Algorithm[]>>(true);
expectType<Equals<Extract<Algorithm, 'none'>, never>>(true);
declare const unknownValue: unknown;
if (isAlgorithm(unknownValue)) expectType<Equals<typeof unknownValue, Algorithm>>(true);

// --- keys ---------------------------------------------------------------------------------------
const key = generateKey('ES256', { kid: 'k1', modulusLength: 2048 });
expectType<Equals<typeof key, Key>>(true);
expectType<Equals<Key['alg'], Algorithm>>(true);
expectType<Equals<Key['type'], 'secret' | 'private' | 'public'>>(true);
expectType<Equals<Key['keyObject'], KeyObject>>(true);
// @ts-expect-error: `none` is not an algorithm
generateKey('none');
// @ts-expect-error: keys are read-only
key.alg = 'HS256';
importSecret('x'.repeat(32), 'HS256');
importSecret(new Uint8Array(32), 'HS512', { kid: 'hs' });
// @ts-expect-error: importSecret takes HMAC algorithms only
importSecret('x'.repeat(32), 'RS256');
expectType<Equals<ReturnType<typeof importPem>, Key>>(true);
expectType<Equals<ReturnType<typeof importJwk>, Key>>(true);
expectType<Equals<ReturnType<typeof exportJwk>, Jwk>>(true);
expectType<Equals<ReturnType<typeof exportPem>, string>>(true);
expectType<Equals<ReturnType<typeof toPublicKey>, Key>>(true);
expectType<Equals<ReturnType<typeof jwkThumbprint>, string>>(true);
jwkThumbprint(key);
jwkThumbprint({ kty: 'oct', k: 'AAAA' });
// @ts-expect-error: a JWK needs a known kty
importJwk({ kty: 'DSA' });
const set = createKeySet([key]);
expectType<Equals<typeof set, KeySet>>(true);
expectType<Equals<ReturnType<KeySet['select']>, Key | undefined>>(true);
expectType<Equals<ReturnType<KeySet['toJwks']>, Jwks>>(true);
expectType<Equals<ReturnType<typeof importJwks>, KeySet>>(true);

// --- sign and verify ----------------------------------------------------------------------------
const token = signJwt({ sub: 'a', roles: ['x'] }, key, {
  typ: 'at+jwt',
  expiresIn: '15m',
  notBefore: 0,
  now: 1,
});
expectType<Equals<typeof token, string>>(true);
// @ts-expect-error: exp is a NumericDate
signJwt({ exp: '1' }, key);
// @ts-expect-error: aud is a string or string[]
signJwt({ aud: 1 }, key);
const verified = verifyJwt(token, set, {
  algorithms: ['ES256'],
  audience: ['a', 'b'],
  issuer: 'i',
  clockTolerance: '5s',
});
expectType<Equals<typeof verified, VerifiedJwt>>(true);
expectType<Equals<typeof verified.header, JwsHeader>>(true);
expectType<Equals<typeof verified.payload, JwtPayload>>(true);
expectType<Equals<JwtPayload['exp'], number | undefined>>(true);
expectType<Equals<JwtPayload['aud'], string | string[] | undefined>>(true);
expectType<Equals<JwsHeader['alg'], Algorithm>>(true);
// @ts-expect-error: the allow-list is required (RFC 8725)
verifyJwt(token, key, {});
// @ts-expect-error: the allow-list holds algorithms, never `none`
verifyJwt(token, key, { algorithms: ['none'] });
// @ts-expect-error: the token is a string
verifyJwt(Buffer.from(token), key, { algorithms: ['ES256'] });

const verify = createJwtVerifier(() => set, { algorithms: ['ES256'], cache: { max: 10 }, clock: () => 0 });
expectType<Equals<typeof verify, JwtVerifier>>(true);
expectType<Equals<ReturnType<typeof verify>, VerifiedJwt>>(true);
expectType<Equals<typeof verify.cacheStats, { hits: number; misses: number; size: number }>>(true);
verify(token, 123);
// @ts-expect-error: the cache option is false or { max }
createJwtVerifier(key, { algorithms: ['ES256'], cache: true });

expectType<Equals<ReturnType<typeof decodeJwt>, { header: Record<string, unknown>; payload: JwtPayload }>>(
  true,
);
expectType<Equals<ReturnType<typeof signJws>, string>>(true);
expectType<Equals<ReturnType<typeof verifyJws>['payload'], Uint8Array>>(true);

// --- durations and errors -----------------------------------------------------------------------
expectType<Equals<ReturnType<typeof parseDuration>, number>>(true);
// @ts-expect-error: durations are strings or numbers
parseDuration(true);
declare const err: unknown;
if (isGatehouseError(err)) {
  expectType<Equals<typeof err, GatehouseError>>(true);
  expectType<Equals<typeof err.code, GatehouseErrorCode>>(true);
  switch (err.code) {
    case CODES.TOKEN_EXPIRED:
      expectType<Equals<typeof err.code, 'TOKEN_EXPIRED'>>(true);
      break;
  }
}
// @ts-expect-error: codes are a closed union
new GatehouseError('NOT_A_CODE');
