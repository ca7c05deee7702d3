/** Starts and kills `fixtures/serve.ts` (a real auth server process) for the crash tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./fixtures/serve.ts', import.meta.url));

/** A running auth server process. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL (no shutdown hooks, no flush) and wait for the exit. */
  kill9(): Promise<void>;
}

/** Spawns the server with the given GATEHOUSE_* variables; resolves once it listens. */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within 30 s: ${err}`));
    }, 30_000);
    child.stderr?.on('data', (c: Buffer) => {
      err += String(c);
    });
    child.stdout?.on('data', (c: Buffer) => {
      out += String(c);
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        clearTimeout(timer);
        const { url } = JSON.parse(line) as { url: string };
        resolve({
          url,
          child,
          async kill9() {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${err}`));
    });
  });
}
