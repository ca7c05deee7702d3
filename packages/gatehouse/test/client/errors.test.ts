/**
 * Errors: problem+json codes carried onto the catalogue (unknown codes kept in serverCode),
 * options checked at construction, strict token-pair parsing, no secrets in messages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorFromResponse } from '../../src/client/errors.js';
import {
  type ClientError,
  codeForStatus,
  createClient,
  GatehouseError,
  isGatehouseError,
} from '../../src/client/index.js';
import { peekClaims } from '../../src/client/jwt-claims.js';
import { AUTH, createFakeServer } from './fake-server.js';

const problem = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

describe('server errors', () => {
  test('a catalogued code is kept, with the HTTP status, detail and Retry-After', async () => {
    const err = await errorFromResponse(
      problem(
        429,
        {
          type: 't',
          title: 'Too many attempts',
          status: 429,
          code: 'TOO_MANY_ATTEMPTS',
          detail: 'Slow down',
        },
        { 'retry-after': '30' },
      ),
    );
    assert.ok(err instanceof GatehouseError && isGatehouseError(err));
    assert.equal(err.code, 'TOO_MANY_ATTEMPTS');
    assert.equal(err.serverCode, 'TOO_MANY_ATTEMPTS');
    assert.equal(err.httpStatus, 429);
    assert.equal(err.retryAfter, 30);
    assert.equal(err.message, 'Slow down');
  });

  test('an unknown code falls back by status and stays readable in serverCode', async () => {
    const err = await errorFromResponse(problem(403, { status: 403, code: 'SOMETHING_NEW', detail: 'x' }));
    assert.equal(err.code, 'INSUFFICIENT_SCOPE');
    assert.equal(err.serverCode, 'SOMETHING_NEW');
  });

  test('a body that is not JSON, or none, still gives a catalogued code', async () => {
    for (const [status, code] of [
      [500, 'INTERNAL_ERROR'],
      [502, 'INTERNAL_ERROR'],
      [503, 'SERVICE_UNAVAILABLE'],
      [401, 'UNAUTHORIZED'],
      [404, 'NOT_FOUND'],
      [418, 'BAD_REQUEST'],
    ] as const) {
      const err = await errorFromResponse(problem(status, '<html>oops</html>'));
      assert.equal(err.code, code);
      assert.equal(err.serverCode, undefined);
      assert.equal(codeForStatus(status), code);
    }
  });

  test('login errors carry the server code; the password never appears in the error', async () => {
    const server = createFakeServer({ now: () => 0 });
    const client = createClient({ baseUrl: AUTH, fetch: server.fetch });
    const password = 'hunter2-very-secret';
    await assert.rejects(client.login({ username: 'alice', password }), (err: ClientError) => {
      assert.equal(err.code, 'INVALID_CREDENTIALS');
      assert.equal(err.httpStatus, 401);
      assert.doesNotMatch(JSON.stringify({ ...err, message: err.message, stack: err.stack }), /hunter2/);
      return true;
    });
    await assert.rejects(client.register({ username: 'taken', password }), { code: 'USERNAME_TAKEN' });
    assert.equal((await client.register({ username: 'bob', password })).username, 'bob');
    await assert.rejects(client.login({ username: 'alice' } as never), { code: 'VALIDATION_FAILED' });
  });

  test('a malformed token response is refused (bad_response), without echoing it', async () => {
    for (const body of [
      '{"access_token":"a"}',
      'not json',
      '{"access_token":"a","token_type":"Bearer","expires_in":-1,"refresh_token":"ghr_x","refresh_expires_in":1,"session_id":"s"}',
      '{"access_token":"a","token_type":"Bearer","expires_in":60,"refresh_expires_in":1,"session_id":"s"}',
      '[]',
    ]) {
      const client = createClient({
        baseUrl: AUTH,
        fetch: (async () =>
          new Response(body, {
            status: 200,
            headers: { 'content-type': 'application/json' },
          })) as typeof fetch,
      });
      await assert.rejects(
        client.login({ username: 'alice', password: 'correct horse' }),
        (err: ClientError) => {
          assert.equal(err.code, 'INTERNAL_ERROR');
          assert.equal(err.reason, 'bad_response');
          assert.doesNotMatch(err.message, /ghr_/);
          return true;
        },
      );
      assert.equal(client.session, null);
    }
  });
});

describe('options', () => {
  test('bad options throw OPTION_INVALID naming the option', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ baseUrl: 'not a url' }, 'baseUrl'],
      [{ baseUrl: 'ftp://x' }, 'baseUrl'],
      [{ baseUrl: AUTH, storage: 'localStorage' }, 'storage'],
      [{ baseUrl: AUTH, storage: { get() {} } }, 'storage'],
      [{ baseUrl: AUTH, refreshMargin: -1 }, 'refreshMargin'],
      [{ baseUrl: AUTH, refreshMargin: 'soon' }, 'refreshMargin'],
      [{ baseUrl: AUTH, expiringWarning: Number.NaN }, 'expiringWarning'],
      [{ baseUrl: AUTH, tokenOrigins: ['javascript:alert(1)'] }, 'tokenOrigins'],
      [{ baseUrl: AUTH, cookieMode: 'yes' }, 'cookieMode'],
      [{ baseUrl: AUTH, locks: {} }, 'locks'],
      [{ baseUrl: AUTH, clock: 5 }, 'clock'],
    ];
    for (const [options, name] of cases) {
      assert.throws(
        () => createClient(options as never),
        (err: ClientError) => {
          assert.equal(err.code, 'OPTION_INVALID');
          assert.equal(err.reason, name);
          assert.match(err.message, new RegExp(name));
          return true;
        },
      );
    }
  });

  test('the injected fetch is called detached, as a browser window.fetch requires', async () => {
    const server = createFakeServer({ now: () => Date.now() });
    const strictFetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return server.fetch(input, init);
    } as typeof fetch;
    const client = createClient({ baseUrl: AUTH, fetch: strictFetch });
    await client.login({ username: 'alice', password: 'correct horse' });
    assert.equal((await client.me()).id, 'u1');
    await client.logout();
  });

  test('durations accept seconds and strings', () => {
    assert.doesNotThrow(() =>
      createClient({ baseUrl: AUTH, refreshMargin: 0.5, expiringWarning: '10 minutes' }),
    );
  });
});

describe('peekClaims', () => {
  test('reads timing claims from a JWS payload and tolerates anything else', () => {
    const payload = Buffer.from(
      JSON.stringify({ iat: 10, exp: 70, sub: 'u', roles: ['a'], username: 'ü' }),
    ).toString('base64url');
    assert.deepEqual(peekClaims(`e30.${payload}.sig`), {
      iat: 10,
      exp: 70,
      sub: 'u',
      roles: ['a'],
      username: 'ü',
    });
    for (const bad of [
      '',
      'opaque',
      'a.b',
      'a.!!!.c',
      `e30.${Buffer.from('[1]').toString('base64url')}.s`,
      'e30.bm90IGpzb24.s',
    ]) {
      assert.deepEqual(peekClaims(bad), {});
    }
    const strange = Buffer.from(JSON.stringify({ iat: '10', exp: null, roles: [1] })).toString('base64url');
    assert.deepEqual(peekClaims(`e30.${strange}.s`), {});
  });
});
