/**
 * Refresh tokens (CONTRACT section 2): opaque, `ghr_` + 256 random bits in base64url, stored
 * only as a SHA-256 hash. `node:crypto` randomness and hashing only, no I/O.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Prefix that secret scanners can spot (like GitHub's `ghp_`). */
export const REFRESH_TOKEN_PREFIX = 'ghr_';
/** 32 bytes of randomness = 43 base64url characters. */
const RANDOM_BYTES = 32;
const SHAPE = /^ghr_[A-Za-z0-9_-]{43}$/;

/**
 * A new refresh token: `ghr_` followed by 256 bits from the CSPRNG, base64url.
 *
 * @example
 * ```ts
 * const token = generateRefreshToken(); // 'ghr_Xq3...' (47 characters)
 * ```
 */
export function generateRefreshToken(): string {
  return REFRESH_TOKEN_PREFIX + randomBytes(RANDOM_BYTES).toString('base64url');
}

/**
 * True when the input has the exact shape of one of our refresh tokens. Anything else can be
 * refused without a database lookup (and without hashing a megabyte of garbage).
 *
 * @example
 * ```ts
 * isRefreshTokenShape('ghr_' + 'A'.repeat(43)); // true
 * isRefreshTokenShape({}); // false
 * ```
 */
export function isRefreshTokenShape(input: unknown): input is string {
  return typeof input === 'string' && input.length === 47 && SHAPE.test(input);
}

/**
 * The stored form of a refresh token: SHA-256, base64url. A plain (unsalted, fast) hash is
 * right here: the token has 256 bits of entropy, so there is nothing to brute-force, and the
 * lookup must be by hash.
 *
 * @example
 * ```ts
 * await store.findSessionByRefreshHash(hashRefreshToken(token), now);
 * ```
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
