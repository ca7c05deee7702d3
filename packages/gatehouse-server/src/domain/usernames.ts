/**
 * Username policy (CONTRACT section 2): 3 to 64 characters, compared case-insensitively after
 * Unicode NFKC normalisation. Pure functions, no I/O.
 */
import { GatehouseError } from 'gatehouse/errors';

/** Bounds, in Unicode code points, of a normalised username. */
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 64;

/**
 * Cheap pre-check in UTF-16 code units, applied BEFORE normalising: NFKC can expand a string
 * up to 18-fold, so a 10k-character input is refused without being normalised at all.
 */
const RAW_MAX_UNITS = USERNAME_MAX * 4;

// Security: control characters (C0/C1), bidi overrides/isolates and line/paragraph separators
// are refused: they make names that look identical in a terminal, a log line or an admin list
// (spoofing, log injection).
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/u;

// In `u` mode this matches only unpaired surrogates (ill-formed UTF-16).
export const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export interface NormalizedUsername {
  /** NFKC form, for display. */
  username: string;
  /** Lookup key: NFKC, lower case, NFKC again (stable under both). Unique per user. */
  usernameKey: string;
}

/**
 * Validates and normalises a username for registration or user creation.
 * Throws `VALIDATION_FAILED` (claim `username`) for anything else: non-strings, wrong length,
 * control characters, leading/trailing white space, ill-formed UTF-16.
 *
 * @example
 * ```ts
 * normalizeUsername('Ｊｏｓé'); // { username: 'José', usernameKey: 'josé' }
 * ```
 */
export function normalizeUsername(input: unknown): NormalizedUsername {
  if (typeof input !== 'string') throw invalid('not_a_string', 'username must be a string');
  if (input.length > RAW_MAX_UNITS)
    throw invalid('too_long', `username must be at most ${USERNAME_MAX} characters`);
  if (LONE_SURROGATE.test(input)) throw invalid('malformed', 'username is not well-formed Unicode');
  const username = input.normalize('NFKC');
  const length = codePointLength(username);
  if (length < USERNAME_MIN)
    throw invalid('too_short', `username must be at least ${USERNAME_MIN} characters`);
  if (length > USERNAME_MAX) throw invalid('too_long', `username must be at most ${USERNAME_MAX} characters`);
  if (FORBIDDEN.test(username)) throw invalid('forbidden_character', 'username contains a control character');
  if (username.trim() !== username)
    throw invalid('whitespace', 'username must not start or end with white space');
  return { username, usernameKey: usernameKeyOf(username) };
}

/**
 * The lookup key of a string that may or may not be a valid username (login: an invalid name
 * is simply an unknown user). Returns `null` when the input cannot be any user's key.
 *
 * @example
 * ```ts
 * lookupKey('ALICE'); // 'alice'
 * lookupKey(42); // null
 * ```
 */
export function lookupKey(input: unknown): string | null {
  try {
    return normalizeUsername(input).usernameKey;
  } catch {
    return null;
  }
}

function usernameKeyOf(nfkc: string): string {
  // Locale-independent lower-casing (never toLocaleLowerCase: Turkish dotless i would give
  // different keys on differently configured hosts), re-normalised because case mapping can
  // leave a string that is no longer NFKC.
  return nfkc.toLowerCase().normalize('NFKC');
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function invalid(reason: string, message: string): GatehouseError {
  return new GatehouseError('VALIDATION_FAILED', message, { claim: 'username', reason });
}
