/**
 * One error type for all of Gatehouse, with a stable upper-case `code` as the discriminant.
 *
 * The catalogue below is data: `docs/errors.md` is checked against it by a test, and every
 * code named in the public contract must appear here. Messages never contain a token, key,
 * secret or password: carry structured fields (`claim`, `reason`) instead.
 *
 * @example
 * ```ts
 * try { verifyJwt(token, key, { algorithms: ['ES256'] }); }
 * catch (err) {
 *   if (isGatehouseError(err) && err.code === 'TOKEN_EXPIRED') { ... }
 * }
 * ```
 */
export const ERRORS = {
  // --- token core -------------------------------------------------------------------------
  TOKEN_MALFORMED: { status: 401, title: 'Malformed token' },
  TOKEN_TOO_LARGE: { status: 401, title: 'Token too large' },
  TOKEN_EXPIRED: { status: 401, title: 'Token expired' },
  TOKEN_NOT_YET_VALID: { status: 401, title: 'Token not yet valid' },
  TOKEN_TOO_OLD: { status: 401, title: 'Token too old' },
  TOKEN_TYPE_INVALID: { status: 401, title: 'Wrong token type' },
  SIGNATURE_INVALID: { status: 401, title: 'Invalid signature' },
  ALG_NOT_ALLOWED: { status: 401, title: 'Algorithm not allowed' },
  HEADER_UNSUPPORTED: { status: 401, title: 'Unsupported header parameter' },
  CLAIM_INVALID: { status: 401, title: 'Invalid claim' },
  KEY_UNKNOWN: { status: 401, title: 'Unknown key' },
  KEY_INVALID: { status: 400, title: 'Invalid key' },
  DURATION_INVALID: { status: 400, title: 'Invalid duration' },
  OPTION_INVALID: { status: 500, title: 'Invalid option' },
  // --- resource-server verifier -----------------------------------------------------------
  TOKEN_MISSING: { status: 401, title: 'No token' },
  TOKEN_REVOKED: { status: 401, title: 'Token revoked' },
  JWKS_UNAVAILABLE: { status: 503, title: 'Signing keys unavailable' },
  REVOCATION_STALE: { status: 503, title: 'Revocation state too old' },
  INSUFFICIENT_SCOPE: { status: 403, title: 'Insufficient scope' },
  // --- auth server --------------------------------------------------------------------------
  VALIDATION_FAILED: { status: 400, title: 'Validation failed' },
  USERNAME_TAKEN: { status: 409, title: 'Username taken' },
  REGISTRATION_CLOSED: { status: 403, title: 'Registration closed' },
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid credentials' },
  ACCOUNT_LOCKED: { status: 403, title: 'Account locked' },
  TOO_MANY_ATTEMPTS: { status: 429, title: 'Too many attempts' },
  INVALID_REFRESH_TOKEN: { status: 401, title: 'Invalid refresh token' },
  REFRESH_TOKEN_REUSED: { status: 401, title: 'Refresh token reused' },
  UNAUTHORIZED: { status: 401, title: 'Authentication required' },
  INVALID_CLIENT: { status: 401, title: 'Invalid client credentials' },
  CSRF_REJECTED: { status: 403, title: 'Cross-site request rejected' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

/** Every stable error code. */
export type GatehouseErrorCode = keyof typeof ERRORS;

/** The codes as a value map, for `switch` statements and autocompletion. */
export const CODES = Object.freeze(
  Object.fromEntries(Object.keys(ERRORS).map((k) => [k, k])) as { [K in GatehouseErrorCode]: K },
);

export interface GatehouseErrorOptions {
  /** The claim or header parameter at fault (`exp`, `aud`, `typ`, `crit`...). */
  claim?: string;
  /** A short machine-readable reason (`missing`, `mismatch`, `not_a_number`...). */
  reason?: string;
  /** Seconds after which a retry may succeed (429/503). */
  retryAfter?: number;
  /** The underlying error; never shown to clients. */
  cause?: unknown;
}

/** The one error type of Gatehouse. `code` is stable; `message` is for humans. */
export class GatehouseError extends Error {
  override readonly name = 'GatehouseError';
  readonly code: GatehouseErrorCode;
  readonly status: number;
  readonly claim?: string;
  readonly reason?: string;
  readonly retryAfter?: number;

  constructor(code: GatehouseErrorCode, message?: string, options: GatehouseErrorOptions = {}) {
    super(message ?? ERRORS[code].title, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERRORS[code].status;
    if (options.claim !== undefined) this.claim = options.claim;
    if (options.reason !== undefined) this.reason = options.reason;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }
}

/** Narrowing guard that also works across duplicated package copies (checks the shape). */
export function isGatehouseError(err: unknown): err is GatehouseError {
  return (
    err instanceof GatehouseError ||
    (err instanceof Error &&
      err.name === 'GatehouseError' &&
      typeof (err as { code?: unknown }).code === 'string' &&
      Object.hasOwn(ERRORS, (err as unknown as { code: string }).code))
  );
}

/** RFC 9457 problem details, as every non-OAuth error of the auth server is sent. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: GatehouseErrorCode;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

/** Base URI of the problem `type` field; each code is documented at `${PROBLEM_TYPE_BASE}#CODE`. */
export const PROBLEM_TYPE_BASE = 'https://gatehouse.dev/errors';

/**
 * Maps any thrown value to a problem+json body. Unknown errors become `INTERNAL_ERROR`
 * with a generic detail: a stack trace or driver message never leaves the process.
 */
export function toProblem(err: unknown, instance?: string): Problem {
  const e = isGatehouseError(err)
    ? err
    : new GatehouseError('INTERNAL_ERROR', 'An unexpected error occurred');
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}#${e.code}`,
    title: ERRORS[e.code].title,
    status: e.status,
    code: e.code,
    detail: e.message,
  };
  if (instance !== undefined) problem.instance = instance;
  if (e.claim !== undefined) problem.claim = e.claim;
  return problem;
}
