/**
 * JWT claims validation (RFC 7519 section 4.1, RFC 8725 section 3.8-3.11): pure, with `now`
 * passed in. Every check has a hostile-input test in test/core/claims.test.ts.
 */
import { GatehouseError } from '../errors.js';
import { parseDuration } from './duration.js';
import type { JwsHeader, JwtPayload } from './jws-decode.js';

/** Claim checks of a verification. */
export interface ClaimsOptions {
  /** Accepted issuer(s); the token `iss` must equal one. */
  issuer?: string | readonly string[];
  /** Accepted audience(s); the token `aud` (string or array) must contain one. */
  audience?: string | readonly string[];
  /** Expected `typ` header, compared case-insensitively, `application/` prefix optional (RFC 7515 4.1.9). */
  typ?: string;
  /** Expected `sub`. */
  subject?: string;
  /** Seconds or duration; default 0 in the core. */
  clockTolerance?: number | string;
  /** Seconds or duration; requires `iat`. */
  maxTokenAge?: number | string;
  /** Claims that must be present, e.g. `['exp', 'jti']`. */
  requiredClaims?: readonly string[];
}

/** @internal Claims options checked once. */
export interface PreparedClaims {
  /** One accepted value, or several. */
  readonly issuers: string | readonly string[] | undefined;
  readonly audiences: string | readonly string[] | undefined;
  readonly typ: string | undefined;
  readonly subject: string | undefined;
  readonly tolerance: number;
  readonly maxTokenAge: number | undefined;
  readonly required: readonly string[];
}

const optionError = (name: string, what: string): GatehouseError =>
  new GatehouseError('OPTION_INVALID', `The ${name} option must be ${what}`, { claim: name });

function stringList(value: unknown, name: string, copy: boolean): string | readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (value === '') throw optionError(name, 'a non-empty string or array of non-empty strings');
    return value;
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw optionError(name, 'a non-empty string or array of non-empty strings');
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string' || value[i] === '') {
      throw optionError(name, 'a non-empty string or array of non-empty strings');
    }
  }
  return copy ? Object.freeze([...(value as string[])]) : (value as string[]);
}

/** Is `value` the accepted string, or one of the accepted strings? */
const accepts = (accepted: string | readonly string[], value: string): boolean =>
  typeof accepted === 'string' ? accepted === value : accepted.includes(value);

function allStrings(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return false;
  return true;
}

function duration(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  try {
    return parseDuration(value as string | number);
  } catch {
    throw optionError(name, 'a number of seconds or a duration such as "5s"');
  }
}

/** @internal `application/at+jwt` and `AT+JWT` both compare as `at+jwt`. */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice(12) : lower;
}

const NO_CLAIMS: readonly string[] = Object.freeze([]);

/** @internal With `copy`, lists are copied so that later changes to the caller's arrays cannot reach a prepared verifier. */
export function prepareClaims(options: ClaimsOptions, copy = false): PreparedClaims {
  if (options.typ !== undefined && (typeof options.typ !== 'string' || options.typ === '')) {
    throw optionError('typ', 'a non-empty string');
  }
  if (options.subject !== undefined && typeof options.subject !== 'string')
    throw optionError('subject', 'a string');
  const required = options.requiredClaims ?? NO_CLAIMS;
  if (!Array.isArray(required) || !allStrings(required)) {
    throw optionError('requiredClaims', 'an array of claim names');
  }
  return {
    issuers: stringList(options.issuer, 'issuer', copy),
    audiences: stringList(options.audience, 'audience', copy),
    typ: options.typ === undefined ? undefined : normalizeTyp(options.typ),
    subject: options.subject,
    tolerance: duration(options.clockTolerance, 'clockTolerance') ?? 0,
    maxTokenAge: duration(options.maxTokenAge, 'maxTokenAge'),
    required: copy && required.length > 0 ? Object.freeze([...required]) : required,
  };
}

const claimError = (claim: string, reason: string, message: string): GatehouseError =>
  new GatehouseError('CLAIM_INVALID', message, { claim, reason });

/** A NumericDate claim must be a finite number when present (a string "1" is refused). */
/** 9999-12-31T23:59:59Z: no real token lives beyond it. */
const MAX_NUMERIC_DATE = 253_402_300_799;

function numericDate(payload: JwtPayload, claim: 'exp' | 'nbf' | 'iat'): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw claimError(claim, 'not_a_number', `The "${claim}" claim must be a number`);
  }
  // A finite but absurd date (1e300, 2^53 + 2, negative) is refused rather than trusted: an
  // `exp` that far out means "never expires", which no issuer of ours means to say.
  if (value < 0 || value > MAX_NUMERIC_DATE) {
    throw claimError(claim, 'out_of_range', `The "${claim}" claim is out of range`);
  }
  return value;
}

function stringClaim(payload: JwtPayload, claim: 'iss' | 'sub' | 'jti'): string | undefined {
  const value = payload[claim];
  if (value !== undefined && typeof value !== 'string') {
    throw claimError(claim, 'not_a_string', `The "${claim}" claim must be a string`);
  }
  return value;
}

/** @internal Verification steps 5-6 (see docs/api/core.md). */
export function validateClaims(header: JwsHeader, payload: JwtPayload, c: PreparedClaims, now: number): void {
  if (c.typ !== undefined && (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== c.typ)) {
    // RFC 8725 section 3.11: explicit typing keeps one kind of JWT from passing as another.
    throw new GatehouseError('TOKEN_TYPE_INVALID', 'The token type is not the expected one', {
      claim: 'typ',
    });
  }
  const exp = numericDate(payload, 'exp');
  const nbf = numericDate(payload, 'nbf');
  const iat = numericDate(payload, 'iat');
  const tol = c.tolerance;
  if (exp !== undefined && exp <= now - tol)
    throw new GatehouseError('TOKEN_EXPIRED', 'The token has expired', { claim: 'exp' });
  if (nbf !== undefined && nbf > now + tol) {
    throw new GatehouseError('TOKEN_NOT_YET_VALID', 'The token is not yet valid', { claim: 'nbf' });
  }
  if (iat !== undefined && iat > now + tol)
    throw claimError('iat', 'in_future', 'The token was issued in the future');
  if (c.maxTokenAge !== undefined) {
    if (iat === undefined) throw claimError('iat', 'missing', 'The "iat" claim is required (maxTokenAge)');
    if (now - iat - tol > c.maxTokenAge)
      throw new GatehouseError('TOKEN_TOO_OLD', 'The token is too old', { claim: 'iat' });
  }
  const iss = stringClaim(payload, 'iss');
  const sub = stringClaim(payload, 'sub');
  stringClaim(payload, 'jti');
  const aud = payload.aud;
  if (aud !== undefined && typeof aud !== 'string') {
    if (!Array.isArray(aud) || !allStrings(aud)) {
      throw claimError('aud', 'not_a_string', 'The "aud" claim must be a string or an array of strings');
    }
  }
  if (c.issuers !== undefined) {
    if (iss === undefined) throw claimError('iss', 'missing', 'The "iss" claim is missing');
    if (!accepts(c.issuers, iss))
      throw claimError('iss', 'mismatch', 'The "iss" claim is not an accepted issuer');
  }
  if (c.audiences !== undefined) {
    if (aud === undefined) throw claimError('aud', 'missing', 'The "aud" claim is missing');
    const ok =
      typeof aud === 'string' ? accepts(c.audiences, aud) : aud.some((a) => accepts(c.audiences!, a));
    if (!ok) throw claimError('aud', 'mismatch', 'The "aud" claim holds no accepted audience');
  }
  if (c.subject !== undefined) {
    if (sub === undefined) throw claimError('sub', 'missing', 'The "sub" claim is missing');
    if (sub !== c.subject) throw claimError('sub', 'mismatch', 'The "sub" claim is not the expected subject');
  }
  for (const claim of c.required) {
    // Own properties only: `toString` is not a claim just because every object inherits one.
    if (!Object.hasOwn(payload, claim) || payload[claim] === undefined) {
      throw claimError(claim, 'missing', `The "${claim}" claim is missing`);
    }
  }
}

/**
 * @internal Conservative bounds `[validFrom, validUntil)` within which the verified-token
 * cache may serve an already validated payload: no tolerance is applied, so a cached result
 * never outlives `exp` (or `iat + maxTokenAge`) nor is served before `nbf`/`iat`.
 */
export function cacheBounds(
  payload: JwtPayload,
  c: PreparedClaims,
): { validFrom: number; validUntil: number } {
  const { exp, nbf, iat } = payload;
  let validUntil = exp ?? Number.POSITIVE_INFINITY;
  if (c.maxTokenAge !== undefined && iat !== undefined)
    validUntil = Math.min(validUntil, iat + c.maxTokenAge);
  const validFrom = Math.max(nbf ?? Number.NEGATIVE_INFINITY, iat ?? Number.NEGATIVE_INFINITY);
  return { validFrom, validUntil };
}
