/**
 * Child process: the seed-style baseline (bench/baselines/seed-server.js, CommonJS as the seed
 * wrote it) with its auth app and resource app on free ports of 127.0.0.1, and N refresh tokens
 * in its array (as N logins would leave it). argv: <sessions>
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { serveStats } from './stats.js';

// The seed reads these from .env; 64 random bytes each, as its tutorial suggests.
process.env.ACCESS_TOKEN_SECRET = randomBytes(64).toString('hex');
process.env.REFRESH_TOKEN_SECRET = randomBytes(64).toString('hex');

const require = createRequire(import.meta.url);
const seed = require('../baselines/seed-server.js') as {
  authApp: Express;
  app: Express;
  seedRefreshTokens(count: number): string[];
};

function listen(app: Express): Promise<string> {
  return new Promise((resolve) => {
    const s: Server = app.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`),
    );
  });
}

const refreshTokens = seed.seedRefreshTokens(Number(process.argv[2] ?? '1000'));
const urls = { auth: await listen(seed.authApp), resource: await listen(seed.app) };
serveStats();
process.send?.({ type: 'ready', urls, refreshTokens });
