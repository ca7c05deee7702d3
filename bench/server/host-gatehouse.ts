/**
 * Child process: the Gatehouse auth server as `gatehouse serve` runs it (OWASP argon2id, real
 * SQLite file, ES256), on 127.0.0.1, plus N pre-seeded sessions for the refresh run, one user
 * for the login run and resource-server credentials for the feed. Reports over IPC.
 * argv: <databaseUrl> <sessions> <port>
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../packages/gatehouse-server/src/config/env.js';
import { OWASP_ARGON2ID } from '../../packages/gatehouse-server/src/domain/passwords.js';
import {
  generateRefreshToken,
  hashRefreshToken,
} from '../../packages/gatehouse-server/src/domain/refresh-token.js';
import { createAuthServer } from '../../packages/gatehouse-server/src/http/server.js';
import { openStore } from '../../packages/gatehouse-server/src/storage/index.js';
import { BENCH_PASSWORD, BENCH_USER } from './children.js';
import { serveStats } from './stats.js';

const [databaseUrl = '', sessionsArg = '1000', port = '0'] = process.argv.slice(2);
const config = loadConfig({
  env: {
    GATEHOUSE_DATABASE_URL: databaseUrl,
    GATEHOUSE_PORT: port,
    GATEHOUSE_LOG_LEVEL: 'silent',
    // The login run comes from many simulated clients (X-Forwarded-For), not one address
    // that the per-IP limit would stop after 100 attempts.
    GATEHOUSE_TRUST_PROXY: 'true',
  },
  envFile: false,
});
const store = await openStore(databaseUrl);
// BENCH_HASH_CONCURRENCY: the hasher's maxConcurrent (default: the server's own default).
const hashConcurrency = Number(process.env.BENCH_HASH_CONCURRENCY ?? 0);
const server = await createAuthServer({
  config,
  store,
  logger: false,
  processMetrics: false,
  ...(hashConcurrency > 0 ? { passwordHashing: { ...OWASP_ARGON2ID, maxConcurrent: hashConcurrency } } : {}),
});
const ctx = { ip: '127.0.0.1', userAgent: 'bench' };
await server.service.register({ username: BENCH_USER, password: BENCH_PASSWORD }, ctx);
const user = await store.findUserByUsernameKey(BENCH_USER);
if (user === null) throw new Error('bench user not created');

// N sessions as N logins would leave them (without paying N argon2 hashes to get there).
const now = Date.now();
const refreshTokens: string[] = [];
for (let i = 0; i < Number(sessionsArg); i++) {
  const token = generateRefreshToken();
  await store.createSession({
    id: randomUUID(),
    userId: user.id,
    now,
    expiresAt: now + 30 * 86_400_000,
    idleExpiresAt: null,
    userAgent: 'bench',
    ip: '127.0.0.1',
    refreshHash: hashRefreshToken(token),
  });
  refreshTokens.push(token);
}
const { client_id, client_secret } = await server.service.clients.add('bench-resource-servers');
const url = await server.listen({ host: '127.0.0.1', port: Number(port) });
serveStats();
process.send?.({ type: 'ready', url, refreshTokens, clientId: client_id, clientSecret: client_secret });
