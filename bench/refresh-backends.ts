/**
 * `npm run bench:backends`: refresh-token rotation throughput (`service.refresh`, the whole
 * service path: seal, hash, one rotation transaction, token signing) on SQLite (a WAL file) and
 * on PostgreSQL (a throwaway local cluster, fsync off; or GATEHOUSE_TEST_PG_URL), in the same
 * run. Two shapes per backend:
 *   sequential  one chain, one refresh after the other (latency-bound);
 *   concurrent  C chains refreshed at once, each chain sequential (throughput under load).
 *
 *   --n N           refreshes per case (default 2000)
 *   --concurrency C chains in the concurrent case (default 32)
 *   --json          rows {backend, shape, refreshes, seconds, perSecond} on stdout
 *
 * The figures compare backends on one machine; they are not a capacity claim (fsync is off and
 * PostgreSQL is on loopback). Production sizing comes from the load benchmark (issue 9).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthService } from '../packages/gatehouse-server/src/service/create-auth-service.js';
import type { RequestContext } from '../packages/gatehouse-server/src/service/types.js';
import { createPostgresStore } from '../packages/gatehouse-server/src/storage/postgres/index.js';
import { createSqliteStore } from '../packages/gatehouse-server/src/storage/sqlite/index.js';
import type { Store } from '../packages/gatehouse-server/src/storage/types.js';
import { startPostgres } from '../packages/gatehouse-server/test/support/postgres.js';

const REQ: RequestContext = { ip: '127.0.0.1', userAgent: 'bench' };
const PASSWORD = 'correct horse battery staple';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const N = option('n', 2000);
const C = option('concurrency', 32);
const json = process.argv.includes('--json');

interface Row {
  backend: string;
  shape: 'sequential' | 'concurrent';
  refreshes: number;
  seconds: number;
  perSecond: number;
}

async function measure(backend: string, store: Store): Promise<Row[]> {
  const service = await createAuthService({
    store,
    issuer: 'http://127.0.0.1',
    audience: 'gatehouse',
    accessTtl: 600,
    refreshTtl: 86_400,
    refreshIdleTtl: null,
    reuseGrace: 10,
    keyPropagation: 0,
    alg: 'EdDSA',
    openRegistration: true,
    passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
  });
  try {
    await service.register({ username: 'bench', password: PASSWORD }, REQ);
    // Logins happen before timing, one per chain, from distinct addresses (logins are
    // throttled per IP; refreshes are not).
    const login = async (i: number) =>
      (
        await service.login(
          { username: 'bench', password: PASSWORD },
          { ...REQ, ip: `10.0.${i >> 8}.${i & 255}` },
        )
      ).refresh_token;
    const chain = async (first: string, count: number) => {
      let token = first;
      for (let i = 0; i < count; i++) token = (await service.refresh(token, REQ)).refresh_token;
    };
    await chain(await login(0), 50); // warm-up: JIT, prepared statements, pool connections
    const rows: Row[] = [];
    const single = await login(1);
    let t = performance.now();
    await chain(single, N);
    let s = (performance.now() - t) / 1000;
    rows.push({ backend, shape: 'sequential', refreshes: N, seconds: s, perSecond: N / s });
    const per = Math.ceil(N / C);
    const firsts: string[] = [];
    for (let i = 0; i < C; i++) firsts.push(await login(2 + i));
    t = performance.now();
    await Promise.all(firsts.map((first) => chain(first, per)));
    s = (performance.now() - t) / 1000;
    rows.push({ backend, shape: 'concurrent', refreshes: per * C, seconds: s, perSecond: (per * C) / s });
    return rows;
  } finally {
    await service.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
const pgServer = await startPostgres();
try {
  const rows = [
    ...(await measure('sqlite', await createSqliteStore({ path: join(dir, 'gatehouse.db') }))),
    ...(await measure(
      'postgres',
      await createPostgresStore({ url: await pgServer.createDatabase(), maxConnections: 10 }),
    )),
  ];
  if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else {
    process.stdout.write(`refresh throughput, n=${N}, concurrency=${C} (Node ${process.version})\n`);
    for (const r of rows) {
      process.stdout.write(
        `${r.backend.padEnd(9)} ${r.shape.padEnd(11)} ${String(Math.round(r.perSecond)).padStart(7)} refreshes/s  (${r.refreshes} in ${r.seconds.toFixed(2)} s)\n`,
      );
    }
    const ratio = (shape: string) =>
      (rows.find((r) => r.backend === 'postgres' && r.shape === shape)?.perSecond ?? 0) /
      (rows.find((r) => r.backend === 'sqlite' && r.shape === shape)?.perSecond ?? 1);
    process.stdout.write(
      `postgres/sqlite: sequential ${ratio('sequential').toFixed(2)}x, concurrent ${ratio('concurrent').toFixed(2)}x\n`,
    );
  }
} finally {
  await pgServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
