// Test helpers: build tokens with arbitrary (even invalid) header and payload, correctly signed.
import { keyOps } from '../../src/core/keys/key.js';
import type { Key } from '../../src/index.js';

export const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64url');

/** A token whose header and payload are exactly the given JSON texts (or objects), signed by `key`. */
export function forge(header: object | string, payload: object | string, key: Key): string {
  const h = typeof header === 'string' ? header : JSON.stringify(header);
  const p = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const input = `${b64(h)}.${b64(p)}`;
  return `${input}.${keyOps(key).sign!(input)}`;
}

/** Signs already-encoded segments. */
export function signSegments(headerB64: string, payloadB64: string, key: Key): string {
  const input = `${headerB64}.${payloadB64}`;
  return `${input}.${keyOps(key).sign!(input)}`;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same bytes spelled non-canonically: sets an unused low bit of the last character
 * (segments whose length is not a multiple of 4 only). Lenient decoders accept it.
 */
export function setTrailingBit(segment: string): string {
  if (segment.length % 4 === 0) throw new Error('no unused bits in this segment');
  const last = ALPHABET.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + ALPHABET[last | 1];
}
