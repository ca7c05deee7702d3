/**
 * Oversize and malformed bodies on EVERY endpoint of a real server (taken from its OpenAPI
 * document), sent with an admin's token so that protected routes reach their body handling:
 * always a 4xx with a well-formed error body, never a 5xx or an internal detail, and the
 * server is healthy afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, fill, listOperations, type Operation, wellFormedError } from './endpoints.js';
import { http, type LiveServer, leaksInternals, loginLive, startLive } from './helpers.js';

let live: LiveServer;
let token: string;
let ops: Operation[];
let cases = 0;

before(async () => {
  live = await startLive();
  token = await adminToken(live);
  ops = await listOperations(live);
});
after(async (t) => {
  void t;
  console.log(`malformed-body cases sent: ${cases} over ${ops.length} operations`);
  await live.close();
});

const BIG = JSON.stringify({ username: 'x'.repeat(20_000), password: 'y' });
const BODIES: [string, { raw: string | Uint8Array; type?: string }, number[]][] = [
  ['over 16 KiB', { raw: BIG }, [413]],
  ['over 1 MiB', { raw: 'x'.repeat(1024 * 1024 + 1) }, [413]],
  ['malformed JSON', { raw: '{"username": "a", ' }, [400, 415]],
  ['trailing garbage', { raw: '{} x' }, [400, 415]],
  ['invalid UTF-8', { raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }, [400, 415]],
  ['JSON array', { raw: '[1,2,3]' }, [400, 415]],
  ['JSON string', { raw: '"str"' }, [400, 415]],
  ['deep nesting', { raw: `${'['.repeat(20_000)}${']'.repeat(20_000)}` }, [400, 413, 415]],
  [
    'prototype poisoning',
    { raw: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
    [400, 415],
  ],
  ['text/plain', { raw: 'username=a', type: 'text/plain' }, [400, 415]],
  ['form with JSON type mismatch', { raw: 'a=1&b=2', type: 'application/json' }, [400, 415]],
  [
    'xml',
    {
      raw: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      type: 'application/xml',
    },
    [400, 415],
  ],
  [
    'multipart',
    {
      raw: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--',
      type: 'multipart/form-data; boundary=b',
    },
    [400, 415],
  ],
  ['JSON with a latin1 charset', { raw: '{}', type: 'application/json; charset=latin1' }, [400, 415]],
];

describe('oversize and malformed bodies on every endpoint', () => {
  test('every operation refuses every bad body with a clean 4xx', async () => {
    assert.ok(ops.length >= 15, `only ${ops.length} operations`);
    for (const op of ops) {
      for (const [label, body, expected] of BODIES) {
        const path = fill(op.template, '00000000-0000-4000-8000-000000000000');
        const res = await http(live, op.method, path, {
          raw: body.raw,
          headers: { 'content-type': body.type ?? 'application/json', authorization: `Bearer ${token}` },
        });
        cases++;
        const where = `${op.method} ${op.template} ${label} → ${res.status} ${res.text.slice(0, 120)}`;
        assert.ok(!leaksInternals(res.text), `leak: ${where}`);
        // GET gives a body no meaning (RFC 9110 section 9.3.1): it is ignored, never a 5xx.
        if (op.method === 'GET' && res.status < 400) continue;
        assert.ok(res.status >= 400 && res.status < 500, where);
        assert.ok(wellFormedError(op, res), `error body: ${where}`);
        // Body-taking endpoints answer with the precise code; client-authenticated ones may
        // refuse the caller first.
        if (op.method !== 'GET' && !op.oauth && res.status !== 401 && res.status !== 403) {
          assert.ok(expected.includes(res.status), where);
        }
      }
    }
  });

  test('the server answers correctly afterwards', async () => {
    assert.equal((await http(live, 'GET', '/healthz')).status, 200);
    assert.equal((await http(live, 'GET', '/readyz')).status, 200);
    const pair = await loginLive(live, 'after-bodies');
    assert.equal((await http(live, 'GET', '/auth/me', { token: pair.access_token })).status, 200);
  });
});
