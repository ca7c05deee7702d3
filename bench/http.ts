/**
 * `npm run bench:http`: `GET /articles` in Express 5 and Fastify 5, without auth, with Gatehouse,
 * with express-jwt / @fastify/jwt, and with Gatehouse plus a loaded deny set; autocannon on
 * 127.0.0.1 against servers in child processes. See docs/benchmarks.md.
 *
 * All servers of one framework are started (and warmed up) first; then each round measures
 * every cell once, the order rotating every round, so the cells compared by a target are
 * measured minutes apart at most and slow drift of a shared machine hits them alike. Ratios
 * are the median of per-round ratios.
 *
 *   --quick             HS256 and ES256 only, 2 s per measurement (about 2 minutes)
 *   --duration S        seconds per measurement (default 3); --warmup S once per server (default 1)
 *   --rounds N          measurements per cell (default 3; medians are reported)
 *   --connections N     concurrent connections, the same for every cell (default 10)
 *   --frameworks a,b    express,fastify;  --algs HS256,ES256,RS256,EdDSA;  --mixes repeated,ring
 *   --ring N            distinct tokens in the ring (default 10000); --deny N deny-set entries (default 100000)
 *   --json              one JSON array of rows {framework, variant, mix, reqPerSec, p50Ms, p99Ms, serverCpu,
 *                       capacity, cacheHitRate} on stdout (the table goes to stderr); capacity = req/s per
 *                       second of server CPU
 *   --markdown          also print markdown tables (for docs/benchmarks.md)
 *   --check             exit with status 1 when a target fails (default: always 0)
 */
import { type RunningServer, startServer } from './http/child.js';
import { preflight, runLoad, type TokenCursor } from './http/load.js';
import { type Cell, MIXES, planCells } from './http/plan.js';
import type { Framework, ServerConfig } from './http/protocol.js';
import { checkTargets, type HttpRow, type Sample, type TargetResult } from './http/targets.js';
import { type AlgTokens, AUDIENCE, ISSUER, mintTokens } from './http/tokens.js';
import { formatMarkdown, formatTable, listOption, numberOption, parseBenchArgs } from './lib/args.js';
import { median } from './lib/harness.js';
import { describeLoad, describeMachine, formatInt } from './lib/machine.js';
import { markdownTargets } from './lib/markdown-targets.js';
import type { BenchAlg } from './lib/raw-jws.js';

const USAGE = `usage: node --import tsx bench/http.ts [--quick] [--duration S] [--warmup S] [--rounds N] [--connections N]
       [--frameworks express,fastify] [--algs HS256,ES256,RS256,EdDSA] [--mixes repeated,ring]
       [--ring N] [--deny N] [--json] [--markdown] [--check]
`;
const FRAMEWORKS: readonly Framework[] = ['express', 'fastify'];
const ALGS: readonly BenchAlg[] = ['HS256', 'ES256', 'RS256', 'EdDSA'];

const args = parseBenchArgs(
  process.argv.slice(2),
  ['quick', 'json', 'markdown', 'check'],
  ['duration', 'warmup', 'connections', 'rounds', 'frameworks', 'algs', 'mixes', 'ring', 'deny'],
  USAGE,
);
const quick = args.flags.has('quick');
const duration = numberOption(args, 'duration', quick ? 2 : 3);
const warmup = numberOption(args, 'warmup', 1);
const rounds = Math.round(numberOption(args, 'rounds', 3));
const connections = Math.round(numberOption(args, 'connections', 10));
const frameworks = listOption(args, 'frameworks', FRAMEWORKS, FRAMEWORKS);
const algs = listOption(args, 'algs', ALGS, quick ? ['HS256', 'ES256'] : ALGS);
const mixes = listOption(args, 'mixes', MIXES, MIXES);
const ringSize = Math.round(numberOption(args, 'ring', 10_000));
const denyCount = Math.floor(Number(args.values.get('deny') ?? 100_000)) || 0;
const json = args.flags.has('json');
const out = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);
const progress = (s: string) => process.stderr.write(`${s}\n`);

const label = (c: Cell) => `${c.framework} / ${c.variant} / ${c.mix}`;

function serverConfig(cell: Cell, tokens: AlgTokens): ServerConfig {
  return {
    framework: cell.framework,
    auth: cell.auth,
    alg: cell.alg,
    kid: tokens.keys.kid,
    deny: cell.deny,
    issuer: ISSUER,
    audience: AUDIENCE,
    ...(cell.cacheMax === undefined ? {} : { cacheMax: cell.cacheMax }),
    ...(tokens.keys.secret ? { secret: tokens.keys.secret.toString('base64') } : {}),
    ...(tokens.keys.publicPem ? { publicPem: tokens.keys.publicPem } : {}),
  };
}

interface Live {
  cell: Cell;
  server: RunningServer;
  cursor: TokenCursor;
  samples: Sample[];
}

/** Starts a cell's server, checks it (pre-flight) and warms it up; returns a problem or the live cell. */
async function bringUp(cell: Cell, tokens: AlgTokens): Promise<Live | string> {
  let server: RunningServer;
  try {
    server = await startServer(serverConfig(cell, tokens));
  } catch (err) {
    return `server did not start: ${(err as Error).message}`;
  }
  const mixTokens = cell.mix === 'ring' ? tokens.ring : [tokens.one];
  const problem = await preflight(
    server.port,
    mixTokens,
    cell.auth !== 'none',
    cell.deny > 0 ? tokens.revoked : undefined,
  );
  if (problem) {
    await server.stop();
    return `pre-flight failed: ${problem}`;
  }
  // The warm-up also fills what can be filled (JIT, and the cache with the repeated token).
  const cursor: TokenCursor = { tokens: mixTokens, next: 0 };
  await runLoad(server.port, cursor, warmup, connections);
  return { cell, server, cursor, samples: [] };
}

/** One measurement of one live cell; returns a problem when the cell misbehaved under load. */
async function measure(live: Live): Promise<string | undefined> {
  live.server.cpuStart();
  const r = await runLoad(live.server.port, live.cursor, duration, connections);
  const { utilisation, cacheHitRate } = await live.server.cpuStop();
  if (r.non2xx > 0 || r.errors > 0) return `${r.non2xx} non-2xx responses and ${r.errors} errors under load`;
  live.samples.push({
    reqPerSec: r.reqPerSec,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    serverCpu: utilisation,
    capacity: r.reqPerSec / Math.max(utilisation, 0.01),
    cacheHitRate,
  });
  return undefined;
}

function toRow(live: Live): HttpRow {
  const { cell, samples } = live;
  const mid = (f: (s: Sample) => number) => median(samples.map(f));
  const rates = samples.map((s) => s.cacheHitRate).filter((r): r is number => r !== null);
  return {
    framework: cell.framework,
    variant: cell.variant,
    mix: cell.mix,
    reqPerSec: Math.round(mid((s) => s.reqPerSec)),
    p50Ms: mid((s) => s.p50Ms),
    p99Ms: mid((s) => s.p99Ms),
    serverCpu: Number(mid((s) => s.serverCpu).toFixed(2)),
    capacity: Math.round(mid((s) => s.capacity)),
    cacheHitRate: rates.length ? Number(median(rates).toFixed(3)) : null,
    auth: cell.auth,
    alg: cell.auth === 'none' ? null : cell.alg,
    deny: cell.deny,
    samples,
  };
}

async function main(): Promise<void> {
  const machine = describeMachine();
  progress(`bench:http on ${machine}; ${describeLoad()}`);
  const now = Math.floor(Date.now() / 1000);
  const tokens = new Map<BenchAlg, AlgTokens>();
  const problems: TargetResult[] = [];
  const rows: HttpRow[] = [];
  for (const framework of frameworks) {
    const cells = planCells(framework, algs, mixes, ringSize, denyCount);
    progress(
      `${framework}: ${cells.length} cells, ${rounds} round(s) of ${duration} s, ${connections} connections`,
    );
    const live: Live[] = [];
    for (const cell of cells) {
      if (!tokens.has(cell.alg)) {
        progress(`  minting ${formatInt(ringSize)} ${cell.alg} tokens...`);
        tokens.set(cell.alg, mintTokens(cell.alg, ringSize, now));
      }
      const up = await bringUp(cell, tokens.get(cell.alg)!);
      if (typeof up === 'string') {
        progress(`  ${label(cell)}: SKIPPED (${up})`);
        problems.push({ pass: false, label: `${label(cell)} measured`, detail: up });
      } else live.push(up);
    }
    try {
      for (let r = 0; r < rounds; r++) {
        progress(`  round ${r + 1}/${rounds} (${describeLoad()})`);
        for (let k = 0; k < live.length; k++) {
          const cell = live[(k + r) % live.length]!;
          if (cell.samples.length < r) continue; // dropped earlier
          const problem = await measure(cell);
          if (problem) {
            progress(`  ${label(cell.cell)}: DROPPED (${problem})`);
            problems.push({ pass: false, label: `${label(cell.cell)} measured`, detail: problem });
            cell.samples.length = 0;
          }
        }
      }
    } finally {
      await Promise.all(live.map((l) => l.server.stop()));
    }
    rows.push(...live.filter((l) => l.samples.length === rounds).map(toRow));
  }
  const targets = [...checkTargets(rows, frameworks, algs), ...problems];
  report(rows, targets, `${machine}; ${describeLoad()} at the end`);
  if (json) {
    const plain = rows.map(({ auth: _a, alg: _b, deny: _c, samples: _d, ...row }) => row);
    process.stdout.write(`${JSON.stringify(plain, null, 1)}\n`);
  }
  if (args.flags.has('check') && targets.some((t) => !t.pass)) process.exitCode = 1;
}

function report(rows: readonly HttpRow[], targets: readonly TargetResult[], machine: string): void {
  const header = [
    'framework',
    'variant',
    'mix',
    'req/s',
    'p50',
    'p99',
    'server CPU',
    'req/CPU-s',
    'x no-auth',
    'cache hits',
  ];
  const cells = rows.map((r) => {
    const none = rows.find((n) => n.framework === r.framework && n.auth === 'none');
    return [
      r.framework,
      r.variant,
      r.mix,
      formatInt(r.reqPerSec),
      `${r.p50Ms.toFixed(1)} ms`,
      `${r.p99Ms.toFixed(1)} ms`,
      `${Math.round(r.serverCpu * 100)}%`,
      formatInt(r.capacity),
      none ? `${(r.capacity / none.capacity).toFixed(2)}x` : '',
      r.cacheHitRate === null ? '' : `${(r.cacheHitRate * 100).toFixed(1)}%`,
    ];
  });
  out('');
  out(formatTable(header, cells));
  const starved = rows.filter((r) => r.serverCpu < 0.85).length;
  if (starved > 0) {
    out(
      `note: server CPU under 85% in ${starved} cell(s): the load generator or other processes held the server back; compare req/CPU-s`,
    );
  }
  out('');
  out(`targets (median of per-round ratios, ${rounds} round(s)):`);
  for (const t of targets) out(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.label}: ${t.detail}`);
  const failed = targets.filter((t) => !t.pass).length;
  out(`${targets.length - failed} passed, ${failed} failed`);
  if (args.flags.has('markdown')) {
    out('');
    out(
      `Machine: ${machine}. ${rounds} round(s) of ${duration} s per cell after ${warmup} s warm-up, ${connections} connections.`,
    );
    out('');
    out(formatMarkdown(header, cells));
    out('');
    out(markdownTargets(targets));
  }
}

await main();
