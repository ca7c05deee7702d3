/** Form-encoded requests and RFC 6749 error assertions for the `/oauth/*` tests. */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { AuthServer } from '../../src/http/server.js';

export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** POSTs a form (an object is encoded; a string is sent as is). */
export function postForm(
  server: AuthServer,
  url: string,
  body: Record<string, string> | string | undefined,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const payload =
    typeof body === 'string' || body === undefined ? body : new URLSearchParams(body).toString();
  const all: Record<string, string> = { ...headers };
  if (payload !== undefined && all['content-type'] === undefined) all['content-type'] = FORM_TYPE;
  return server.app.inject({
    method: 'POST',
    url,
    headers: all,
    ...(payload === undefined ? {} : { payload }),
  });
}

/** `Authorization: Basic` per RFC 6749 section 2.3.1. */
export function basic(id: string, secret: string): Record<string, string> {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return { authorization: `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}` };
}

/** Asserts an RFC 6749 section 5.2 error response and returns its `error`. */
export function oauthError(res: LightMyRequestResponse, status: number, error: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json();
  assert.equal(body.error, error, res.body);
  assert.equal(typeof body.error_description, 'string');
  assert.match(body.error_description, /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
  assert.ok(!('code' in body) && !('status' in body), 'not problem+json');
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.ok(!/\bat .+:\d+:\d+/.test(res.body), 'no stack trace');
}

/** The payload of a JWS, decoded without verification (test inspection only). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}
