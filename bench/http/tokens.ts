/** Access tokens for the HTTP benchmark, minted with the raw node:crypto signer (not the code under test). */
import { type BenchAlg, type BenchKeys, generateBenchKeys, rawSignJwt } from '../lib/raw-jws.js';

export const ISSUER = 'https://auth.bench.test';
export const AUDIENCE = 'articles';

export interface AlgTokens {
  keys: BenchKeys;
  /** The repeated mix: one user's token. */
  one: string;
  /** The ring: distinct tokens (distinct sub, jti, sid), so every verification misses a cache. */
  ring: string[];
  /** A token whose `jti` is on the local revocation feed (deny cells). */
  revoked: string;
}

function claims(i: number, now: number, jti: string): Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: `user-${i}`,
    aud: AUDIENCE,
    iat: now,
    exp: now + 3600,
    jti,
    client_id: 'gatehouse-web',
    sid: `sess-${i}`,
    roles: ['user'],
    username: `user${i}`,
  };
}

/** Keys and tokens for `alg`; tokens are valid for an hour from `now`. */
export function mintTokens(alg: BenchAlg, ringSize: number, now: number): AlgTokens {
  const keys = generateBenchKeys(alg);
  // HS tokens carry no kid, as in the seed documents (a shared secret has no key id to publish).
  const header: Record<string, unknown> = alg.startsWith('HS')
    ? { typ: 'at+jwt', kid: undefined }
    : { typ: 'at+jwt' };
  const ring: string[] = [];
  for (let i = 0; i < ringSize; i++) ring.push(rawSignJwt(keys, claims(i, now, `tok-${i}`), header));
  return {
    keys,
    one: rawSignJwt(keys, claims(ringSize, now, 'tok-one'), header),
    ring,
    revoked: rawSignJwt(keys, claims(ringSize + 1, now, 'revoked-000000'), header),
  };
}
