/** Importing keys: raw secrets, PEM and JWK. */
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { GatehouseError } from '../../errors.js';
import { ALGORITHM_SPECS, type Algorithm, isAlgorithm } from '../algorithms.js';
import { decodeCanonical } from '../base64url.js';
import { createKey, type Jwk, type Key } from './key.js';

/** Options shared by the import functions. */
export interface ImportKeyOptions {
  /** Key id; default: the RFC 7638 thumbprint. */
  kid?: string;
}

const invalid = (message: string, cause?: unknown): GatehouseError =>
  // node:crypto's own message is kept only as `cause` (never shown to clients); ours names no key material.
  new GatehouseError('KEY_INVALID', message, cause === undefined ? {} : { cause });

/**
 * Imports an HMAC secret (a string is taken as UTF-8). Refuses secrets shorter than the hash
 * size: 32, 48 or 64 bytes (RFC 7518 section 3.2).
 *
 * @example
 * ```ts
 * import { importSecret } from 'gatehouse';
 * const key = importSecret(process.env.GATEHOUSE_HS_SECRET ?? 'x'.repeat(32), 'HS256');
 * ```
 */
export function importSecret(
  secret: string | Uint8Array,
  alg: 'HS256' | 'HS384' | 'HS512',
  options: ImportKeyOptions = {},
): Key {
  if (!isAlgorithm(alg) || ALGORITHM_SPECS[alg].family !== 'HS')
    throw invalid('importSecret takes HS256, HS384 or HS512');
  let bytes: Buffer;
  if (typeof secret === 'string') bytes = Buffer.from(secret, 'utf8');
  else if (secret instanceof Uint8Array)
    bytes = Buffer.from(secret); // a copy: later changes to the caller's array do not leak in
  else throw invalid('The secret must be a string or a Uint8Array');
  if (bytes.length === 0) throw invalid('The secret is empty');
  return createKey(createSecretKey(bytes), alg, options.kid);
}

/**
 * Imports a PEM key bound to `alg`: PKCS#8, SEC1 or PKCS#1 private keys, SPKI or PKCS#1
 * public keys (or an X.509 certificate's public key).
 *
 * @example
 * ```ts
 * import { exportPem, generateKey, importPem } from 'gatehouse';
 * const pem = exportPem(generateKey('EdDSA'));
 * const key = importPem(pem, 'EdDSA');
 * ```
 */
export function importPem(pem: string, alg: Algorithm, options: ImportKeyOptions = {}): Key {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN ')) throw invalid('Not a PEM string');
  if (!isAlgorithm(alg)) throw invalid('Unsupported algorithm');
  if (ALGORITHM_SPECS[alg].family === 'HS') throw invalid('HMAC secrets are not imported from PEM');
  let keyObject: KeyObject;
  try {
    keyObject = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (err) {
    throw invalid('The PEM key could not be read', err);
  }
  return createKey(keyObject, alg, options.kid);
}

/** Options of {@link importJwk}. */
export interface ImportJwkOptions extends ImportKeyOptions {
  /** The algorithm; must agree with `jwk.alg` when both are given. */
  alg?: Algorithm;
}

/**
 * Imports a JWK. The algorithm comes from `options.alg` or `jwk.alg` (both given must agree);
 * the kid from `options.kid`, `jwk.kid` or the thumbprint. A JWK with `use` other than `sig`
 * is refused.
 *
 * @example
 * ```ts
 * import { importJwk } from 'gatehouse';
 * const key = importJwk({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', alg: 'EdDSA' });
 * key.type; // 'public'
 * ```
 */
export function importJwk(jwk: Jwk, options: ImportJwkOptions = {}): Key {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw invalid('Not a JWK object');
  const alg = options.alg ?? jwk.alg;
  if (options.alg !== undefined && jwk.alg !== undefined && options.alg !== jwk.alg) {
    throw invalid('The alg option and the JWK alg disagree');
  }
  if (!isAlgorithm(alg)) throw invalid('The JWK has no supported alg and none was given');
  if (jwk.use !== undefined && jwk.use !== 'sig') throw invalid('The JWK is not a signature key (use)');
  const kid = options.kid ?? jwk.kid;
  let keyObject: KeyObject;
  if (jwk.kty === 'oct') {
    const k = typeof jwk.k === 'string' ? decodeCanonical(jwk.k) : undefined;
    if (k === undefined || k.length === 0) throw invalid('The oct JWK has no valid "k"');
    keyObject = createSecretKey(k);
  } else if (jwk.kty === 'RSA' || jwk.kty === 'EC' || jwk.kty === 'OKP') {
    try {
      // Only the members node:crypto knows are passed on; `d` decides private versus public.
      const input = { key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' as const };
      keyObject = jwk.d !== undefined ? createPrivateKey(input) : createPublicKey(input);
    } catch (err) {
      throw invalid('The JWK could not be read', err);
    }
  } else {
    throw invalid('Unsupported JWK key type');
  }
  return createKey(keyObject, alg, kid);
}
