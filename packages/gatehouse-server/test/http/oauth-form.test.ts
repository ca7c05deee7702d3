/** The strict form parser of `/oauth/*` (RFC 6749 appendix B). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseForm } from '../../src/http/form-parser.js';
import { OAuthError, toOAuthError } from '../../src/http/oauth-error.js';

test('decodes + and percent-escapes (UTF-8); empty values count as omitted', () => {
  const form = parseForm('a=b+c&d=%C3%A9%2B&e=&f&g=x%3Dy');
  assert.deepEqual({ ...form }, { a: 'b c', d: 'é+', g: 'x=y' });
  assert.equal(Object.getPrototypeOf(form), null);
  assert.deepEqual({ ...parseForm('') }, {});
  assert.deepEqual({ ...parseForm('a=1&&b=2') }, { a: '1', b: '2' });
});

test('__proto__ and constructor are plain names', () => {
  const form = parseForm('__proto__=x&constructor=y');
  assert.equal(form.__proto__, 'x');
  assert.equal(form.constructor, 'y');
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('refused: repeats (even empty), bad escapes, bad UTF-8, nameless, too many', () => {
  for (const body of [
    'a=1&a=2',
    'a=&a=1',
    'a=%',
    'a=%zz',
    'a=%C3',
    'a=%FF',
    '=x',
    '%E0%A4%A=1',
    'p=1&'.repeat(33),
  ]) {
    assert.throws(
      () => parseForm(body),
      (err: unknown) => err instanceof OAuthError && err.error === 'invalid_request' && err.status === 400,
      body,
    );
  }
});

test('errors never leak: unknown failures are server_error without detail', () => {
  const mapped = toOAuthError(new Error('database password is hunter2'));
  assert.deepEqual(mapped, {
    status: 500,
    error: 'server_error',
    description: 'An unexpected error occurred',
  });
});
