/**
 * Property-based fuzzing (fast-check, fixed seed, bounded runs) of every endpoint of a real
 * server, read from its OpenAPI document: arbitrary bodies (JSON values, objects with the
 * API's own field names and hostile values, forms, raw strings) and arbitrary headers
 * (Authorization, Cookie, Origin, Gatehouse-CSRF, Sec-Fetch-Site, X-Forwarded-For behind a
 * trusted proxy, Content-Type). Properties: never a 5xx, never a stack trace or internal
 * detail, every error well-formed; and the server answers correctly afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { adminToken, fill, listOperations, type Operation, wellFormedError } from './endpoints.js';
import { http, type LiveServer, leaksInternals, loginLive, PASSWORD, startLive } from './helpers.js';

const SEED = 20261123;
const BODY_RUNS = 20;
const HEADER_RUNS = 12;

let live: LiveServer;
let ops: Operation[];
let token: string;
let refreshToken: string;
let iterations = 0;

before(async () => {
  live = await startLive({
    env: { GATEHOUSE_TRUST_PROXY: 'true', GATEHOUSE_CORS_ORIGINS: 'https://app.example.com' },
  });
  ops = await listOperations(live);
  token = await adminToken(live);
  refreshToken = (await loginLive(live, 'fuzz-user')).refresh_token;
});
after(async () => {
  console.log(`fuzz iterations: ${iterations} over ${ops.length} operations (seed ${SEED})`);
  await live.close();
});

const printable = (max: number) =>
  fc.array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: max }).map((a) => String.fromCharCode(...a));

/** Values that have broken parsers and validators before. */
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 80 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a'.repeat(2000),
    'é'.repeat(600),
    '\uD800',
    'ﬀ'.repeat(40),
    'ghr_',
    'ghr_' + 'A'.repeat(43),
    '../../etc/passwd',
    "' OR 1=1 --",
    '__proto__',
    'constructor',
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    true,
    null,
    [],
    {},
  ),
);

const FIELDS = [
  'username',
  'password',
  'refresh_token',
  'current_password',
  'new_password',
  'grant_type',
  'token',
  'token_type_hint',
  'client_id',
  '__proto__',
];

const bodyArb = fc.oneof(
  fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 4 }) }),
  fc.record({
    kind: fc.constant('json' as const),
    value: fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 4 }),
  }),
  fc.record({
    kind: fc.constant('form' as const),
    value: fc.dictionary(fc.constantFrom(...FIELDS), fc.string({ maxLength: 60 }), { maxKeys: 4 }),
  }),
  fc.record({ kind: fc.constant('raw' as const), value: fc.string({ maxLength: 300 }) }),
);

const headerArb = fc.record(
  {
    authorization: fc.oneof(
      printable(80),
      printable(60).map((s) => `Bearer ${s}`),
      fc.constant('Bearer '),
      fc.constant(''),
    ),
    cookie: fc.oneof(
      printable(80),
      printable(60).map((s) => `gatehouse_refresh=${s}`),
      fc.constant(''),
    ),
    origin: fc.oneof(
      printable(40),
      fc.constantFrom('null', 'http://127.0.0.1:5000', 'https://app.example.com', 'https://evil.example'),
    ),
    'gatehouse-csrf': fc.oneof(printable(4), fc.constant('1')),
    'sec-fetch-site': fc.constantFrom('cross-site', 'same-origin', 'same-site', 'none', 'x'),
    'x-forwarded-for': fc.oneof(printable(60), fc.ipV4(), fc.ipV6(), fc.constant('unknown, 10.0.0.1')),
    'content-type': fc.oneof(
      printable(40),
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/x-www-form-urlencoded',
        'text/plain',
      ),
    ),
    accept: printable(40),
  },
  { requiredKeys: [] },
);

function encode(body: { kind: 'json' | 'form' | 'raw'; value: unknown }): { raw: string; type: string } {
  if (body.kind === 'json') return { raw: JSON.stringify(body.value) ?? 'null', type: 'application/json' };
  if (body.kind === 'form') {
    return {
      raw: new URLSearchParams(body.value as Record<string, string>).toString(),
      type: 'application/x-www-form-urlencoded',
    };
  }
  return { raw: String(body.value), type: 'application/json' };
}

function check(op: Operation, res: { status: number; headers: Headers; text: string }, what: string): void {
  const where = `${op.method} ${op.template} ${what} → ${res.status} ${res.text.slice(0, 160)}`;
  assert.ok(res.status < 500, where);
  assert.ok(!leaksInternals(res.text), `leak: ${where}`);
  if (res.status >= 400) assert.ok(wellFormedError(op, res), `error body: ${where}`);
}

describe('fuzzing every endpoint', () => {
  test('bodies: never a 5xx, a leak or a malformed error', async () => {
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(
          bodyArb,
          fc.constantFrom(token, 'junk'),
          fc.string({ maxLength: 40 }),
          async (body, bearer, param) => {
            const { raw, type } = encode(body);
            const res = await http(live, op.method, fill(op.template, param || 'x'), {
              ...(op.method === 'GET' ? {} : { raw }),
              headers: {
                'content-type': type,
                authorization: `Bearer ${bearer}`,
                'x-forwarded-for': '198.51.100.7',
              },
            });
            iterations++;
            check(op, res, `${body.kind} ${raw.slice(0, 60)}`);
          },
        ),
        { seed: SEED, numRuns: BODY_RUNS, endOnFailure: true },
      );
    }
  });

  test('headers: never a 5xx, a leak or a malformed error', async () => {
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(headerArb, fc.boolean(), async (headers, withBody) => {
          const res = await http(live, op.method, fill(op.template, 'x'), {
            headers: headers as Record<string, string>,
            ...(withBody && op.method !== 'GET' ? { raw: op.oauth ? 'token=x' : '{}' } : {}),
          });
          iterations++;
          check(op, res, JSON.stringify(headers).slice(0, 120));
        }),
        { seed: SEED, numRuns: HEADER_RUNS, endOnFailure: true },
      );
    }
  });

  test('the server answers correctly afterwards', async () => {
    assert.equal((await http(live, 'GET', '/healthz')).status, 200);
    assert.equal((await http(live, 'GET', '/readyz')).status, 200);
    const headers = { 'x-forwarded-for': '192.0.2.200' };
    const login = await http(live, 'POST', '/auth/login', {
      body: { username: 'fuzz-user', password: PASSWORD },
      headers,
    });
    assert.equal(login.status, 200, login.text);
    const pair = login.json();
    assert.equal((await http(live, 'GET', '/auth/me', { token: pair.access_token })).status, 200);
    const refreshed = await http(live, 'POST', '/auth/token', { body: { refresh_token: refreshToken } });
    assert.equal(refreshed.status, 200, 'a session opened before the fuzzing still refreshes');
  });
});
