/** Key generation for every supported algorithm. */
import { createSecretKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { GatehouseError } from '../../errors.js';
import { ALGORITHM_SPECS, type Algorithm, isAlgorithm } from '../algorithms.js';
import { createKey, type Key } from './key.js';

/** Options of {@link generateKey}. */
export interface GenerateKeyOptions {
  /** Key id; default: the RFC 7638 thumbprint. */
  kid?: string;
  /** RSA modulus length in bits (RS*, PS*); default 2048, never less. */
  modulusLength?: number;
}

/**
 * Generates a key for `alg`: a random secret of the hash size for HS*, a private key otherwise
 * (RSA 2048 bits by default, P-256/P-384/P-521 for ES*, Ed25519 for EdDSA).
 *
 * @example
 * ```ts
 * import { generateKey, signJwt } from 'gatehouse';
 * const key = generateKey('ES256');
 * const token = signJwt({ sub: 'alice' }, key, { expiresIn: '15m' });
 * ```
 */
export function generateKey(alg: Algorithm, options: GenerateKeyOptions = {}): Key {
  if (!isAlgorithm(alg)) throw new GatehouseError('KEY_INVALID', 'Unsupported algorithm');
  const spec = ALGORITHM_SPECS[alg];
  let keyObject: KeyObject;
  switch (spec.family) {
    case 'HS':
      keyObject = createSecretKey(randomBytes(spec.hashLength));
      break;
    case 'RS':
    case 'PS': {
      const modulusLength = options.modulusLength ?? 2048;
      if (!Number.isSafeInteger(modulusLength) || modulusLength < 2048) {
        throw new GatehouseError('OPTION_INVALID', 'The modulusLength option must be an integer >= 2048');
      }
      keyObject = generateKeyPairSync('rsa', { modulusLength }).privateKey;
      break;
    }
    case 'ES':
      keyObject = generateKeyPairSync('ec', { namedCurve: spec.curve! }).privateKey;
      break;
    default:
      keyObject = generateKeyPairSync('ed25519').privateKey;
  }
  return createKey(keyObject, alg, options.kid);
}
