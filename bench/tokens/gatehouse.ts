/** Gatehouse's prepared operations for one algorithm (same inputs and checks as the peers). */
import type { GatehouseCore, GhKey } from '../lib/load-gatehouse.js';
import { AUDIENCE, ISSUER, type TokenFixture, TYP } from './fixture.js';
import type { LibraryOps } from './peers.js';

function gatehouseKeys(gh: GatehouseCore, f: TokenFixture): { signKey: GhKey; verifyKey: GhKey } {
  const kid = f.keys.kid;
  if (f.keys.secret) {
    const key = gh.importSecret(new Uint8Array(f.keys.secret), f.alg, { kid });
    return { signKey: key, verifyKey: key };
  }
  return {
    signKey: gh.importPem(f.keys.privatePem!, f.alg, { kid }),
    verifyKey: gh.importPem(f.keys.publicPem!, f.alg, { kid }),
  };
}

const claimsOf = (r: unknown) => (r as { payload: Record<string, unknown> }).payload;

/**
 * Three rows: `gatehouse` (one-shot `signJwt` / `verifyJwt`), `gatehouse (prepared)`
 * (`createJwtVerifier` without cache, the shape of fast-jwt's `createVerifier`) and
 * `gatehouse (cache hit)` (`createJwtVerifier` with its LRU, the same token every time).
 */
export function gatehouseOps(gh: GatehouseCore, f: TokenFixture): LibraryOps[] {
  const { signKey, verifyKey } = gatehouseKeys(gh, f);
  const options = { algorithms: [f.alg], issuer: ISSUER, audience: AUDIENCE };
  const prepared = gh.createJwtVerifier(verifyKey, { ...options, cache: false });
  const cached = gh.createJwtVerifier(verifyKey, { ...options, cache: { max: 1000 } });
  const signOptions = { typ: TYP };
  return [
    {
      library: 'gatehouse',
      sign: () => gh.signJwt(f.payload, signKey, signOptions),
      verify: () => gh.verifyJwt(f.token, verifyKey, options),
      claimsOf,
    },
    { library: 'gatehouse (prepared)', verify: () => prepared(f.token), claimsOf },
    {
      library: 'gatehouse (cache hit)',
      verify: () => cached(f.token),
      claimsOf,
      // The row is only meaningful if the cache really answered: one miss, then hits.
      afterRun: () => {
        const { hits, misses } = cached.cacheStats;
        return hits > 0 && misses <= 1 ? undefined : `cache did not hit (hits ${hits}, misses ${misses})`;
      },
    },
  ];
}
