/**
 * `npm run bench:deny-set`: the revocation deny-set check with a million entries (issue 3 target:
 * under 200 ns per check) and the memory those entries take (target: well under 200 MB).
 *
 * The deny set is Gatehouse's own `DenySet` (packages/gatehouse/src/verifier/deny-set.ts), the
 * structure the revocation feed client fills and the verifier consults on every request.
 *
 *   --entries N     entries loaded (default 1000000: 70% jti, 20% sid, 10% sub cut-offs)
 *   --quick         fewer rounds;  --json  rows {case, entries, nsPerOp, opsPerSec} on stdout;  --markdown
 *   --check         exit with status 1 when a target fails
 *
 * Run with `node --expose-gc` (the npm script does) so the memory figure is taken after a full GC.
 */
import {
  DenySet,
  type RevocationEntry,
  type RevocationSubject,
} from '../packages/gatehouse/src/verifier/deny-set.js';
import { formatMarkdown, formatTable, numberOption, parseBenchArgs } from './lib/args.js';
import { type BenchCase, runGroup } from './lib/harness.js';
import { describeLoad, describeMachine, formatInt, formatNs } from './lib/machine.js';
import { markdownTargets } from './lib/markdown-targets.js';

const USAGE =
  'usage: node --expose-gc --import tsx bench/deny-set.ts [--entries N] [--quick] [--json] [--check]\n';
const args = parseBenchArgs(
  process.argv.slice(2),
  ['quick', 'json', 'markdown', 'check'],
  ['entries'],
  USAGE,
);
const entries = Math.round(numberOption(args, 'entries', 1_000_000));
const quick = args.flags.has('quick');
const json = args.flags.has('json');
const out = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);
const CHECK_TARGET_NS = 200;
const MEMORY_TARGET_MB = 200;
const RING = 1 << 16;

const gc = (globalThis as { gc?: () => void }).gc;
function heapMb(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external + m.arrayBuffers) / 2 ** 20;
}

const now = Math.floor(Date.now() / 1000);
// Ids shaped like real ones (UUID-length jti, short sid, user ids).
const id = (prefix: string, i: number) =>
  `${prefix}-${i.toString(16).padStart(8, '0')}-4c61-9d0e-6f3a8c2d1e90`;

const before = heapMb();
const deny = new DenySet();
const jtis = Math.round(entries * 0.7);
const sids = Math.round(entries * 0.2);
const subs = entries - jtis - sids;
/**
 * Loads entries the way the feed client does: from JSON pages (so every value is its own flat
 * string, as JSON.parse makes it, and the memory figure counts it), 10,000 per page.
 */
function load(kind: 'jti' | 'sid' | 'sub', count: number, notBefore: number | null, expiresAt: number): void {
  for (let start = 0; start < count; start += 10_000) {
    const page = [];
    for (let i = start; i < Math.min(count, start + 10_000); i++)
      page.push({ kind, value: id(kind, i), notBefore, expiresAt });
    for (const entry of JSON.parse(JSON.stringify(page)) as RevocationEntry[]) deny.add(entry);
  }
}
load('jti', jtis, null, now + 900);
load('sid', sids, null, now + 86400);
load('sub', subs, now - 60, now + 900);
const memoryMb = heapMb() - before;
if (deny.size !== entries) throw new Error(`deny set holds ${deny.size} entries, expected ${entries}`);

/**
 * A ring of distinct verified tokens. Each goes through JSON.parse, as a decoded payload does,
 * so its strings are flat heap strings distinct from the deny set's keys (no identity shortcut).
 */
function ring(make: (i: number) => RevocationSubject): RevocationSubject[] {
  return Array.from({ length: RING }, (_, i) => JSON.parse(JSON.stringify(make(i))) as RevocationSubject);
}
const notRevoked = ring((i) => ({
  header: { kid: 'k1' },
  payload: { jti: id('live', i), sid: id('live-sid', i), sub: id('user', i), iat: now },
}));
const revokedJti = ring((i) => ({
  header: { kid: 'k1' },
  payload: { jti: id('jti', (i * 7) % jtis), sid: 's', sub: 'u', iat: now },
}));
// The user has a cut-off, but this token was issued after it: three look-ups, then allowed.
const subAfterCut = ring((i) => ({
  header: { kid: 'k1' },
  payload: {
    jti: id('live', i),
    sid: id('live-sid', i),
    sub: id('sub', i % subs),
    iat: now,
  },
}));
const empty = new DenySet();

function checker(set: DenySet, subjects: RevocationSubject[], expect: string | undefined): () => unknown {
  if (set.check(subjects[0]!) !== expect) throw new Error(`sanity: expected ${expect}`);
  let i = 0;
  return () => set.check(subjects[i++ & (RING - 1)]!);
}

const cases: BenchCase[] = [
  { name: 'not revoked (the common path)', fn: checker(deny, notRevoked, undefined) },
  { name: 'revoked jti', fn: checker(deny, revokedJti, 'jti') },
  { name: 'sub cut-off, token issued after it', fn: checker(deny, subAfterCut, undefined) },
  { name: 'empty deny set (reference)', fn: checker(empty, notRevoked, undefined) },
];

process.stderr.write(
  `bench:deny-set on ${describeMachine()}; ${describeLoad()}; ${formatInt(entries)} entries\n`,
);
const machine = describeMachine();
const results = await runGroup(cases, {
  clock: 'cpu',
  rounds: quick ? 5 : 15,
  warmupRounds: quick ? 1 : 3,
  batchMs: quick ? 10 : 25,
});
const header = ['case', 'entries', 'time/check', 'checks/s'];
const cells = results.map((r, i) => [
  r.name,
  formatInt(i === 3 ? 0 : entries),
  formatNs(r.nsPerOp),
  formatInt(1e9 / r.nsPerOp),
]);
out('');
out(formatTable(header, cells));
out('');
out(
  `memory: ${memoryMb.toFixed(1)} MB for ${formatInt(entries)} entries (${((memoryMb * 2 ** 20) / entries).toFixed(0)} bytes/entry)${gc ? '' : ' (no --expose-gc: approximate)'}`,
);
const worst = Math.max(...results.slice(0, 3).map((r) => r.nsPerOp));
const targets = [
  {
    pass: worst < CHECK_TARGET_NS,
    label: `check under ${CHECK_TARGET_NS} ns with ${formatInt(entries)} entries`,
    detail: `slowest case ${formatNs(worst)}`,
  },
  {
    pass: memoryMb < MEMORY_TARGET_MB,
    label: `memory under ${MEMORY_TARGET_MB} MB`,
    detail: `${memoryMb.toFixed(1)} MB`,
  },
];
for (const t of targets) out(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.label}: ${t.detail}`);
if (args.flags.has('markdown')) {
  out('');
  out(`Machine: ${machine}; ${describeLoad()} at the end. Clock: cpu.`);
  out('');
  out(formatMarkdown(header, cells));
  out('');
  out(`Memory: ${memoryMb.toFixed(1)} MB for ${formatInt(entries)} entries.`);
  out('');
  out(markdownTargets(targets));
}
if (json) {
  const rows = results.map((r, i) => ({
    case: r.name,
    entries: i === 3 ? 0 : entries,
    nsPerOp: Math.round(r.nsPerOp),
    opsPerSec: Math.round(1e9 / r.nsPerOp),
  }));
  process.stdout.write(`${JSON.stringify(rows, null, 1)}\n`);
}
if (args.flags.has('check') && targets.some((t) => !t.pass)) process.exitCode = 1;
