/**
 * Loads the gatehouse token core for the benchmarks.
 *
 * By default the TypeScript sources are imported (tsx transpiles them with esbuild to the same
 * ES2022 JavaScript tsc emits, so the hot code is the same), which keeps the benchmark usable
 * while the packages are being edited and never measures a stale build. `--dist` imports the
 * built package `gatehouse` (run `npm run build` first) to measure exactly what ships.
 *
 * The module is typed structurally with the part of the API in docs/api/core.md the benchmarks
 * use, so that the benchmark type-checks on its own; a runtime sanity check before any
 * measurement catches any drift.
 */
import type { KeyObject } from 'node:crypto';

export interface GhKey {
  readonly alg: string;
  readonly kid: string;
  readonly type: 'secret' | 'private' | 'public';
  readonly keyObject: KeyObject;
}

export interface GhVerifyOptions {
  algorithms: readonly string[];
  issuer?: string;
  audience?: string;
  typ?: string;
  now?: number;
}

export interface GhVerified {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export interface GhJwtVerifier {
  (token: string, now?: number): GhVerified;
  readonly cacheStats: { hits: number; misses: number; size: number };
}

/** The slice of `gatehouse` (token core) the benchmarks use. */
export interface GatehouseCore {
  importPem(pem: string, alg: string, options?: { kid?: string }): GhKey;
  importSecret(secret: Uint8Array, alg: string, options?: { kid?: string }): GhKey;
  signJwt(payload: Record<string, unknown>, key: GhKey, options?: { typ?: string }): string;
  verifyJwt(token: string, key: GhKey, options: GhVerifyOptions): GhVerified;
  createJwtVerifier(
    key: GhKey,
    options: GhVerifyOptions & { cache?: false | { max?: number } },
  ): GhJwtVerifier;
}

const REQUIRED = ['importPem', 'importSecret', 'signJwt', 'verifyJwt', 'createJwtVerifier'] as const;

/** Where the core was loaded from, or why it could not be. */
export type LoadResult = { core: GatehouseCore; from: string } | { core: undefined; reason: string };

/**
 * Imports the core (sources by default, the built package with `dist`); never throws.
 *
 * @example
 * ```ts
 * const loaded = await loadGatehouse(false);
 * if (loaded.core) loaded.core.verifyJwt(token, key, { algorithms: ['ES256'] });
 * ```
 */
export async function loadGatehouse(dist: boolean): Promise<LoadResult> {
  const specifier = dist
    ? 'gatehouse'
    : new URL('../../packages/gatehouse/src/index.ts', import.meta.url).href;
  try {
    const mod = (await import(specifier)) as Record<string, unknown>;
    const missing = REQUIRED.filter((name) => typeof mod[name] !== 'function');
    if (missing.length > 0)
      return { core: undefined, reason: `gatehouse does not export ${missing.join(', ')}` };
    return {
      core: mod as unknown as GatehouseCore,
      from: dist ? 'gatehouse (dist)' : 'packages/gatehouse/src',
    };
  } catch (err) {
    return { core: undefined, reason: `cannot import gatehouse: ${(err as Error).message.split('\n')[0]}` };
  }
}
