/**
 * Strict base64url (RFC 4648 section 5, no padding) as JWS requires (RFC 7515 section 2).
 *
 * Canonical form only: no `=` padding, no `+`/`/` or any other foreign character, no
 * impossible length (4n+1) and no non-zero trailing bits. Without the last rule, several
 * different strings decode to the same bytes, so a "changed" token could still verify.
 */
import { GatehouseError } from '../errors.js';

/** Value of each base64url character (indexed by char code < 128), -1 for anything else. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  VALUES['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charCodeAt(i)] = i;
}

/**
 * Decodes `s` if and only if it is canonical base64url; returns undefined otherwise.
 *
 * Node's decoder is lenient: it accepts both alphabets and `=`, and skips any other
 * character. So, in a few native passes (cheaper than a regex or re-encoding on the hot path):
 * ASCII only; no `+`, `/` or `=`; the decoded length must be exactly what `s.length` implies
 * (a skipped character makes it shorter); no impossible length (4n+1); and the unused low
 * bits of the last character must be zero, else several strings would spell the same bytes.
 * A property test checks this against the definition "re-encoding gives back `s`".
 * @internal
 */
export function decodeCanonical(s: string): Buffer | undefined {
  const len = s.length;
  const rem = len & 3;
  if (rem === 1) return undefined;
  if (Buffer.byteLength(s, 'utf8') !== len) return undefined;
  if (s.indexOf('+') >= 0 || s.indexOf('/') >= 0 || s.indexOf('=') >= 0) return undefined;
  const buf = Buffer.from(s, 'base64url');
  if (buf.length !== (len * 3) >> 2) return undefined;
  if (rem !== 0 && (VALUES[s.charCodeAt(len - 1)]! & (rem === 2 ? 0x0f : 0x03)) !== 0) return undefined;
  return buf;
}

/**
 * Scratch space for {@link decodeCanonicalToScratch}: verification decodes the header and
 * payload here instead of allocating a Buffer per segment (allocation and GC were a visible
 * share of an HS256 verification). Safe because decoding and parsing are synchronous: the
 * bytes are consumed (parsed into a string) before anything else can run. Grows on demand.
 */
let scratch = Buffer.alloc(8192);

/** @internal The scratch buffer the last {@link decodeCanonicalToScratch} wrote into. */
export function scratchBuffer(): Buffer {
  return scratch;
}

/**
 * @internal {@link decodeCanonical} without allocation: decodes `s` into the shared scratch
 * buffer (see {@link scratchBuffer}) and returns the byte count, or -1 when `s` is not
 * canonical base64url. The bytes are valid until the next call. Same checks, same order.
 */
export function decodeCanonicalToScratch(s: string): number {
  const expected = (s.length * 3) >> 2;
  if (expected > scratch.length) scratch = Buffer.alloc(Math.max(expected, scratch.length * 2));
  return decodeCanonicalInto(s, scratch, 0);
}

/**
 * @internal Decodes canonical base64url `s` into `target` at `offset`; returns the byte count,
 * or -1 when `s` is not canonical. The caller guarantees room for `(s.length * 3) >> 2` bytes.
 */
export function decodeCanonicalInto(s: string, target: Buffer, offset: number): number {
  const len = s.length;
  const rem = len & 3;
  if (rem === 1) return -1;
  if (Buffer.byteLength(s, 'utf8') !== len) return -1;
  if (s.indexOf('+') >= 0 || s.indexOf('/') >= 0 || s.indexOf('=') >= 0) return -1;
  const expected = (len * 3) >> 2;
  // Never let `write` truncate: a short write would look like a skipped character.
  if (expected > target.length - offset) throw new RangeError('decodeCanonicalInto: no room');
  const n = target.write(s, offset, 'base64url');
  if (n !== expected) return -1;
  if (rem !== 0 && (VALUES[s.charCodeAt(len - 1)]! & (rem === 2 ? 0x0f : 0x03)) !== 0) return -1;
  return n;
}

/**
 * @internal `base64urlEncode(text)` through the scratch buffer (no intermediate Buffer per
 * call: the signing hot path). Falls back to a fresh Buffer when the text might not fit.
 */
export function encodeTextBase64url(text: string): string {
  // At most 3 UTF-8 bytes per UTF-16 code unit, so a write can never be truncated.
  if (text.length * 3 > scratch.length) return Buffer.from(text, 'utf8').toString('base64url');
  const n = scratch.write(text, 0, 'utf8');
  return scratch.toString('base64url', 0, n);
}

/**
 * Is `s` canonical unpadded base64url (no padding, no foreign characters, zero trailing bits)?
 *
 * @example
 * ```ts
 * import { isCanonicalBase64url } from 'gatehouse';
 * isCanonicalBase64url('AQAB'); // true
 * isCanonicalBase64url('AQ=='); // false: padding
 * isCanonicalBase64url('AR'); // false: non-zero trailing bits
 * ```
 */
export function isCanonicalBase64url(s: string): boolean {
  return typeof s === 'string' && decodeCanonical(s) !== undefined;
}

/**
 * Decodes canonical base64url, or throws `TOKEN_MALFORMED` (the input is never echoed).
 *
 * @example
 * ```ts
 * import { base64urlDecode } from 'gatehouse';
 * base64urlDecode('aGk').toString(); // 'hi'
 * ```
 */
export function base64urlDecode(s: string): Buffer {
  const buf = typeof s === 'string' ? decodeCanonical(s) : undefined;
  if (buf === undefined) throw new GatehouseError('TOKEN_MALFORMED', 'Invalid base64url encoding');
  return buf;
}

/**
 * Encodes bytes (or a string as UTF-8) as unpadded base64url.
 *
 * @example
 * ```ts
 * import { base64urlEncode } from 'gatehouse';
 * base64urlEncode('hi'); // 'aGk'
 * ```
 */
export function base64urlEncode(input: Uint8Array | string): string {
  if (typeof input === 'string') return Buffer.from(input, 'utf8').toString('base64url');
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return buf.toString('base64url');
}
