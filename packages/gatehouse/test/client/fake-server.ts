/**
 * An in-process stand-in for the auth server's contract (CONTRACT.md section 2), used as the
 * client's injected `fetch` where tests must force races and timings. It implements rotation
 * with a reuse grace period, reuse detection revoking the session, session ends, logout,
 * logout-all, /auth/me, sessions, and a Bearer-protected resource on another origin. Its clock
 * is separate from the client's, so clock skew can be simulated. Tokens are unsigned JWS-shaped
 * strings: the client never verifies signatures (resource servers do).
 */
export const AUTH = 'http://auth.test';
export const API = 'http://api.test';

interface Session {
  id: string;
  userId: string;
  refresh: string;
  previous?: { token: string; rotatedAt: number };
  endsAt: number;
  revoked: boolean;
}

export interface FakeServerOptions {
  /** Server clock (ms). */
  now: () => number;
  accessTtl?: number;
  sessionTtl?: number;
  graceSeconds?: number;
  cookieOnly?: boolean;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function problem(status: number, code: string): Response {
  return new Response(
    JSON.stringify({ type: `https://gatehouse.dev/errors#${code}`, title: code, status, code, detail: code }),
    {
      status,
      headers: { 'content-type': 'application/problem+json' },
    },
  );
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

export interface Call {
  method: string;
  url: string;
  path: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  body: string;
}

/** The fake server; `fetch` is what the client gets. */
export function createFakeServer(options: FakeServerOptions) {
  const accessTtl = options.accessTtl ?? 60;
  const sessionTtl = options.sessionTtl ?? 3600;
  const grace = (options.graceSeconds ?? 10) * 1000;
  const sessions = new Map<string, Session>();
  const revokedAccess = new Set<string>();
  const calls: Call[] = [];
  let counter = 0;
  let cookie: string | undefined;
  /** Hooks for tests: delay /auth/token, or force a resource answer. */
  const hooks: {
    tokenDelay?: Promise<void>;
    tokenAnswer?: () => Response | undefined;
    resource?: () => Response;
  } = {};

  const sec = () => Math.floor(options.now() / 1000);
  const accessFor = (s: Session) => {
    const iat = sec();
    const payload = {
      iss: AUTH,
      sub: s.userId,
      sid: s.id,
      iat,
      exp: iat + accessTtl,
      jti: `j${++counter}`,
      username: 'alice',
      roles: ['user'],
    };
    return `${b64({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })}.${b64(payload)}.c2ln`;
  };
  const pairFor = (s: Session) => {
    const pair: Record<string, unknown> = {
      access_token: accessFor(s),
      token_type: 'Bearer',
      expires_in: accessTtl,
      refresh_expires_in: Math.max(0, Math.floor((s.endsAt - options.now()) / 1000)),
      session_id: s.id,
    };
    cookie = s.refresh;
    if (!options.cookieOnly) pair.refresh_token = s.refresh;
    return json(200, pair);
  };
  const claimsOf = (headers: Headers): { sub: string; sid: string; exp: number; raw: string } | undefined => {
    const auth = headers.get('authorization') ?? '';
    const m = /^Bearer (.+)$/.exec(auth);
    if (!m?.[1]) return undefined;
    const parts = m[1].split('.');
    if (parts.length !== 3) return undefined;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString());
    const s = sessions.get(claims.sid);
    if (claims.exp <= sec() || !s || s.revoked || revokedAccess.has(m[1])) return undefined;
    return { ...claims, raw: m[1] };
  };
  const findByRefresh = (token: string) => {
    for (const s of sessions.values()) {
      if (s.refresh === token) return { s, kind: 'current' as const };
      if (s.previous?.token === token) return { s, kind: 'previous' as const };
    }
    return undefined;
  };

  async function handle(call: Call): Promise<Response> {
    const { method, path, headers } = call;
    const body = call.body === '' ? undefined : JSON.parse(call.body);
    if (call.url.startsWith(API)) {
      if (!claimsOf(headers))
        return new Response('', {
          status: 401,
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        });
      return hooks.resource?.() ?? json(200, { ok: true });
    }
    if (method === 'POST' && path === '/auth/register') {
      if (body.username === 'taken') return problem(409, 'USERNAME_TAKEN');
      return json(201, {
        id: 'u1',
        username: body.username,
        roles: ['user'],
        createdAt: new Date(0).toISOString(),
      });
    }
    if (method === 'POST' && path === '/auth/login') {
      if (body.password !== 'correct horse') return problem(401, 'INVALID_CREDENTIALS');
      const s: Session = {
        id: `s${++counter}`,
        userId: 'u1',
        refresh: `ghr_${++counter}`,
        endsAt: options.now() + sessionTtl * 1000,
        revoked: false,
      };
      sessions.set(s.id, s);
      return pairFor(s);
    }
    if (method === 'POST' && path === '/auth/token') {
      await hooks.tokenDelay;
      const forced = hooks.tokenAnswer?.();
      if (forced) return forced;
      let presented: string | undefined = body?.refresh_token;
      if (presented === undefined) {
        if (headers.get('gatehouse-csrf') !== '1') return problem(403, 'CSRF_REJECTED');
        presented = cookie;
      }
      const found = presented === undefined ? undefined : findByRefresh(presented);
      if (!found || found.s.revoked || found.s.endsAt <= options.now())
        return problem(401, 'INVALID_REFRESH_TOKEN');
      const { s } = found;
      if (found.kind === 'previous' && options.now() - s.previous!.rotatedAt > grace) {
        s.revoked = true;
        return problem(401, 'REFRESH_TOKEN_REUSED');
      }
      s.previous = { token: s.refresh, rotatedAt: options.now() };
      s.refresh = `ghr_${++counter}`;
      return pairFor(s);
    }
    if (method === 'POST' && path === '/auth/logout') {
      let presented: string | undefined = body?.refresh_token;
      if (presented === undefined && headers.get('gatehouse-csrf') === '1') presented = cookie;
      const found = presented === undefined ? undefined : findByRefresh(presented);
      if (found) found.s.revoked = true;
      cookie = undefined;
      return new Response(null, { status: 204 });
    }
    const claims = claimsOf(headers);
    if (!claims) return problem(401, 'UNAUTHORIZED');
    if (method === 'POST' && path === '/auth/logout-all') {
      for (const s of sessions.values()) if (s.userId === claims.sub) s.revoked = true;
      return new Response(null, { status: 204 });
    }
    if (method === 'GET' && path === '/auth/me')
      return json(200, { id: claims.sub, username: 'alice', roles: ['user'], sessionId: claims.sid });
    if (method === 'GET' && path === '/auth/sessions') {
      return json(
        200,
        [...sessions.values()]
          .filter((s) => !s.revoked)
          .map((s) => ({ id: s.id, current: s.id === claims.sid })),
      );
    }
    const del = /^\/auth\/sessions\/(.+)$/.exec(path);
    if (method === 'DELETE' && del) {
      const s = sessions.get(decodeURIComponent(del[1]!));
      if (!s || s.userId !== claims.sub) return problem(404, 'NOT_FOUND');
      s.revoked = true;
      return new Response(null, { status: 204 });
    }
    return problem(404, 'NOT_FOUND');
  }

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? new Request(input, init) : new Request(String(input), init);
    const url = new URL(request.url);
    const call: Call = {
      method: request.method,
      url: request.url,
      path: url.pathname,
      headers: request.headers,
      credentials: init?.credentials ?? (input instanceof Request ? input.credentials : undefined),
      body: await request.text(),
    };
    calls.push(call);
    return handle(call);
  };

  return {
    fetch: fetchImpl as typeof fetch,
    calls,
    sessions,
    hooks,
    count: (path: string) => calls.filter((c) => c.path === path).length,
    revoke: (sessionId: string) => {
      const s = sessions.get(sessionId);
      if (s) s.revoked = true;
    },
    /** Revokes one access token only (as after a key revocation), keeping the session alive. */
    revokeAccess: (token: string) => revokedAccess.add(token),
  };
}

/** A mutable clock in epoch ms. */
export function manualClock(start = Date.UTC(2030, 0, 1)) {
  const c = { now: start, tick: (ms: number) => (c.now += ms), read: () => c.now };
  return c;
}
