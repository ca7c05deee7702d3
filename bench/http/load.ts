/** Load generation (autocannon, in this process) and the pre-flight checks of every cell. */
import autocannon from 'autocannon';

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** Where a cell's token ring stands: carried from one load run to the next, so a ring never restarts. */
export interface TokenCursor {
  tokens: readonly string[];
  next: number;
}

/**
 * Runs autocannon against `GET /articles`, the `Authorization` header cycling through the
 * cursor's tokens (one token: the repeated mix; 10,000: the ring), continuing where the last run
 * of the same cell stopped (restarting would re-send tokens the warm-up just cached). Every mix
 * goes through `setupRequest`, so the load generator does the same work in every cell.
 */
export async function runLoad(
  port: number,
  cursor: TokenCursor,
  durationSec: number,
  connections: number,
): Promise<LoadResult> {
  const headers = cursor.tokens.map((t) => ({ authorization: `Bearer ${t}` }));
  let next = cursor.next % headers.length;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    pipelining: 1,
    duration: durationSec,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        path: '/articles',
        setupRequest: (req) => {
          req.headers = headers[next]!;
          next = next + 1 === headers.length ? 0 : next + 1;
          return req;
        },
      },
    ],
  });
  cursor.next = next;
  return {
    reqPerSec: result.requests.total / durationSec,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function status(port: number, token: string | undefined): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/articles`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: await res.text() };
}

/** Flips one character of the signature segment (still valid base64url). */
export function tamper(token: string): string {
  const i = token.length - 5;
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

/**
 * Checks that the cell is what it claims before it is timed: valid tokens get the articles, and
 * for auth cells a missing, tampered or (deny cells) revoked token gets 401. Returns a problem.
 */
export async function preflight(
  port: number,
  valid: readonly string[],
  auth: boolean,
  revoked: string | undefined,
): Promise<string | undefined> {
  for (const token of [valid[0]!, valid[valid.length - 1]!]) {
    const ok = await status(port, token);
    if (ok.status !== 200) return `valid token answered ${ok.status}`;
    if (!Array.isArray(JSON.parse(ok.body))) return 'valid token did not get the articles';
  }
  if (!auth) return undefined;
  const missing = await status(port, undefined);
  if (missing.status !== 401) return `no token answered ${missing.status}`;
  const bad = await status(port, tamper(valid[0]!));
  if (bad.status !== 401) return `tampered token answered ${bad.status}`;
  if (revoked !== undefined) {
    const denied = await status(port, revoked);
    if (denied.status !== 401) return `revoked token answered ${denied.status}`;
  }
  return undefined;
}
