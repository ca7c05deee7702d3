/**
 * Password policy (CONTRACT section 2, NIST SP 800-63B): at least 8 characters, at most 1024
 * bytes of UTF-8, no composition rules; argon2id with OWASP's parameters. Pure, no I/O: the
 * hashing itself is `service/password-hasher.ts`.
 */
import { GatehouseError } from 'gatehouse/errors';
import { LONE_SURROGATE } from './usernames.js';

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_BYTES = 1024;

/** Argon2id cost parameters, as the `argon2` package names them (memoryCost in KiB). */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * OWASP Password Storage Cheat Sheet, argon2id, first recommended configuration:
 * m = 19456 KiB (19 MiB), t = 2, p = 1.
 *
 * @example
 * ```ts
 * await argon2.hash(pw, { type: argon2.argon2id, ...OWASP_ARGON2ID });
 * ```
 */
export const OWASP_ARGON2ID: Readonly<Argon2Params> = Object.freeze({
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

/**
 * Validates a NEW password (registration, user creation, password change) and returns the
 * form to hash. Throws `VALIDATION_FAILED` (claim = `field`).
 *
 * Security: the byte limit is checked before anything else touches the string, so a 1 MB
 * password costs a length comparison, never a hash. The string is NFKC-normalised (NIST
 * SP 800-63B 5.1.1.2) so that the same password typed on two keyboards gives the same hash.
 *
 * @example
 * ```ts
 * const pw = validateNewPassword(body.password); // throws VALIDATION_FAILED when too short
 * ```
 */
export function validateNewPassword(input: unknown, field = 'password'): string {
  const pw = checkPasswordShape(input, field);
  if (codePointLength(pw) < PASSWORD_MIN_CHARS) {
    throw new GatehouseError(
      'VALIDATION_FAILED',
      `${field} must be at least ${PASSWORD_MIN_CHARS} characters`,
      {
        claim: field,
        reason: 'too_short',
      },
    );
  }
  return pw;
}

/**
 * Checks a password presented for VERIFICATION (login, current password): a string of at
 * most 1024 bytes, normalised like {@link validateNewPassword}. No minimum: a short password
 * is simply wrong. Throws `VALIDATION_FAILED` (the answer does not depend on the account).
 *
 * @example
 * ```ts
 * const pw = checkPasswordShape(body.password);
 * ```
 */
export function checkPasswordShape(input: unknown, field = 'password'): string {
  if (typeof input !== 'string') {
    throw new GatehouseError('VALIDATION_FAILED', `${field} must be a string`, {
      claim: field,
      reason: 'not_a_string',
    });
  }
  // UTF-8 needs at least one byte per UTF-16 unit: a cheap bound before the exact count.
  if (input.length > PASSWORD_MAX_BYTES || Buffer.byteLength(input, 'utf8') > PASSWORD_MAX_BYTES) {
    throw new GatehouseError('VALIDATION_FAILED', `${field} must be at most ${PASSWORD_MAX_BYTES} bytes`, {
      claim: field,
      reason: 'too_long',
    });
  }
  if (LONE_SURROGATE.test(input)) {
    // Would be silently replaced by U+FFFD when encoded: two different inputs, one hash.
    throw new GatehouseError('VALIDATION_FAILED', `${field} is not well-formed Unicode`, {
      claim: field,
      reason: 'malformed',
    });
  }
  const normalized = input.normalize('NFKC');
  // NFKC may expand; keep the stored-password bound exact after normalisation too.
  if (Buffer.byteLength(normalized, 'utf8') > PASSWORD_MAX_BYTES) {
    throw new GatehouseError('VALIDATION_FAILED', `${field} must be at most ${PASSWORD_MAX_BYTES} bytes`, {
      claim: field,
      reason: 'too_long',
    });
  }
  return normalized;
}

/**
 * Checks hashing parameters once, at construction (names the wrong one). Minimums are
 * argon2's own (m >= 8·p KiB, t >= 1, 1 <= p <= 16); low values are allowed for tests.
 *
 * @example
 * ```ts
 * checkArgon2Params({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
 * ```
 */
export function checkArgon2Params(p: Argon2Params): Argon2Params {
  const intIn = (v: unknown, min: number, max: number) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (!p || typeof p !== 'object') throw optionInvalid('passwordHashing must be an object');
  if (!intIn(p.parallelism, 1, 16))
    throw optionInvalid('passwordHashing.parallelism must be an integer in 1..16');
  if (!intIn(p.timeCost, 1, 64)) throw optionInvalid('passwordHashing.timeCost must be an integer in 1..64');
  if (!intIn(p.memoryCost, 8 * p.parallelism, 4 * 1024 * 1024)) {
    throw optionInvalid('passwordHashing.memoryCost must be an integer KiB count >= 8 * parallelism');
  }
  return { memoryCost: p.memoryCost, timeCost: p.timeCost, parallelism: p.parallelism };
}

/** Parameters read from a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), or null. */
export interface PhcArgon2 {
  type: 'argon2id' | 'argon2i' | 'argon2d';
  version: number;
  params: Argon2Params;
}

/**
 * Parses the parameters of an argon2 PHC string; `null` when it is not one.
 *
 * @example
 * ```ts
 * parseArgon2Phc('$argon2id$v=19$m=19456,p=1,t=2$c2FsdA$aGFzaA')?.params.memoryCost; // 19456
 * ```
 */
export function parseArgon2Phc(phc: string): PhcArgon2 | null {
  if (typeof phc !== 'string' || phc.length > 512) return null;
  const m =
    /^\$(argon2id|argon2i|argon2d)\$v=(\d{1,3})\$([a-z]=\d{1,8}(?:,[a-z]=\d{1,8}){2})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(
      phc,
    );
  if (!m) return null;
  // The parameter order differs between implementations (`m,t,p` in the PHC spec, `m,p,t`
  // from the argon2 package): read them by name.
  const named = new Map((m[3] ?? '').split(',').map((kv) => [kv[0], Number(kv.slice(2))] as const));
  const memoryCost = named.get('m');
  const timeCost = named.get('t');
  const parallelism = named.get('p');
  if (memoryCost === undefined || timeCost === undefined || parallelism === undefined) return null;
  return {
    type: m[1] as PhcArgon2['type'],
    version: Number(m[2]),
    params: { memoryCost, timeCost, parallelism },
  };
}

/**
 * True when a stored hash should be replaced on the next successful login: another argon2
 * variant or version, other parameters than `current`, or not an argon2 PHC string at all.
 *
 * @example
 * ```ts
 * needsRehash(user.passwordHash, OWASP_ARGON2ID);
 * ```
 */
export function needsRehash(phc: string, current: Argon2Params): boolean {
  const parsed = parseArgon2Phc(phc);
  if (!parsed) return true;
  return (
    parsed.type !== 'argon2id' ||
    parsed.version !== 0x13 ||
    parsed.params.memoryCost !== current.memoryCost ||
    parsed.params.timeCost !== current.timeCost ||
    parsed.params.parallelism !== current.parallelism
  );
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function optionInvalid(message: string): GatehouseError {
  return new GatehouseError('OPTION_INVALID', message, { claim: 'passwordHashing' });
}
