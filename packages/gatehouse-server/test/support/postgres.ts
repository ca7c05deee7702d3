/**
 * A throwaway PostgreSQL for tests: `startPostgres()` runs `initdb` + `pg_ctl` in a temp dir
 * (owned by the `postgres` user when the tests run as root, since PostgreSQL refuses to run as
 * root), listening on 127.0.0.1 on a free port, with fsync off, and `stop()` removes it all.
 * With GATEHOUSE_TEST_PG_URL set (an admin URL of an existing server), that server is used
 * instead and only the databases created here are dropped at the end.
 *
 * Missing binaries fail loudly: the PostgreSQL tests are part of every run, never skipped.
 *
 * @example
 * ```ts
 * const pgServer = await startPostgres();
 * after(() => pgServer.stop());
 * const url = await pgServer.createDatabase(); // a fresh, empty database
 * ```
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../cli/helpers.js';

export interface PgServer {
  /** Admin URL (database `postgres`). */
  readonly adminUrl: string;
  /** Creates a fresh empty database; resolves to its URL. */
  createDatabase(): Promise<string>;
  /** Drops the created databases (external server) or stops and removes the cluster. */
  stop(): Promise<void>;
}

function which(bin: string): string {
  const res = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  const path = res.stdout.trim();
  if (res.status !== 0 || path === '') {
    throw new Error(
      `${bin} not found on the PATH: the PostgreSQL tests need PostgreSQL 15 installed (initdb, pg_ctl), ` +
        'or GATEHOUSE_TEST_PG_URL pointing at a server (see docs/DEPLOYMENT.md)',
    );
  }
  return path;
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root. */
function runAs(asPostgres: boolean, bin: string, args: string[]): void {
  const [cmd, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

function uidOf(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

let seq = 0;

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseFactory(adminUrl: string, created: string[]) {
  return async () => {
    const name = `gh_test_${process.pid}_${++seq}`;
    await admin(adminUrl, (c) => c.query(`create database ${name}`));
    created.push(name);
    return withDatabase(adminUrl, name);
  };
}

/** Starts (or, with GATEHOUSE_TEST_PG_URL, connects to) a PostgreSQL server. */
export async function startPostgres(): Promise<PgServer> {
  const created: string[] = [];
  const external = process.env.GATEHOUSE_TEST_PG_URL;
  if (external) {
    return {
      adminUrl: external,
      createDatabase: databaseFactory(external, created),
      async stop() {
        await admin(external, async (c) => {
          for (const name of created.splice(0)) await c.query(`drop database if exists ${name} with (force)`);
        });
      },
    };
  }
  const initdb = which('initdb');
  const pgCtl = which('pg_ctl');
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pg-'));
  if (asPostgres) {
    const { uid, gid } = uidOf('postgres');
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  let started = false;
  const stopSync = () => {
    if (started) {
      started = false;
      try {
        runAs(asPostgres, pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that dies without its after() hook still leaves no server behind.
  process.once('exit', stopSync);
  try {
    runAs(asPostgres, initdb, [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
    const opts = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
      '-c shared_buffers=32MB',
    ].join(' ');
    runAs(asPostgres, pgCtl, ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start']);
    started = true;
  } catch (err) {
    stopSync();
    throw new Error(`could not start a throwaway PostgreSQL: ${(err as Error).message}`);
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    createDatabase: databaseFactory(adminUrl, created),
    async stop() {
      process.removeListener('exit', stopSync);
      stopSync();
    },
  };
}
