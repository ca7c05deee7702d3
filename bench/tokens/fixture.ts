/** The shared inputs of the token benchmark: one payload, one header, one token per algorithm. */
import { type BenchAlg, type BenchKeys, generateBenchKeys, rawSignJwt } from '../lib/raw-jws.js';

export const ISSUER = 'https://auth.bench.test';
export const AUDIENCE = 'articles';
export const TYP = 'at+jwt';

/** Everything a library needs to sign and verify for one algorithm. */
export interface TokenFixture {
  alg: BenchAlg;
  keys: BenchKeys;
  /** An access token's claims, shaped like the contract's (RFC 9068). */
  payload: Record<string, unknown>;
  /** The token every verify case checks (signed by the raw floor signer). */
  token: string;
}

/** Builds the fixture for `alg` with `now` (seconds); the token stays valid for an hour. */
export function makeFixture(alg: BenchAlg, now: number): TokenFixture {
  const keys = generateBenchKeys(alg);
  const payload = {
    iss: ISSUER,
    sub: 'user-4242',
    aud: AUDIENCE,
    iat: now,
    exp: now + 3600,
    jti: 'b0b1a6a4-7f5e-4c61-9d0e-6f3a8c2d1e90',
    client_id: 'gatehouse-web',
    sid: 'sess-7c1f2e',
    roles: ['user', 'editor'],
    username: 'alice',
  };
  return { alg, keys, payload, token: rawSignJwt(keys, payload, { typ: TYP }) };
}
