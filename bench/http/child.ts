/** Starts one benchmark server in a child process and talks to it over IPC. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage, ServerConfig } from './protocol.js';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

export interface RunningServer {
  port: number;
  note: string | undefined;
  /** Starts counting the server's CPU time. */
  cpuStart(): void;
  /** Server CPU time since `cpuStart` (fraction of one core) and the Gatehouse cache hit rate. */
  cpuStop(): Promise<{ utilisation: number; cacheHitRate: number | null }>;
  stop(): Promise<void>;
}

function waitFor<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`server did not answer "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (raw: unknown) => {
      const m = raw as ChildMessage;
      if (m.type === type) finish(undefined, m as Extract<ChildMessage, { type: T }>);
      else if (m.type === 'error') finish(new Error(m.message));
    };
    const onExit = (code: number | null) => finish(new Error(`server exited (${code}) before "${type}"`));
    function finish(err: Error | undefined, value?: Extract<ChildMessage, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Spawns `node --import tsx bench/http/server.ts`, sends the config, waits for the port. */
export async function startServer(config: ServerConfig, timeoutMs = 60_000): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const send = (m: ParentMessage) => child.send(m);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const ready = waitFor(child, 'ready', timeoutMs);
    send({ type: 'config', config });
    const { port, note } = await ready;
    return {
      port,
      note,
      cpuStart: () => send({ type: 'cpu-start' }),
      cpuStop: async () => {
        const answer = waitFor(child, 'cpu', 10_000);
        send({ type: 'cpu-stop' });
        const { utilisation, cacheHitRate } = await answer;
        return { utilisation, cacheHitRate };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
