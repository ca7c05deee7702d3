/**
 * Hostile input on every endpoint: malformed JSON, wrong types, missing and extra fields,
 * oversize bodies, huge usernames and passwords, wrong media types, unknown routes. Always a
 * 4xx problem+json with the contract's code; never a 5xx, never a stack trace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { call, type Harness, login, PASSWORD, problem, startServer } from './helpers.js';

const KIB = 1024;

describe('bad input', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startServer({ logLevel: 'warn' });
    token = (await login(h.server, 'victim')).access_token;
  });
  after(async () => {
    await h.close();
  });

  const bodyRoutes = [
    { url: '/auth/register', valid: { username: 'someone', password: PASSWORD }, auth: false },
    { url: '/auth/login', valid: { username: 'someone', password: PASSWORD }, auth: false },
    { url: '/auth/token', valid: { refresh_token: 'ghr_x' }, auth: false },
    { url: '/auth/logout', valid: { refresh_token: 'ghr_x' }, auth: false },
    {
      // A wrong current password: these cases must never change the victim's password.
      url: '/auth/password',
      valid: { current_password: 'not the password', new_password: 'another password' },
      auth: true,
    },
  ] as const;

  for (const route of bodyRoutes) {
    describe(`POST ${route.url}`, () => {
      const send = (opts: { raw?: string; body?: unknown; headers?: Record<string, string> }) =>
        call(h.server, 'POST', route.url, { ...opts, ...(route.auth ? { token } : {}) });
      const firstField = Object.keys(route.valid)[0]!;

      const cases: [string, () => Promise<import('fastify').LightMyRequestResponse>, number, string][] = [
        ['malformed JSON', () => send({ raw: '{"a": ' }), 400, 'BAD_REQUEST'],
        ['empty JSON body', () => send({ raw: '' }), 400, 'BAD_REQUEST'],
        ['trailing garbage', () => send({ raw: `${JSON.stringify(route.valid)}x` }), 400, 'BAD_REQUEST'],
        ['JSON array', () => send({ raw: '[1,2]' }), 400, 'VALIDATION_FAILED'],
        ['JSON null', () => send({ raw: 'null' }), 400, 'VALIDATION_FAILED'],
        ['JSON string', () => send({ raw: '"hello"' }), 400, 'VALIDATION_FAILED'],
        [
          'wrong type (number)',
          () => send({ body: { ...route.valid, [firstField]: 12345678 } }),
          400,
          'VALIDATION_FAILED',
        ],
        [
          'wrong type (object)',
          () => send({ body: { ...route.valid, [firstField]: { $ne: '' } } }),
          400,
          'VALIDATION_FAILED',
        ],
        [
          'wrong type (null)',
          () => send({ body: { ...route.valid, [firstField]: null } }),
          400,
          'VALIDATION_FAILED',
        ],
        [
          'missing field',
          () => send({ body: { ...route.valid, [firstField]: undefined } }),
          400,
          'VALIDATION_FAILED',
        ],
        ['extra field', () => send({ body: { ...route.valid, role: 'admin' } }), 400, 'VALIDATION_FAILED'],
        [
          'prototype poisoning',
          () => send({ raw: `{"__proto__":{"admin":true},${JSON.stringify(route.valid).slice(1)}` }),
          400,
          'BAD_REQUEST',
        ],
        [
          '17 KiB body',
          () => send({ body: { ...route.valid, pad: 'x'.repeat(17 * KIB) } }),
          413,
          'PAYLOAD_TOO_LARGE',
        ],
        [
          '1 MB field',
          () => send({ body: { ...route.valid, [firstField]: 'p'.repeat(1024 * KIB) } }),
          413,
          'PAYLOAD_TOO_LARGE',
        ],
        [
          'text/plain',
          () => send({ raw: JSON.stringify(route.valid), headers: { 'content-type': 'text/plain' } }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ],
        [
          'form encoded',
          () =>
            send({
              raw: 'username=a&password=b',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ],
        [
          'json with latin1 charset',
          () =>
            send({
              raw: JSON.stringify(route.valid),
              headers: { 'content-type': 'application/json; charset=latin1' },
            }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ],
        [
          'application/jsonp',
          () => send({ raw: JSON.stringify(route.valid), headers: { 'content-type': 'application/jsonp' } }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ],
        [
          'no content type',
          () => send({ raw: JSON.stringify(route.valid), headers: { 'content-type': '' } }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ],
        [
          'query parameter',
          () =>
            call(h.server, 'POST', `${route.url}?debug=1`, {
              body: route.valid,
              ...(route.auth ? { token } : {}),
            }),
          400,
          'VALIDATION_FAILED',
        ],
      ];
      for (const [name, run, status, code] of cases) {
        test(`${name} → ${status} ${code}`, async () => {
          const res = await run();
          assert.equal(res.statusCode, status, res.body.slice(0, 200));
          assert.equal(problem(res).code, code);
        });
      }

      test('JSON with charset=utf-8 (any case, quoted) is accepted', async () => {
        for (const ct of ['application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
          const res = await send({ body: route.valid, headers: { 'content-type': ct } });
          assert.ok(res.statusCode !== 415 && res.statusCode < 500, `${ct}: ${res.statusCode}`);
        }
      });

      test('arbitrary JSON bodies never give a 5xx (property, fixed seed)', async () => {
        await fc.assert(
          fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
            const res = await send({ raw: JSON.stringify(value) ?? 'null' });
            assert.ok(
              res.statusCode >= 200 && res.statusCode < 500,
              `${res.statusCode} for ${JSON.stringify(value)}`,
            );
            if (res.statusCode >= 400) problem(res);
          }),
          { numRuns: 40, seed: 4 },
        );
      });
    });
  }

  test('10k-character usernames → 400 VALIDATION_FAILED (register and login)', async () => {
    for (const url of ['/auth/register', '/auth/login']) {
      const res = await call(h.server, 'POST', url, {
        body: { username: 'u'.repeat(10_000), password: PASSWORD },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(problem(res).code, 'VALIDATION_FAILED');
      assert.ok(!res.body.includes('uuuuuuuu'), 'value echoed');
    }
  });

  test('a 1025-byte password within the body limit → 400 VALIDATION_FAILED', async () => {
    const ascii = 'p'.repeat(1025);
    const multibyte = 'é'.repeat(513); // 513 characters, 1026 bytes: only the byte rule catches it
    for (const password of [ascii, multibyte]) {
      const res = await call(h.server, 'POST', '/auth/register', { body: { username: 'longpw', password } });
      assert.equal(res.statusCode, 400);
      assert.equal(problem(res).code, 'VALIDATION_FAILED');
    }
    const login = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'victim', password: ascii },
    });
    assert.equal(login.statusCode, 400);
    const change = await call(h.server, 'POST', '/auth/password', {
      token,
      body: { current_password: PASSWORD, new_password: multibyte },
    });
    assert.equal(change.statusCode, 400, change.body);
    assert.equal(problem(change).code, 'VALIDATION_FAILED');
  });

  test('a password of exactly 1024 bytes is accepted', async () => {
    const res = await call(h.server, 'POST', '/auth/register', {
      body: { username: 'maxpw', password: 'é'.repeat(512) },
    });
    assert.equal(res.statusCode, 201);
  });

  test('usernames with control characters → 400', async () => {
    const res = await call(h.server, 'POST', '/auth/register', {
      body: { username: 'bad\u0000name', password: PASSWORD },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(problem(res).code, 'VALIDATION_FAILED');
  });

  test('unknown routes and methods → 404 problem+json', async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['POST', '/auth/unknown'],
      ['PUT', '/auth/login'],
      ['GET', '/auth/login'],
      ['PATCH', '/auth/me'],
      ['GET', '/admin/nope'],
      ['GET', '/../../etc/passwd'],
    ] as const) {
      const res = await call(h.server, method, url);
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(problem(res).code, 'NOT_FOUND');
    }
  });

  test('body-less routes refuse a body (an empty object is fine)', async () => {
    const bad = await call(h.server, 'POST', '/auth/logout-all', { token, body: { everything: true } });
    assert.equal(bad.statusCode, 400);
    assert.equal(problem(bad).code, 'VALIDATION_FAILED');
    const wrongType = await call(h.server, 'POST', '/auth/logout-all', {
      token,
      raw: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(wrongType.statusCode, 415);
  });

  test('a too-long session id → 4xx, never 5xx', async () => {
    for (const id of ['x'.repeat(129), 'x'.repeat(300), '%00', '%E0%A4%A']) {
      const res = await call(h.server, 'DELETE', `/auth/sessions/${id}`, { token });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${id.slice(0, 10)}: ${res.statusCode}`);
      problem(res);
    }
  });

  test('query parameters on GET endpoints → 400', async () => {
    for (const url of ['/healthz?x=1', '/.well-known/jwks.json?kid=1', '/auth/sessions?all=1']) {
      const res = await call(h.server, 'GET', url, { token });
      assert.equal(res.statusCode, 400, url);
      assert.equal(problem(res).code, 'VALIDATION_FAILED');
    }
  });

  test('an absurd Authorization header → 401, not 5xx', async () => {
    for (const value of [`Bearer ${'a'.repeat(9000)}`, 'Bearer a b c', 'Bearer \u00e9', 'Bearer ....']) {
      const res = await call(h.server, 'GET', '/auth/me', { headers: { authorization: value } });
      assert.equal(res.statusCode, 401);
      problem(res);
    }
  });
});
