/**
 * JSON schemas of the HTTP API: request validation (every body and query closed with
 * `additionalProperties: false`) and response serialisation. They are also the source of
 * the OpenAPI document (`GET /openapi.json`, `docs/openapi.json`).
 *
 * Length caps here are coarse upper bounds that stop absurd inputs before any work is done
 * (a 10k-character username never reaches NFKC normalisation or argon2); the exact rules
 * (3-64 characters after NFKC, 8 characters to 1024 bytes) are the service's.
 */

/** Shared schemas, registered with `app.addSchema` and referenced as `Name#`. */
export const SHARED_SCHEMAS = [
  {
    $id: 'Problem',
    type: 'object',
    description: 'RFC 9457 problem details; `code` is stable.',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      code: { type: 'string', pattern: '^[A-Z][A-Z_]*$' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      claim: { type: 'string' },
    },
  },
  {
    $id: 'TokenPair',
    type: 'object',
    required: [
      'access_token',
      'token_type',
      'expires_in',
      'refresh_token',
      'refresh_expires_in',
      'session_id',
    ],
    properties: {
      access_token: { type: 'string', description: 'JWS with typ at+jwt (RFC 9068)' },
      token_type: { type: 'string', enum: ['Bearer'] },
      expires_in: { type: 'integer', description: 'Seconds' },
      refresh_token: { type: 'string', description: 'Opaque, prefixed ghr_; rotates on every use' },
      refresh_expires_in: { type: 'integer', description: "Seconds until the session's absolute end" },
      session_id: { type: 'string' },
    },
  },
  {
    $id: 'User',
    type: 'object',
    required: ['id', 'username', 'roles', 'createdAt'],
    properties: {
      id: { type: 'string' },
      username: { type: 'string' },
      roles: { type: 'array', items: { type: 'string' } },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  {
    $id: 'Session',
    type: 'object',
    required: ['id', 'createdAt', 'lastUsedAt', 'expiresAt', 'userAgent', 'ip', 'current'],
    properties: {
      id: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      lastUsedAt: { type: 'string', format: 'date-time' },
      expiresAt: { type: 'string', format: 'date-time' },
      userAgent: { type: ['string', 'null'] },
      ip: { type: ['string', 'null'] },
      current: { type: 'boolean' },
    },
  },
] as const;

const problem = {
  description: 'Problem details (RFC 9457) with a stable `code`',
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
} as const;

/** Problem responses for the given status codes, for route `response` maps. */
export function problems(...statuses: number[]): Record<string, typeof problem> {
  return Object.fromEntries(statuses.map((s) => [String(s), problem]));
}

/** No query parameters at all: tokens and credentials are never read from the URL. */
export const NO_QUERY = { type: 'object', additionalProperties: false, properties: {} } as const;

const username = { type: 'string', minLength: 1, maxLength: 256 } as const;
const password = { type: 'string', minLength: 1, maxLength: 1024 } as const;
const refreshToken = { type: 'string', minLength: 1, maxLength: 512 } as const;

export const CREDENTIALS_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username, password },
} as const;

export const REFRESH_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['refresh_token'],
  properties: { refresh_token: refreshToken },
} as const;

export const PASSWORD_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['current_password', 'new_password'],
  properties: { current_password: password, new_password: password },
} as const;

export const SESSION_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

export const ME_RESPONSE = {
  type: 'object',
  required: ['id', 'username', 'roles', 'sessionId'],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    sessionId: { type: 'string' },
  },
} as const;

/** An empty success body (204). */
export const NO_CONTENT = { type: 'null', description: 'No content' } as const;

/** Security requirement of Bearer-protected routes, for the OpenAPI document. */
export const BEARER_SECURITY = [{ bearerAuth: [] as string[] }];
