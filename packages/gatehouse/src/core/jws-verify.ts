/** Compact JWS verification (RFC 7515), with the RFC 8725 rules applied before any crypto. */
import { GatehouseError } from '../errors.js';
import { type Algorithm, checkAlgorithmList } from './algorithms.js';
import { decodeCanonical } from './base64url.js';
import {
  checkMaxTokenSize,
  type JwsHeader,
  type JwtPayload,
  malformed,
  parseHeaderSegment,
  parsePayloadSegment,
} from './jws-decode.js';
import { isKey, type Key, keyOps, SIG_MALFORMED, SIG_VALID } from './keys/key.js';
import { isKeySet, type KeySet } from './keys/key-set.js';

/**
 * Parsed headers by exact header segment. Headers repeat across tokens (same alg, kid, typ),
 * so this saves a base64url decode and a JSON.parse per verification. Only headers of tokens
 * whose signature verified are stored (an attacker cannot fill it with junk), the objects are
 * frozen (shared between results) and the map is bounded.
 */
const headerCache = new Map<string, JwsHeader>();
const HEADER_CACHE_MAX = 256;

// The last header seen, with its '.': `startsWith` finds it in the token without slicing or
// hashing the segment when one issuer's tokens come in a row (the common case).
let lastPrefix = '';
let lastHeader: JwsHeader | undefined;

function rememberHeader(segment: string, header: JwsHeader): void {
  if (headerCache.size >= HEADER_CACHE_MAX) headerCache.clear();
  headerCache.set(segment, header);
  lastPrefix = `${segment}.`;
  lastHeader = header;
}

/** The cached header of `token` (whose first '.' is at `dot`), if any. */
function cachedHeader(token: string, dot: number): JwsHeader | undefined {
  if (lastPrefix.length === dot + 1 && token.startsWith(lastPrefix)) return lastHeader;
  const segment = token.slice(0, dot);
  const header = headerCache.get(segment);
  if (header !== undefined) {
    lastPrefix = `${segment}.`;
    lastHeader = header;
  }
  return header;
}

/** @internal Options of the compact verification, already validated. */
export interface PreparedJwsOptions {
  readonly algorithms: readonly string[];
  readonly maxTokenSize: number;
}

/** @internal */
export function prepareJwsOptions(
  options: {
    algorithms: readonly Algorithm[];
    maxTokenSize?: number;
  },
  copy = false,
): PreparedJwsOptions {
  if (typeof options !== 'object' || options === null) {
    throw new GatehouseError('OPTION_INVALID', 'Verification options are required (at least algorithms)');
  }
  return {
    algorithms: checkAlgorithmList(options.algorithms, copy),
    maxTokenSize: checkMaxTokenSize(options.maxTokenSize),
  };
}

/** @internal The key for a header; the codes of verification steps 2-3. */
function selectKey(keys: Key | KeySet, alg: string, kid: string | undefined): Key {
  if (isKeySet(keys)) {
    const key = kid === undefined ? keys.select({ alg }) : keys.get(kid);
    if (key === undefined) throw new GatehouseError('KEY_UNKNOWN', 'No key matches the token');
    if (key.alg !== alg) throw new GatehouseError('ALG_NOT_ALLOWED', 'The key is bound to another algorithm');
    return key;
  }
  if (!isKey(keys)) throw new GatehouseError('OPTION_INVALID', 'The keys must be a Key or a KeySet');
  // A single key is used whatever the kid, but only for the algorithm it is bound to.
  if (keys.alg !== alg) throw new GatehouseError('ALG_NOT_ALLOWED', 'The key is bound to another algorithm');
  return keys;
}

/**
 * @internal Verification steps 1-4. With `jsonPayload`, the payload must be a JSON object
 * (step 1) and is returned parsed; otherwise its canonical bytes are returned.
 */
export function verifyCompact<J extends boolean>(
  token: string,
  keys: Key | KeySet,
  options: PreparedJwsOptions,
  jsonPayload: J,
): { header: JwsHeader; payload: J extends true ? JwtPayload : Buffer } {
  // Step 1, inlined from splitToken on this hot path: only the header and payload are sliced.
  if (typeof token !== 'string') throw malformed('The token must be a string');
  if (token.length > options.maxTokenSize) {
    throw new GatehouseError('TOKEN_TOO_LARGE', 'The token exceeds the size limit');
  }
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0) throw malformed('A JWS has exactly three segments');
  let header = cachedHeader(token, first);
  const cached = header !== undefined;
  const headerSegment = cached ? '' : token.slice(0, first);
  if (header === undefined) header = parseHeaderSegment(headerSegment) as JwsHeader;
  const payloadSegment = token.slice(first + 1, second);
  let payload: JwtPayload | Buffer | undefined;
  if (jsonPayload) payload = parsePayloadSegment(payloadSegment);
  else {
    payload = decodeCanonical(payloadSegment);
    if (payload === undefined) throw malformed('The payload is not canonical base64url');
  }

  // Step 2. The allow-list is the caller's, never inferred from the token or key (`none`
  // is not an Algorithm, so it is never in it).
  const alg = header.alg;
  if (!options.algorithms.includes(alg))
    throw new GatehouseError('ALG_NOT_ALLOWED', 'The token algorithm is not allowed');
  // No critical extension is understood, so any `crit` must be refused (RFC 7515 4.1.11);
  // unencoded payloads (`b64: false`, RFC 7797) are refused whatever `crit` says.
  if (header.crit !== undefined) {
    throw new GatehouseError('HEADER_UNSUPPORTED', 'Critical header parameters are not supported', {
      claim: 'crit',
    });
  }
  if (header.b64 !== undefined) {
    throw new GatehouseError('HEADER_UNSUPPORTED', 'The b64 header parameter is not supported', {
      claim: 'b64',
    });
  }
  // Step 3. The key comes from our own keys by kid + alg only: `jku`, `x5u`, `jwk` and `x5c`
  // are attacker-controlled and never consulted.
  const key = selectKey(keys, alg, header.kid);
  // Step 4. The signature segment's encoding is checked here, with the signature itself.
  const outcome = keyOps(key).verify(token, second);
  if (outcome !== SIG_VALID) {
    if (outcome === SIG_MALFORMED) throw malformed('The signature is not canonical base64url');
    throw new GatehouseError('SIGNATURE_INVALID', 'The token signature is invalid');
  }
  if (!cached) {
    header = Object.freeze(header);
    rememberHeader(headerSegment, header);
  }
  return { header, payload: payload as J extends true ? JwtPayload : Buffer };
}

/**
 * Verifies a compact JWS whose payload is any bytes. Checks, in order: size, three canonical
 * segments, JSON-object header, the algorithm allow-list, `crit`/`b64`, the key (by kid and
 * alg) and the signature.
 *
 * @example
 * ```ts
 * import { generateKey, signJws, verifyJws } from 'gatehouse';
 * const key = generateKey('EdDSA');
 * const jws = signJws('hello', key);
 * verifyJws(jws, key, { algorithms: ['EdDSA'] }).payload.toString(); // 'hello'
 * ```
 */
export function verifyJws(
  token: string,
  keys: Key | KeySet,
  options: { algorithms: readonly Algorithm[]; maxTokenSize?: number },
): { header: JwsHeader; payload: Uint8Array } {
  return verifyCompact(token, keys, prepareJwsOptions(options), false);
}
