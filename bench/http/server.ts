/**
 * Child process of the HTTP benchmark: serves one cell (framework × auth variant) on
 * 127.0.0.1, an ephemeral port, so the load generator never shares this event loop.
 * Configuration (including key material) arrives over IPC; the port goes back the same way.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressApp, fastifyApp } from './app.js';
import { expressGatehouseAuth, fastifyGatehouseAuth } from './gatehouse.js';
import { expressJwtAuth, fastifyJwtAuth } from './peers.js';
import type { ChildMessage, ParentMessage, ServerConfig } from './protocol.js';

function send(message: ChildMessage): void {
  process.send?.(message);
}

let cacheStats: (() => { hits: number; misses: number }) | undefined;

async function start(c: ServerConfig): Promise<{ port: number; note?: string }> {
  if (c.framework === 'express') {
    const chosen =
      c.auth === 'none'
        ? { auth: undefined, note: undefined }
        : c.auth === 'peer'
          ? { auth: expressJwtAuth(c), note: undefined }
          : await expressGatehouseAuth(c);
    const { auth, note } = chosen;
    if ('cacheStats' in chosen) cacheStats = chosen.cacheStats;
    const server: Server = expressApp(auth).listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return { port: (server.address() as AddressInfo).port, ...(note ? { note } : {}) };
  }
  // The Gatehouse note (deny-set size) is only known once the plugin is registered.
  const chosen =
    c.auth === 'none'
      ? { auth: undefined, note: undefined }
      : c.auth === 'peer'
        ? { auth: fastifyJwtAuth(c), note: undefined }
        : await fastifyGatehouseAuth(c);
  const app = await fastifyApp(chosen.auth);
  const note = chosen.note;
  if ('cacheStats' in chosen) cacheStats = chosen.cacheStats;
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as AddressInfo).port, ...(note ? { note } : {}) };
}

let cpuStart: { usage: NodeJS.CpuUsage; at: bigint; hits: number; misses: number } | undefined;

process.on('message', (raw) => {
  const message = raw as ParentMessage;
  if (message.type === 'config') {
    start(message.config).then(
      ({ port, note }) => send({ type: 'ready', port, ...(note ? { note } : {}) }),
      (err: unknown) => {
        send({ type: 'error', message: (err as Error).message.split('\n')[0] ?? 'unknown error' });
        process.exitCode = 1;
        process.disconnect?.();
      },
    );
  } else if (message.type === 'cpu-start') {
    const { hits, misses } = cacheStats?.() ?? { hits: 0, misses: 0 };
    cpuStart = { usage: process.cpuUsage(), at: process.hrtime.bigint(), hits, misses };
  } else if (message.type === 'cpu-stop' && cpuStart) {
    const used = process.cpuUsage(cpuStart.usage);
    const wallUs = Number(process.hrtime.bigint() - cpuStart.at) / 1000;
    let cacheHitRate: number | null = null;
    if (cacheStats) {
      const now = cacheStats();
      const hits = now.hits - cpuStart.hits;
      const lookups = hits + now.misses - cpuStart.misses;
      cacheHitRate = lookups === 0 ? 0 : hits / lookups;
    }
    send({ type: 'cpu', utilisation: (used.user + used.system) / wallUs, cacheHitRate });
  }
});

// The parent going away (or killing us) ends the cell.
process.on('disconnect', () => process.exit(process.exitCode ?? 0));
