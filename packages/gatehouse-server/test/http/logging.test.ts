/** Logs: request ids, and no secret (password, refresh or access token, cookie) ever written. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED } from '../../src/logger.js';
import { call, login, PASSWORD, startServer } from './helpers.js';

test('a whole flow at trace level writes no password, token or cookie to the logs', async () => {
  const h = await startServer({ logLevel: 'trace' });
  try {
    const pair = await login(h.server);
    const refreshed = (
      await call(h.server, 'POST', '/auth/token', {
        body: { refresh_token: pair.refresh_token },
        headers: { cookie: 'gh_refresh=cookie-secret-value' },
      })
    ).json();
    await call(h.server, 'GET', `/auth/me?access_token=${pair.access_token}`);
    await call(h.server, 'GET', '/auth/me', { token: refreshed.access_token });
    await call(h.server, 'POST', '/auth/password', {
      token: refreshed.access_token,
      body: { current_password: PASSWORD, new_password: 'the next password' },
    });
    await call(h.server, 'POST', '/auth/login', {
      body: { username: 'alice', password: 'a wrong password' },
    });
    await call(h.server, 'POST', '/auth/logout', { body: { refresh_token: refreshed.refresh_token } });
    await call(h.server, 'POST', '/auth/login', { raw: `{"password": "${PASSWORD}", bad json` });

    const output = h.logs.join('');
    assert.ok(output.length > 1000, 'expected request logs');
    for (const secret of [
      PASSWORD,
      'the next password',
      'a wrong password',
      pair.refresh_token,
      refreshed.refresh_token,
      pair.access_token,
      refreshed.access_token,
      pair.access_token.split('.')[2]!,
      'cookie-secret-value',
    ]) {
      assert.ok(!output.includes(secret), `secret in logs: ${secret.slice(0, 12)}...`);
    }
    assert.match(output, /\?\[query omitted\]/);
  } finally {
    await h.close();
  }
});

test('secret headers and body fields are redacted wherever a log call puts them', async () => {
  const h = await startServer({ logLevel: 'info' });
  try {
    h.server.app.log.info(
      {
        req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'a=b' } },
        body: {
          username: 'alice',
          password: 'pw-1',
          refresh_token: 'ghr_1',
          current_password: 'pw-2',
          new_password: 'pw-3',
        },
        password: 'pw-4',
        nested: { deeper: { refresh_token: 'ghr_2' } },
      },
      'probe',
    );
    const line = h.logs.find((l) => l.includes('"probe"'));
    assert.ok(line);
    for (const secret of ['abc.def.ghi', 'a=b', 'pw-1', 'pw-2', 'pw-3', 'pw-4', 'ghr_1', 'ghr_2']) {
      assert.ok(!line.includes(secret), secret);
    }
    assert.ok(line.includes(REDACTED));
    assert.ok(line.includes('alice'), 'non-secret fields stay');
  } finally {
    await h.close();
  }
});

test('every response carries a request id that the log lines of that request share', async () => {
  const h = await startServer({ logLevel: 'info' });
  try {
    const a = await call(h.server, 'GET', '/healthz', { headers: { 'x-request-id': 'forged\nid' } });
    const b = await call(h.server, 'GET', '/healthz');
    const idA = String(a.headers['x-request-id']);
    assert.match(idA, /^[0-9a-f-]{36}$/, 'our own id, not the forged one');
    assert.notEqual(idA, b.headers['x-request-id']);
    const lines = h.logs.filter((l) => l.includes(idA));
    assert.ok(lines.length >= 2, 'incoming and completed lines');
  } finally {
    await h.close();
  }
});
