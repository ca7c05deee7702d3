/**
 * `npm run bench:propagation`: how long a revocation takes to reach the resource servers (issue
 * 5's closing figure). The real system on 127.0.0.1: the auth server (SQLite), an Express
 * resource server following the feed with long-polling (`wait: 20`) and a Fastify one with
 * plain polling every second (the verifier's default), as in the end-to-end test.
 *
 * Each round logs a user in, checks that both servers accept the access token, ends the
 * session (`POST /auth/logout`) and then asks each server every 5 ms until it refuses the
 * token. Propagation = time from sending the logout to the first refusal, per server.
 *
 *   --count N    revocations measured (default 50)
 *   --json       rows {server, feed, count, medianMs, p90Ms, worstMs} on stdout
 *   --check      exit with status 1 when a worst case exceeds 2 s (CONTRACT.md section 3)
 */
import { register, signIn, startStack } from '../packages/gatehouse-server/test/e2e/stack.js';
import { call } from '../packages/gatehouse-server/test/http/helpers.js';
import { formatTable, numberOption, parseBenchArgs } from './lib/args.js';
import { median } from './lib/harness.js';
import { describeLoad, describeMachine } from './lib/machine.js';

const USAGE = 'usage: node --import tsx bench/propagation.ts [--count N] [--json] [--check]\n';
const args = parseBenchArgs(process.argv.slice(2), ['json', 'check'], ['count'], USAGE);
const count = Math.round(numberOption(args, 'count', 50));
const json = args.flags.has('json');
const out = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);
const LIMIT_MS = 2000;
const POLL_MS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/whoami`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

/** Resolves to ms from `since` until `url` refuses `token`; rejects after 10 s. */
async function refusalTime(url: string, token: string, since: number): Promise<number> {
  for (;;) {
    if ((await status(url, token)) === 401) return performance.now() - since;
    if (performance.now() - since > 10_000)
      throw new Error(`${url} still accepts a revoked token after 10 s`);
    await sleep(POLL_MS);
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const stack = await startStack({ env: { GATEHOUSE_COOKIE_MODE: 'off' } });
const feeds = { express: 'long-poll (wait 20 s)', fastify: 'polling every 1 s' } as const;
const samples: Record<'express' | 'fastify' | 'both', number[]> = { express: [], fastify: [], both: [] };
try {
  out(`machine: ${describeMachine()}; ${describeLoad()}`);
  out(`${count} revocations (logout), each timed until refused by both resource servers`);
  await register(stack, 'bench-user');
  for (let i = 0; i < count; i++) {
    const pair = await signIn(stack, 'bench-user');
    const before = await Promise.all(stack.rs.map((r) => status(r.url, pair.access_token)));
    if (before.some((s) => s !== 200)) throw new Error(`a fresh token was refused: ${before.join(',')}`);
    // Random phase against the 1 s polling loop, as revocations arrive at any moment.
    await sleep(Math.random() * 1000);
    const t0 = performance.now();
    const res = await call(stack.auth.server, 'POST', '/auth/logout', {
      body: { refresh_token: pair.refresh_token },
    });
    if (res.statusCode !== 204) throw new Error(`logout failed: ${res.statusCode}`);
    const times = await Promise.all(stack.rs.map((r) => refusalTime(r.url, pair.access_token, t0)));
    samples.express.push(times[0]!);
    samples.fastify.push(times[1]!);
    samples.both.push(Math.max(...times));
  }
} finally {
  await stack.close();
}

const rows = (['express', 'fastify', 'both'] as const).map((server) => ({
  server,
  feed: server === 'both' ? 'slowest of the two' : feeds[server],
  count: samples[server].length,
  medianMs: Math.round(median(samples[server]) * 10) / 10,
  p90Ms: Math.round(percentile(samples[server], 90) * 10) / 10,
  worstMs: Math.round(Math.max(...samples[server]) * 10) / 10,
}));
if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
out(
  formatTable(
    ['server', 'feed', 'revocations', 'median', 'p90', 'worst'],
    rows.map((r) => [
      r.server,
      r.feed,
      String(r.count),
      `${r.medianMs} ms`,
      `${r.p90Ms} ms`,
      `${r.worstMs} ms`,
    ]),
  ),
);
if (args.flags.has('check') && rows.some((r) => r.worstMs > LIMIT_MS)) {
  out(`FAIL: a revocation took more than ${LIMIT_MS} ms to propagate`);
  process.exitCode = 1;
}
