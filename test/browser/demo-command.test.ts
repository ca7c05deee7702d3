/**
 * `gatehouse demo` as a person runs it: the real CLI in a child process, in an empty folder
 * (the database goes to ./data/gatehouse.db), stopped with SIGINT.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../packages/gatehouse-server/src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

test('gatehouse demo: both servers up with the banner, the page served, SIGINT stops it with status 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-cli-'));
  const [authPort, articlesPort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    ['--import', TSX, MAIN, 'demo', '--port', String(authPort), '--articles-port', String(articlesPort)],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    for (const deadline = Date.now() + 30_000; !stdout.includes('Ctrl-C'); ) {
      assert.ok(Date.now() < deadline, `no banner within 30 s; stderr: ${stderr}`);
      assert.equal(child.exitCode, null, `exited early: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const articlesUrl = `http://127.0.0.1:${articlesPort}`;
    const authUrl = `http://127.0.0.1:${authPort}`;
    assert.match(stdout, new RegExp(`Web page\\s+${articlesUrl}/`));
    assert.match(stdout, new RegExp(`Auth server\\s+${authUrl}`));
    assert.match(stdout, /npx gatehouse users add alice --role admin --password-stdin/);

    const page = await fetch(`${articlesUrl}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Gatehouse demo/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const sdk = await fetch(`${articlesUrl}/vendor/gatehouse/client/index.js`);
    assert.equal(sdk.status, 200);
    assert.match(sdk.headers.get('content-type') ?? '', /javascript/);
    assert.equal((await fetch(`${articlesUrl}/vendor/gatehouse/client/index.d.ts`)).status, 404);
    assert.equal((await fetch(`${articlesUrl}/public`)).status, 200);
    const noToken = await fetch(`${articlesUrl}/articles`);
    assert.equal(noToken.status, 401);
    assert.match(noToken.headers.get('www-authenticate') ?? '', /^Bearer realm="articles"/);
    // The page's origin may call the auth server (CORS), with credentials for cookie mode.
    const jwks = await fetch(`${authUrl}/.well-known/jwks.json`, { headers: { origin: articlesUrl } });
    assert.equal(jwks.status, 200);
    assert.equal(jwks.headers.get('access-control-allow-origin'), articlesUrl);
    assert.ok(existsSync(join(dir, 'data', 'gatehouse.db')), 'the embedded SQLite default');

    child.kill('SIGINT');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
