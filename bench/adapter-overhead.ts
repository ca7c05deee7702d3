/**
 * `npm run bench:overhead`: the CPU cost Gatehouse's adapters add to one request, measured
 * in-process (no sockets), next to the whole cost of a no-auth request measured over HTTP.
 *
 * The HTTP targets of issue 3 for the repeated token ("keeps >= 95% of no-auth throughput in
 * Express, 90% in Fastify") amount to: adapter cost per request (cache hit) <= 5.3% (Express)
 * or 11.1% (Fastify) of the CPU cost of a no-auth request. This script measures the first
 * exactly; the second comes from a short HTTP run of the no-auth app in a child process. On a
 * busy machine this is much steadier than comparing two throughputs.
 *
 * Gatehouse runs with a revocation feed of 100,000 entries (a local feed), so every call also
 * checks the deny set, as in production.
 *
 * Rows (each awaited per call, CPU clock, interleaved rounds):
 *   express: reference `(req, res, next) => next()` vs `authenticate({ secret })` on a fake request
 *   fastify: reference `async () => undefined` vs the plugin's `app.authenticate` preHandler
 *
 *   --quick   fewer rounds;  --json  rows {framework, case, nsPerOp} on stdout;  --markdown
 */
import type { NextFunction, Request, Response } from 'express';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { startServer } from './http/child.js';
import { FEED_CLIENT_ID, FEED_CLIENT_SECRET, startLocalFeed } from './http/feed.js';
import { runLoad } from './http/load.js';
import { AUDIENCE, ISSUER, mintTokens } from './http/tokens.js';
import { formatMarkdown, formatTable, parseBenchArgs } from './lib/args.js';
import { type BenchCase, runGroup } from './lib/harness.js';
import { describeLoad, describeMachine, formatInt, formatNs } from './lib/machine.js';
import { markdownTargets } from './lib/markdown-targets.js';

type ExpressAdapter = typeof import('../packages/gatehouse/src/adapters/express.js');
type FastifyAdapter = typeof import('../packages/gatehouse/src/adapters/fastify.js');
const SRC = new URL('../packages/gatehouse/src/', import.meta.url);

const USAGE = 'usage: node --import tsx bench/adapter-overhead.ts [--quick] [--json] [--markdown]\n';
const args = parseBenchArgs(process.argv.slice(2), ['quick', 'json', 'markdown'], [], USAGE);
const quick = args.flags.has('quick');
const json = args.flags.has('json');
const out = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);
const KEEP = { express: 0.95, fastify: 0.9 } as const;

const closers: (() => unknown)[] = [];
const tokens = mintTokens('HS256', 1, Math.floor(Date.now() / 1000));
const secret = new Uint8Array(tokens.keys.secret!);
const authorization = `Bearer ${tokens.one}`;
// A revocation feed with 100,000 entries, as in the HTTP deny cells: the verifier checks the
// deny set on every request, cache hit or not, so the overhead includes that check.
const feed = await startLocalFeed(100_000, Math.floor(Date.now() / 1000));
const options = {
  secret,
  issuer: ISSUER,
  audience: AUDIENCE,
  revocation: { url: feed.url, clientId: FEED_CLIENT_ID, clientSecret: FEED_CLIENT_SECRET, interval: 1 },
};

/** Express: the middleware on a minimal request; resolves when it calls next(), rejects otherwise. */
async function expressCases(): Promise<BenchCase[]> {
  const adapter = (await import(new URL('adapters/express.ts', SRC).href)) as ExpressAdapter;
  const middleware = adapter.authenticate(options);
  await middleware.verifier.ready();
  closers.push(() => middleware.verifier.close());
  const res = {
    end: () => {
      throw new Error('gatehouse refused the benchmark token');
    },
    setHeader: () => undefined,
  } as unknown as Response;
  const call = (mw: (req: Request, res: Response, next: NextFunction) => unknown) => () =>
    new Promise<void>((resolve) => {
      const req = { headers: { authorization } } as unknown as Request;
      void mw(req, res, () => resolve());
    });
  const reference = (_req: Request, _res: Response, next: NextFunction) => next();
  await call(middleware)();
  return [
    { name: 'reference (next only)', fn: call(reference), async: true },
    { name: 'gatehouse authenticate (cache hit)', fn: call(middleware), async: true },
  ];
}

/** Fastify: the plugin's preHandler on a minimal request (it answers through `reply` only on failure). */
async function fastifyCases(): Promise<BenchCase[]> {
  const adapter = (await import(new URL('adapters/fastify.ts', SRC).href)) as FastifyAdapter;
  const app = Fastify({ logger: false });
  await app.register(adapter.gatehouse, options);
  await app.ready();
  await app.gatehouse.ready();
  closers.push(() => app.close());
  const reply = {} as FastifyReply;
  const hook = app.authenticate;
  const call = (h: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => async () => {
    const request = { headers: { authorization } } as unknown as FastifyRequest;
    const answered = await h(request, reply);
    if (answered !== undefined || request.auth === undefined) throw new Error('gatehouse refused the token');
  };
  const reference = async (request: FastifyRequest) => {
    request.auth = undefined;
    return undefined;
  };
  await call(hook)();
  return [
    {
      name: 'reference (empty async hook)',
      fn: async () => {
        await reference({ headers: { authorization } } as unknown as FastifyRequest);
      },
      async: true,
    },
    { name: 'gatehouse preHandler (cache hit)', fn: call(hook), async: true },
  ];
}

/** CPU seconds per no-auth request of the same app, from a short HTTP run (server in a child). */
async function noAuthCpuPerRequest(framework: 'express' | 'fastify'): Promise<number> {
  const server = await startServer({
    framework,
    auth: 'none',
    alg: 'HS256',
    kid: tokens.keys.kid,
    deny: 0,
    issuer: ISSUER,
    audience: AUDIENCE,
  });
  try {
    const cursor = { tokens: [tokens.one], next: 0 };
    await runLoad(server.port, cursor, 1, 10);
    const samples: number[] = [];
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      server.cpuStart();
      const load = await runLoad(server.port, cursor, 2, 10);
      const { utilisation } = await server.cpuStop();
      samples.push((utilisation * 2) / load.total);
    }
    return samples.sort((a, b) => a - b)[samples.length >> 1]!;
  } finally {
    await server.stop();
  }
}

const machine = describeMachine();
process.stderr.write(`bench:overhead on ${machine}; ${describeLoad()}\n`);
const harness = {
  clock: 'cpu' as const,
  rounds: quick ? 5 : 15,
  warmupRounds: quick ? 1 : 3,
  batchMs: quick ? 10 : 25,
};
const rows: { framework: string; case: string; nsPerOp: number }[] = [];
const targets: { pass: boolean; label: string; detail: string }[] = [];
for (const framework of ['express', 'fastify'] as const) {
  const cases = framework === 'express' ? await expressCases() : await fastifyCases();
  const [ref, gh] = await runGroup(cases, harness);
  const overhead = Math.max(0, gh!.nsPerOp - ref!.nsPerOp);
  const requestNs = (await noAuthCpuPerRequest(framework)) * 1e9;
  rows.push(
    { framework, case: ref!.name, nsPerOp: Math.round(ref!.nsPerOp) },
    { framework, case: gh!.name, nsPerOp: Math.round(gh!.nsPerOp) },
    { framework, case: 'no-auth request over HTTP (server CPU)', nsPerOp: Math.round(requestNs) },
  );
  const keep = requestNs / (requestNs + overhead);
  targets.push({
    pass: keep >= KEEP[framework],
    label: `${framework}: predicted share of no-auth throughput with the repeated token >= ${KEEP[framework] * 100}%`,
    detail: `${(keep * 100).toFixed(1)}% (adds ${formatNs(overhead)} to a ${formatNs(requestNs)} request)`,
  });
}
const header = ['framework', 'case', 'CPU time/op'];
const cells = rows.map((r) => [r.framework, r.case, formatNs(r.nsPerOp)]);
out('');
out(formatTable(header, cells));
out('');
for (const t of targets) out(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.label}: ${t.detail}`);
if (args.flags.has('markdown')) {
  out('');
  out(`Machine: ${machine}; ${describeLoad()} at the end. Clock: cpu; ${formatInt(harness.rounds)} rounds.`);
  out('');
  out(formatMarkdown(header, cells));
  out('');
  out(markdownTargets(targets));
}
if (json) process.stdout.write(`${JSON.stringify(rows, null, 1)}\n`);
for (const close of closers) await close();
await feed.close();
