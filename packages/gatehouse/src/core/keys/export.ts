/** Exporting keys as JWK and PEM, and deriving public keys. */
import { createPublicKey } from 'node:crypto';
import { GatehouseError } from '../../errors.js';
import { createKey, isKey, type Jwk, type Key, publicJwkOf } from './key.js';

/** Options of {@link exportJwk}. */
export interface ExportJwkOptions {
  /** Include the secret (`k`) or private members (`d`, ...). Default false. */
  includePrivate?: boolean;
}

function checkKey(key: Key): void {
  if (!isKey(key)) throw new GatehouseError('KEY_INVALID', 'Not a Gatehouse key');
}

/**
 * Exports a key as a JWK carrying `kid`, `alg` and `use: "sig"`. Secret and private members
 * appear only with `includePrivate: true`; a secret without it is refused (it has no public part).
 *
 * @example
 * ```ts
 * import { exportJwk, generateKey } from 'gatehouse';
 * const jwk = exportJwk(generateKey('ES256')); // { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' }
 * ```
 */
export function exportJwk(key: Key, options: ExportJwkOptions = {}): Jwk {
  checkKey(key);
  let base: Jwk;
  if (options.includePrivate === true) {
    base =
      key.type === 'secret'
        ? { kty: 'oct', k: key.keyObject.export().toString('base64url') }
        : (key.keyObject.export({ format: 'jwk' }) as Jwk);
  } else {
    // A symmetric secret is never published (RFC 8725: an HMAC key in a JWKS is a forgery kit).
    if (key.type === 'secret') throw new GatehouseError('KEY_INVALID', 'A secret has no public JWK');
    base = publicJwkOf(key.keyObject);
  }
  return { ...base, kid: key.kid, alg: key.alg, use: 'sig' };
}

/**
 * Exports an asymmetric key as PEM: private keys as PKCS#8, public keys as SPKI.
 *
 * @example
 * ```ts
 * import { exportPem, generateKey, toPublicKey } from 'gatehouse';
 * const key = generateKey('RS256');
 * const privatePem = exportPem(key); // -----BEGIN PRIVATE KEY-----
 * const publicPem = exportPem(toPublicKey(key)); // -----BEGIN PUBLIC KEY-----
 * ```
 */
export function exportPem(key: Key): string {
  checkKey(key);
  if (key.type === 'secret') throw new GatehouseError('KEY_INVALID', 'A secret has no PEM form');
  if (key.type === 'private') return key.keyObject.export({ format: 'pem', type: 'pkcs8' }) as string;
  return key.keyObject.export({ format: 'pem', type: 'spki' }) as string;
}

/**
 * The public half of a key, with the same kid and alg; a public key is returned as is.
 *
 * @example
 * ```ts
 * import { generateKey, toPublicKey } from 'gatehouse';
 * const pub = toPublicKey(generateKey('EdDSA'));
 * pub.type; // 'public'
 * ```
 */
export function toPublicKey(key: Key): Key {
  checkKey(key);
  if (key.type === 'public') return key;
  if (key.type === 'secret') throw new GatehouseError('KEY_INVALID', 'A secret has no public key');
  return createKey(createPublicKey(key.keyObject), key.alg, key.kid);
}
