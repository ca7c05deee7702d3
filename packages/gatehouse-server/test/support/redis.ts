/**
 * A throwaway redis-server for tests: 127.0.0.1, a free port, no persistence (`--save ''
 * --appendonly no`), killed by `stop()`. With GATEHOUSE_TEST_REDIS_URL set, that server is used
 * instead (each caller gets its own key prefix through a fresh logical database is not
 * possible to guarantee, so tests use distinct keys). A missing binary fails loudly.
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * after(() => redis.stop());
 * redis.url; // redis://127.0.0.1:PORT
 * ```
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from '../cli/helpers.js';

export interface RedisServer {
  readonly url: string;
  /** Kills the server (SIGKILL: nothing to save); a started one can be started again. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop()`); external servers cannot. */
  restart(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
    socket.setTimeout(500);
    socket.once('data', (d) => {
      socket.destroy();
      resolve(String(d).startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Starts (or, with GATEHOUSE_TEST_REDIS_URL, uses) a Redis server. */
export async function startRedis(): Promise<RedisServer> {
  const external = process.env.GATEHOUSE_TEST_REDIS_URL;
  if (external) {
    return {
      url: external,
      stop: async () => {},
      restart: async () => {
        throw new Error('cannot restart an external Redis');
      },
    };
  }
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (found.status !== 0 || found.stdout.trim() === '') {
    throw new Error(
      'redis-server not found on the PATH: the Redis tests need it installed (apt-get install redis-server), ' +
        'or GATEHOUSE_TEST_REDIS_URL pointing at a server (see docs/DEPLOYMENT.md)',
    );
  }
  const bin = found.stdout.trim();
  const port = await freePort();
  let child: ChildProcess | null = null;
  const kill = () => {
    child?.kill('SIGKILL');
    child = null;
  };
  process.once('exit', kill);
  const start = async () => {
    const proc = spawn(
      bin,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
      ],
      { stdio: 'ignore' },
    );
    child = proc;
    const deadline = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
      if (Date.now() > deadline) {
        kill();
        throw new Error('redis-server did not answer within 10 s');
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const proc = child;
      if (!proc) return;
      const exited = new Promise((r) => proc.once('exit', r));
      kill();
      await exited;
    },
    restart: start,
  };
}
