/**
 * CONTRACT.md section 3 as a table, run against every adapter. Each adapter test mounts the
 * same routes and supplies a `request(path, headers)` function.
 *
 *   GET /articles   authenticate                        → 200 { sub }
 *   GET /admin      authenticate + requireRole('admin')
 *   GET /write      authenticate + requireScope('articles:write')
 *   GET /optional   credentialsRequired: false          → 200 { sub | null }
 *   GET /cookie     token from the `access_token` cookie
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { base64urlEncode, generateKey, type Key, signJwt } from '../../src/index.js';
import { createVerifier, type Verifier } from '../../src/verifier/create-verifier.js';
import { type AuthServer, startAuthServer } from '../verifier/helpers.js';

export const REALM = 'articles';
export const AUDIENCE = 'articles-api';

export interface SimpleResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}
export type Requester = (path: string, headers: Record<string, string>) => Promise<SimpleResponse>;

export interface Fixture {
  server: AuthServer;
  verifier: Verifier;
  key: Key;
  token(claims?: Record<string, unknown>, options?: { key?: Key; typ?: string; now?: number }): string;
  close(): Promise<void>;
}

export async function createFixture(): Promise<Fixture> {
  const key = generateKey('ES256', { kid: 'k1' });
  const server = await startAuthServer({ keys: [key] });
  const now = Math.floor(Date.now() / 1000);
  server.revoke({ kind: 'jti', value: 'revoked-jti', notBefore: null, expiresAt: now + 900 });
  const verifier = createVerifier({
    issuer: server.issuer,
    audience: AUDIENCE,
    revocation: { clientId: server.clientId, clientSecret: server.clientSecret, autoStart: false },
  });
  await verifier.ready();
  let n = 0;
  return {
    server,
    verifier,
    key,
    token(claims = {}, options = {}) {
      n += 1;
      return signJwt(
        {
          iss: server.issuer,
          aud: AUDIENCE,
          sub: 'alice',
          jti: `jti-${n}`,
          roles: ['user'],
          scope: 'articles:read',
          ...claims,
        },
        options.key ?? key,
        { typ: options.typ ?? 'at+jwt', now: options.now ?? now, expiresIn: 900 },
      );
    },
    async close() {
      verifier.close();
      await server.close();
    },
  };
}

interface Row {
  name: string;
  path: string;
  headers: (f: Fixture) => Record<string, string>;
  status: number;
  /** Expected `error` of the challenge; null: bare `Bearer realm` challenge; undefined: no challenge. */
  error?: 'invalid_token' | 'insufficient_scope' | null;
  code?: string;
  sub?: string | null;
  scope?: string;
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

function unsigned(f: Fixture): string {
  const good = f.token();
  const [, payload] = good.split('.');
  return `${base64urlEncode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'k1' }))}.${payload}.`;
}

export const ROWS: Row[] = [
  {
    name: 'no token',
    path: '/articles',
    headers: () => ({}),
    status: 401,
    error: null,
    code: 'TOKEN_MISSING',
  },
  {
    name: 'Basic scheme (not a bearer token)',
    path: '/articles',
    headers: () => ({ authorization: 'Basic dXNlcjpwYXNz' }),
    status: 401,
    error: null,
    code: 'TOKEN_MISSING',
  },
  {
    name: '"Bearer" with no token',
    path: '/articles',
    headers: () => ({ authorization: 'Bearer' }),
    status: 401,
    error: 'invalid_token',
    code: 'TOKEN_MALFORMED',
  },
  {
    name: 'two tokens',
    path: '/articles',
    headers: (f) => ({ authorization: `Bearer ${f.token()} ${f.token()}` }),
    status: 401,
    error: 'invalid_token',
    code: 'TOKEN_MALFORMED',
  },
  {
    name: 'malformed token',
    path: '/articles',
    headers: () => bearer('abc.def'),
    status: 401,
    error: 'invalid_token',
    code: 'TOKEN_MALFORMED',
  },
  {
    name: 'empty signature segment',
    path: '/articles',
    headers: (f) => bearer(`${f.token().split('.').slice(0, 2).join('.')}.`),
    status: 401,
    error: 'invalid_token',
  },
  {
    name: 'bad signature',
    path: '/articles',
    headers: (f) => bearer(f.token({}, { key: generateKey('ES256', { kid: 'k1' }) })),
    status: 401,
    error: 'invalid_token',
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'alg none',
    path: '/articles',
    headers: (f) => bearer(unsigned(f)),
    status: 401,
    error: 'invalid_token',
    code: 'ALG_NOT_ALLOWED',
  },
  {
    name: 'unknown kid',
    path: '/articles',
    headers: (f) => bearer(f.token({}, { key: generateKey('ES256', { kid: 'nope' }) })),
    status: 401,
    error: 'invalid_token',
    code: 'KEY_UNKNOWN',
  },
  {
    name: 'expired',
    path: '/articles',
    headers: (f) => bearer(f.token({}, { now: Math.floor(Date.now() / 1000) - 1000 })),
    status: 401,
    error: 'invalid_token',
    code: 'TOKEN_EXPIRED',
  },
  {
    name: 'not yet valid (nbf)',
    path: '/articles',
    headers: (f) => bearer(f.token({ nbf: Math.floor(Date.now() / 1000) + 600 })),
    status: 401,
    error: 'invalid_token',
    code: 'TOKEN_NOT_YET_VALID',
  },
  {
    name: 'wrong issuer',
    path: '/articles',
    headers: (f) => bearer(f.token({ iss: 'http://evil.example' })),
    status: 401,
    error: 'invalid_token',
    code: 'CLAIM_INVALID',
  },
  {
    name: 'wrong audience',
    path: '/articles',
    headers: (f) => bearer(f.token({ aud: 'another-api' })),
    status: 401,
    error: 'invalid_token',
    code: 'CLAIM_INVALID',
  },
  {
    name: 'wrong type (JWT, not at+jwt)',
    path: '/articles',
    headers: (f) => bearer(f.token({}, { typ: 'JWT' })),
    status: 401,
    error: 'invalid_token',
    code: 'TOKEN_TYPE_INVALID',
  },
  {
    name: 'revoked',
    path: '/articles',
    headers: (f) => bearer(f.token({ jti: 'revoked-jti' })),
    status: 401,
    error: 'invalid_token',
    code: 'TOKEN_REVOKED',
  },
  { name: 'valid token', path: '/articles', headers: (f) => bearer(f.token()), status: 200, sub: 'alice' },
  {
    name: 'valid token, lower-case scheme',
    path: '/articles',
    headers: (f) => ({ authorization: `bearer ${f.token()}` }),
    status: 200,
    sub: 'alice',
  },
  {
    name: 'role missing',
    path: '/admin',
    headers: (f) => bearer(f.token()),
    status: 403,
    error: 'insufficient_scope',
    code: 'INSUFFICIENT_SCOPE',
  },
  {
    name: 'role present',
    path: '/admin',
    headers: (f) => bearer(f.token({ sub: 'root', roles: ['user', 'admin'] })),
    status: 200,
    sub: 'root',
  },
  {
    name: 'guarded route without token',
    path: '/admin',
    headers: () => ({}),
    status: 401,
    error: null,
    code: 'TOKEN_MISSING',
  },
  {
    name: 'scope missing',
    path: '/write',
    headers: (f) => bearer(f.token()),
    status: 403,
    error: 'insufficient_scope',
    code: 'INSUFFICIENT_SCOPE',
    scope: 'articles:write',
  },
  {
    name: 'scope present (scp array)',
    path: '/write',
    headers: (f) => bearer(f.token({ scope: undefined, scp: ['articles:write'] })),
    status: 200,
    sub: 'alice',
  },
  { name: 'optional auth, no token', path: '/optional', headers: () => ({}), status: 200, sub: null },
  {
    name: 'optional auth, valid token',
    path: '/optional',
    headers: (f) => bearer(f.token()),
    status: 200,
    sub: 'alice',
  },
  {
    name: 'optional auth, bad token is still refused',
    path: '/optional',
    headers: (f) => bearer(f.token({ aud: 'x' })),
    status: 401,
    error: 'invalid_token',
  },
  {
    name: 'token from a cookie',
    path: '/cookie',
    headers: (f) => ({ cookie: `theme=dark; access_token=${f.token()}` }),
    status: 200,
    sub: 'alice',
  },
  {
    name: 'bad token in a cookie',
    path: '/cookie',
    headers: (f) => ({ cookie: `access_token=${f.token({}, { typ: 'JWT' })}` }),
    status: 401,
    error: 'invalid_token',
  },
  { name: 'no cookie', path: '/cookie', headers: () => ({ cookie: 'theme=dark' }), status: 401, error: null },
];

/** Asserts one response against the contract. */
export function checkResponse(row: Row, res: SimpleResponse, sent: Record<string, string>): void {
  assert.equal(res.status, row.status, `status (body: ${res.body})`);
  const challenge = res.headers['www-authenticate'];
  if (row.status === 200) {
    assert.equal(challenge, undefined);
    assert.deepEqual(JSON.parse(res.body), { sub: row.sub });
    return;
  }
  assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  for (const k of ['type', 'title', 'status', 'code', 'detail']) assert.ok(k in body, `problem field ${k}`);
  assert.equal(body.status, row.status);
  if (row.code !== undefined) assert.equal(body.code, row.code);
  assert.ok(challenge !== undefined, 'WWW-Authenticate present');
  if (row.error === null) assert.equal(challenge, `Bearer realm="${REALM}"`);
  else {
    assert.ok(
      challenge.startsWith(`Bearer realm="${REALM}", error="${row.error}", error_description="`),
      challenge,
    );
  }
  if (row.scope !== undefined) assert.ok(challenge.endsWith(`, scope="${row.scope}"`), challenge);
  // Security: the token never comes back in a header or body.
  const token = /([A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]*)/.exec(
    sent.authorization ?? sent.cookie ?? '',
  )?.[1];
  if (token !== undefined) {
    assert.ok(!res.body.includes(token) && !challenge.includes(token), 'token echoed');
  }
}

/** Registers one `it` per contract row. */
export function contractTests(getFixture: () => Fixture, request: () => Requester): void {
  for (const row of ROWS) {
    it(`${row.path}: ${row.name} → ${row.status}${row.error ? ` ${row.error}` : ''}`, async () => {
      const headers = row.headers(getFixture());
      checkResponse(row, await request()(row.path, headers), headers);
    });
  }
}
