/** Key sets: select a key by `kid` and `alg`, publish the public keys as a JWKS. */
import { GatehouseError } from '../../errors.js';
import { type Algorithm, checkAlgorithmList } from '../algorithms.js';
import { exportJwk } from './export.js';
import { importJwk } from './import.js';
import { isKey, type Jwk, type Jwks, type Key } from './key.js';

/** A set of keys with distinct kids. */
export interface KeySet {
  readonly keys: readonly Key[];
  /** Key for a token header: by kid (and its alg must equal header.alg); without kid, the only key of that alg. */
  select(header: { alg: string; kid?: string }): Key | undefined;
  /** The key with this kid, whatever its alg. */
  get(kid: string): Key | undefined;
  /** Public keys only (secrets are never published): a JWKS document. */
  toJwks(): Jwks;
}

/** @internal Marks key sets made here, so that `verifyJwt` can tell a KeySet from a Key cheaply. */
export const KEY_SET: unique symbol = Symbol('gatehouse.keySet');

/**
 * Builds a key set. Duplicate kids are refused (`OPTION_INVALID`): a kid must name one key.
 *
 * @example
 * ```ts
 * import { createKeySet, generateKey } from 'gatehouse';
 * const keys = createKeySet([generateKey('ES256'), generateKey('EdDSA')]);
 * const jwks = keys.toJwks(); // publish at /.well-known/jwks.json
 * ```
 */
export function createKeySet(keys: Iterable<Key>): KeySet {
  const byKid = new Map<string, Key>();
  const byAlg = new Map<string, Key[]>();
  for (const key of keys) {
    if (!isKey(key)) throw new GatehouseError('KEY_INVALID', 'Not a Gatehouse key');
    if (byKid.has(key.kid)) throw new GatehouseError('OPTION_INVALID', 'Two keys share the same kid');
    byKid.set(key.kid, key);
    const list = byAlg.get(key.alg);
    if (list === undefined) byAlg.set(key.alg, [key]);
    else list.push(key);
  }
  const list = Object.freeze([...byKid.values()]);
  const set: KeySet = {
    keys: list,
    select(header) {
      if (header.kid !== undefined) {
        const key = byKid.get(header.kid);
        return key !== undefined && key.alg === header.alg ? key : undefined;
      }
      // Without a kid, only an unambiguous choice is made: never try several keys in turn.
      const candidates = byAlg.get(header.alg);
      return candidates !== undefined && candidates.length === 1 ? candidates[0] : undefined;
    },
    get(kid) {
      return byKid.get(kid);
    },
    toJwks() {
      return { keys: list.filter((k) => k.type !== 'secret').map((k) => exportJwk(k)) };
    },
  };
  Object.defineProperty(set, KEY_SET, { value: true, enumerable: false });
  return Object.freeze(set);
}

/** Options of {@link importJwks}. */
export interface ImportJwksOptions {
  /** Only keys whose alg is in this list are imported. */
  algorithms?: readonly Algorithm[];
}

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);

/**
 * Imports a JWKS document as a key set of public keys. Keys without a supported `alg`, with
 * `use` other than `sig`, of an unsupported `kty`, symmetric (`oct`) keys and keys that fail
 * to import are skipped, never guessed. Private members are dropped.
 *
 * @example
 * ```ts
 * import { importJwks } from 'gatehouse';
 * const jwks = await (await fetch('http://127.0.0.1:5000/.well-known/jwks.json')).json();
 * const keys = importJwks(jwks, { algorithms: ['ES256'] });
 * ```
 */
export function importJwks(jwks: unknown, options: ImportJwksOptions = {}): KeySet {
  const allowed = options.algorithms === undefined ? undefined : checkAlgorithmList(options.algorithms);
  const raw = (jwks as { keys?: unknown } | null)?.keys;
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(raw)) {
    throw new GatehouseError('KEY_INVALID', 'Not a JWKS document');
  }
  const keys: Key[] = [];
  const seen = new Set<string>();
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    const jwk = entry as Jwk;
    if (jwk.kty === 'oct' || typeof jwk.alg !== 'string') continue;
    if (allowed !== undefined && !allowed.includes(jwk.alg)) continue;
    const pub: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(jwk)) if (!PRIVATE_MEMBERS.has(name)) pub[name] = value;
    let key: Key;
    try {
      key = importJwk(pub as Jwk);
    } catch {
      continue;
    }
    if (seen.has(key.kid)) continue; // first one wins; a duplicate kid is ambiguous
    seen.add(key.kid);
    keys.push(key);
  }
  return createKeySet(keys);
}

/**
 * Is `x` a KeySet made by `createKeySet` or `importJwks`?
 *
 * @example
 * ```ts
 * import { createKeySet, isKeySet } from 'gatehouse';
 * isKeySet(createKeySet([])); // true
 * ```
 */
export function isKeySet(x: unknown): x is KeySet {
  return typeof x === 'object' && x !== null && KEY_SET in x;
}
