/** Runs the real `gatehouse` CLI (src/cli/main.ts through tsx) as a child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const SRC_MAIN = join(SRC, 'cli', 'main.ts');
const DIST_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** The tsx loader by absolute URL: the child's cwd is a temp folder without node_modules. */
const TSX = import.meta.resolve('tsx');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/**
 * The built bin (`dist/cli/main.js`, what `npx gatehouse` runs) when it is newer than every
 * source file, as after `npm test`'s build; otherwise the sources through tsx (slower start).
 */
export const CLI_ARGS: readonly string[] =
  existsSync(DIST_MAIN) && statSync(DIST_MAIN).mtimeMs >= newestMtime(SRC)
    ? [DIST_MAIN]
    : ['--import', TSX, SRC_MAIN];

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  input?: string;
}

/** A minimal environment: no GATEHOUSE_* variable of the test process leaks in. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...extra };
}

/** Spawns the CLI in `options.cwd` (where its `.env` and default `./data` are). */
export function spawnCli(args: string[], options: RunOptions): ChildProcess {
  return spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to completion (bounded: 30 s). */
export function runCli(args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gatehouse ${args.join(' ')} timed out`));
    }, 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(options.input ?? '');
  });
}

/** A port that was free a moment ago, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
