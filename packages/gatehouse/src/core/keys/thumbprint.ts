/** RFC 7638 JWK thumbprints (SHA-256), the default `kid` of every Gatehouse key. */
import { createHash, type KeyObject } from 'node:crypto';
import { GatehouseError } from '../../errors.js';
import type { Jwk, Key } from './key.js';

/** Required members per key type, already in lexicographic order (RFC 7638 section 3.2). */
const REQUIRED: Record<string, readonly string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
};

/** @internal Thumbprint of a JWK object (members other than the required ones are ignored). */
export function thumbprintOfJwk(jwk: Record<string, unknown>): string {
  const members = typeof jwk.kty === 'string' ? REQUIRED[jwk.kty] : undefined;
  if (members === undefined) throw new GatehouseError('KEY_INVALID', 'Unsupported JWK key type');
  const canonical: Record<string, string> = {};
  for (const m of members) {
    const v = jwk[m];
    if (typeof v !== 'string') throw new GatehouseError('KEY_INVALID', `JWK member "${m}" is missing`);
    canonical[m] = v;
  }
  // JSON.stringify keeps insertion order, which is the sorted order above: no whitespace,
  // members in lexicographic order, exactly as RFC 7638 section 3.3 requires.
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

/**
 * RFC 7638 thumbprint (SHA-256, base64url) of a JWK or of a Key's public JWK.
 *
 * @example
 * ```ts
 * import { jwkThumbprint } from 'gatehouse';
 * jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });
 * // 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k'
 * ```
 */
export function jwkThumbprint(jwk: Jwk | Key): string {
  if (typeof jwk === 'object' && jwk !== null && 'keyObject' in jwk) {
    const ko = (jwk as Key).keyObject as KeyObject;
    if (ko.type === 'secret') return thumbprintOfJwk({ kty: 'oct', k: ko.export().toString('base64url') });
    return thumbprintOfJwk(ko.export({ format: 'jwk' }) as Record<string, unknown>);
  }
  if (typeof jwk !== 'object' || jwk === null) throw new GatehouseError('KEY_INVALID', 'Not a JWK');
  return thumbprintOfJwk(jwk as Record<string, unknown>);
}
