/**
 * The "sealed successor" of a rotated refresh token (the grace behaviour of refresh rotation).
 *
 * When generation k (token T_k) is rotated into T_{k+1}, the store keeps T_{k+1} on T_k's row,
 * encrypted under a key that only the holder of T_k can derive. A late or parallel request that
 * presents T_k within the grace period then receives the SAME T_{k+1} as the request that won
 * the rotation: one linear chain, and nobody is logged out by a race (CONTRACT section 2).
 *
 * Security decisions, made here:
 * - The key is HKDF-SHA256 over the plaintext T_k (256 bits of CSPRNG entropy, so no slow KDF is
 *   needed) with a fixed, versioned info string. The database holds T_k only as its SHA-256
 *   hash, which does not yield the key: a copy of the database alone opens no seal. (A copy
 *   plus T_k opens T_{k+1}; the store keeps a seal only on the immediate predecessor's row.)
 * - AES-256-GCM with a random 96-bit IV per seal. A key (one per token) seals at most a handful
 *   of values (one per refresh attempt with that token), far from the random-IV limits. IVs are
 *   public, so they are cut from a pooled CSPRNG buffer (one `randomFillSync` per 512 seals).
 * - The key already binds a seal to T_k (and so to the row it is stored on); the additional
 *   data binds it to the format version.
 * - Opening never throws: anything malformed, tampered with, or sealed for another token is
 *   `null`, which the service answers as INVALID_REFRESH_TOKEN (never a 5xx).
 *
 * Cost: one HKDF (two HMACs) and one AES-GCM per seal or open, tens of microseconds; it runs on
 * every refresh, so `hkdfSync` (twice the cost of two HMACs) and a per-seal `randomBytes` call
 * are avoided.
 *
 * `node:crypto` only, no I/O; pure apart from the IV's randomness.
 */
import { createCipheriv, createDecipheriv, createHmac, randomFillSync } from 'node:crypto';
import { isRefreshTokenShape } from './refresh-token.js';

const VERSION = 'v1';
/** HKDF `info` followed by the counter byte 0x01 of the first (and only) output block. */
const INFO_BLOCK_1 = Buffer.concat([
  Buffer.from('gatehouse refresh successor v1', 'utf8'),
  Buffer.from([0x01]),
]);
/**
 * A fixed salt suffices: the input (the token) carries 256 bits of CSPRNG entropy (RFC 5869
 * section 3.1). Not the session id: the service seals before the store has looked the token up.
 */
const SALT = Buffer.from('gatehouse/refresh-seal', 'utf8');
const AAD = Buffer.from(VERSION, 'utf8');
const IV_BYTES = 12;
const IV_POOL = Buffer.alloc(IV_BYTES * 512);
let ivOffset = IV_POOL.length;
const TAG_BYTES = 16;
/** A sealed refresh token: 47 bytes of ciphertext + 16 of tag = 84 base64url characters. */
const SHAPE = /^v1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{84})$/;

/**
 * HKDF-SHA256 (RFC 5869) of the presented token, 32 bytes: Extract, then the one Expand block
 * T(1) = HMAC(PRK, info || 0x01) — byte for byte what `hkdfSync('sha256', token, SALT, info, 32)`
 * returns (the tests check it).
 */
function keyFor(presented: string): Buffer {
  const prk = createHmac('sha256', SALT).update(presented, 'utf8').digest();
  return createHmac('sha256', prk).update(INFO_BLOCK_1).digest();
}

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  // A copy: each IV is used once, and the pool is refilled in place.
  const iv = Buffer.from(IV_POOL.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

/**
 * Seals `successor` so that only the holder of `presented` can open it: the value stored on
 * `presented`'s row when it is rotated (`RotateRequest.nextSealed`). Format
 * `v1.<iv>.<ciphertext+tag>`, base64url.
 *
 * @example
 * ```ts
 * const next = generateRefreshToken();
 * const nextSealed = sealSuccessor(presented, next);
 * ```
 */
export function sealSuccessor(presented: string, successor: string): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', keyFor(presented), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/**
 * Opens a seal made by {@link sealSuccessor} with the token presented now. Returns the
 * successor refresh token, or `null` when the seal is malformed, was tampered with, belongs to
 * another token, or does not hold a refresh token.
 *
 * @example
 * ```ts
 * const successor = openSuccessor(presented, result.sealedSuccessor);
 * if (successor === null) throw new GatehouseError('INVALID_REFRESH_TOKEN');
 * ```
 */
export function openSuccessor(presented: string, sealed: string): string | null {
  if (typeof sealed !== 'string' || typeof presented !== 'string') return null;
  const m = SHAPE.exec(sealed);
  if (!m) return null;
  const iv = Buffer.from(m[1] ?? '', 'base64url');
  const body = Buffer.from(m[2] ?? '', 'base64url');
  if (iv.length !== IV_BYTES || body.length <= TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(presented), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]);
    const successor = plain.toString('utf8');
    return isRefreshTokenShape(successor) ? successor : null;
  } catch {
    // Authentication failed (wrong token, tampering): no detail, and never the token, leaks.
    return null;
  }
}
