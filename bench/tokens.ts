/**
 * `npm run bench:tokens`: sign and verify per algorithm for the raw node:crypto floor,
 * gatehouse, jose, fast-jwt and jsonwebtoken, interleaved in one process. See docs/benchmarks.md.
 *
 *   --quick            fewer, shorter rounds (about 15 s instead of about a minute)
 *   --algs a,b         algorithms to run (default HS256,HS512,RS256,PS256,ES256,ES384,EdDSA; `all`)
 *   --rounds N         measured rounds per group (default 15)
 *   --batch-ms N       wall time of one batch (default 25)
 *   --clock cpu|wall   what is timed: process CPU time (default; robust on a shared machine) or wall time
 *   --json             print one JSON array of rows {library, alg, op, nsPerOp, opsPerSec, vsFloor}
 *                      on stdout (the human table goes to stderr)
 *   --markdown         also print the tables as markdown (for docs/benchmarks.md)
 *   --check            exit with status 1 when a target fails (default: always 0)
 *   --dist             measure the built package `gatehouse` instead of its sources
 */
import { formatMarkdown, formatTable, listOption, numberOption, parseBenchArgs } from './lib/args.js';
import { type BenchCase, type BenchClock, type CaseResult, pairedRatio, runGroup } from './lib/harness.js';
import { loadGatehouse } from './lib/load-gatehouse.js';
import { describeLoad, describeMachine, formatInt, formatNs } from './lib/machine.js';
import { markdownTargets } from './lib/markdown-targets.js';
import { BENCH_ALGS, type BenchAlg, rawVerifier, splitJws } from './lib/raw-jws.js';
import { makeFixture, type TokenFixture } from './tokens/fixture.js';
import { gatehouseOps } from './tokens/gatehouse.js';
import { FLOOR, fastJwtOps, floorOps, joseOps, jsonwebtokenOps, type LibraryOps } from './tokens/peers.js';
import { checkGroup, type TargetResult } from './tokens/targets.js';

const USAGE = `usage: node --import tsx bench/tokens.ts [--quick] [--algs HS256,ES256|all] [--rounds N] [--batch-ms N]
                                          [--clock cpu|wall] [--json] [--markdown] [--check] [--dist]
`;
const DEFAULT_ALGS: BenchAlg[] = ['HS256', 'HS512', 'RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

interface Row {
  library: string;
  alg: BenchAlg;
  op: 'sign' | 'verify';
  nsPerOp: number;
  opsPerSec: number;
  vsFloor: number | null;
}

const args = parseBenchArgs(
  process.argv.slice(2),
  ['quick', 'json', 'markdown', 'check', 'dist'],
  ['algs', 'rounds', 'batch-ms', 'clock'],
  USAGE,
);
const quick = args.flags.has('quick');
const clockArg = args.values.get('clock') ?? 'cpu';
if (clockArg !== 'cpu' && clockArg !== 'wall') {
  process.stderr.write(`--clock must be cpu or wall (got "${clockArg}")\n`);
  process.exit(2);
}
const harness = {
  clock: clockArg as BenchClock,
  rounds: numberOption(args, 'rounds', quick ? 5 : 15),
  warmupRounds: quick ? 1 : 3,
  batchMs: numberOption(args, 'batch-ms', quick ? 10 : 25),
};
const algs =
  args.values.get('algs') === 'all' ? [...BENCH_ALGS] : listOption(args, 'algs', BENCH_ALGS, DEFAULT_ALGS);
const json = args.flags.has('json');
const out = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);
const progress = (s: string) => process.stderr.write(`${s}\n`);

/** Runs each op once and checks what it produced, so a broken row is never timed. */
async function sanityCheck(f: TokenFixture, lib: LibraryOps): Promise<string | undefined> {
  try {
    if (lib.verify) {
      const claims = lib.claimsOf?.(await lib.verify());
      if (claims?.sub !== f.payload.sub || claims?.jti !== f.payload.jti)
        return 'verify returned the wrong claims';
    }
    if (lib.sign && lib.library !== FLOOR) {
      const token = await lib.sign();
      if (typeof token !== 'string') return 'sign did not return a string';
      const { data, signature } = splitJws(token);
      if (!rawVerifier(f.keys)(data, signature)) return 'signed token does not verify with node:crypto';
      const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as {
        alg?: string;
      };
      if (header.alg !== f.alg) return `signed token has alg ${header.alg}`;
    }
  } catch (err) {
    return `threw ${(err as Error).name}: ${(err as Error).message.split('\n')[0]}`;
  }
  return undefined;
}

async function main(): Promise<void> {
  const loaded = await loadGatehouse(args.flags.has('dist'));
  const machine = describeMachine();
  progress(`bench:tokens on ${machine}; ${describeLoad()}; clock: ${harness.clock}`);
  progress(
    loaded.core
      ? `gatehouse loaded from ${loaded.from}`
      : `gatehouse rows skipped: ${loaded.reason} (targets FAIL)`,
  );
  const now = Math.floor(Date.now() / 1000);
  const rows: Row[] = [];
  const targets: TargetResult[] = [];
  const problems: string[] = [];
  if (!loaded.core) targets.push({ pass: false, label: 'gatehouse rows measured', detail: loaded.reason });

  for (const alg of algs) {
    const f = makeFixture(alg, now);
    const libs: LibraryOps[] = [floorOps(f)];
    if (loaded.core) {
      try {
        libs.push(...gatehouseOps(loaded.core, f));
      } catch (err) {
        problems.push(`${alg}: gatehouse setup threw ${(err as Error).message.split('\n')[0]}`);
      }
    }
    libs.push(await joseOps(f), fastJwtOps(f, false), fastJwtOps(f, true), jsonwebtokenOps(f));
    const usable: LibraryOps[] = [];
    for (const lib of libs) {
      const problem = await sanityCheck(f, lib);
      if (problem) problems.push(`${alg}: ${lib.library} dropped: ${problem}`);
      else usable.push(lib);
    }
    for (const op of ['sign', 'verify'] as const) {
      const cases: BenchCase[] = [];
      for (const lib of usable) {
        const fn = lib[op];
        if (fn) cases.push({ name: lib.library, fn, async: lib.async ?? false });
      }
      progress(`  ${alg} ${op}: ${cases.map((c) => c.name).join(', ')}`);
      const results = await runGroup(cases, harness);
      for (const lib of usable) {
        const problem = lib.afterRun?.();
        if (problem && op === 'verify') problems.push(`${alg}: ${lib.library}: ${problem}`);
      }
      const floor = results.find((r) => r.name === FLOOR);
      for (const r of results) rows.push(toRow(alg, op, r, floor));
      targets.push(...checkGroup(alg, op, results));
    }
  }
  for (const p of problems) targets.push({ pass: false, label: 'sanity', detail: p });
  report(rows, targets, `${machine}; ${describeLoad()} at the end`);
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 1)}\n`);
  if (args.flags.has('check') && targets.some((t) => !t.pass)) process.exitCode = 1;
}

function toRow(alg: BenchAlg, op: 'sign' | 'verify', r: CaseResult, floor: CaseResult | undefined): Row {
  return {
    library: r.name,
    alg,
    op,
    nsPerOp: Math.round(r.nsPerOp),
    opsPerSec: Math.round(1e9 / r.nsPerOp),
    vsFloor: floor ? Number(pairedRatio(r, floor).toFixed(3)) : null,
  };
}

function report(rows: readonly Row[], targets: readonly TargetResult[], machine: string): void {
  const header = ['alg', 'op', 'library', 'time/op', 'ops/s', 'x floor'];
  const cells = rows.map((r) => [
    r.alg,
    r.op,
    r.library,
    formatNs(r.nsPerOp),
    formatInt(r.opsPerSec),
    r.vsFloor === null ? '' : `${r.vsFloor.toFixed(2)}x`,
  ]);
  out('');
  out(formatTable(header, cells));
  out('');
  out('targets (ratios measured side by side in this run):');
  for (const t of targets) out(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.label}: ${t.detail}`);
  const failed = targets.filter((t) => !t.pass).length;
  out(`${targets.length - failed} passed, ${failed} failed`);
  if (args.flags.has('markdown')) {
    out('');
    out(
      `Machine: ${machine}. Clock: ${harness.clock}. Rounds: ${harness.rounds} (+${harness.warmupRounds} warm-up), ${harness.batchMs} ms batches.`,
    );
    out('');
    out(formatMarkdown(header, cells));
    out('');
    out(markdownTargets(targets));
  }
}

await main();
