import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerChallenge, parseAuthorization, readCookie } from '../../src/verifier/bearer.js';

describe('parseAuthorization', () => {
  const cases: [string, string | string[] | undefined, ReturnType<typeof parseAuthorization>][] = [
    ['missing header', undefined, { kind: 'none' }],
    ['empty header', '', { kind: 'none' }],
    ['Bearer token', 'Bearer abc.def.ghi', { kind: 'token', token: 'abc.def.ghi' }],
    ['scheme is case-insensitive', 'bEaReR abc.def.ghi', { kind: 'token', token: 'abc.def.ghi' }],
    ['extra spaces around', '  Bearer    abc.def.ghi  ', { kind: 'token', token: 'abc.def.ghi' }],
    ['token68 with padding', 'Bearer abc+/=', { kind: 'token', token: 'abc+/=' }],
    ['Basic scheme is not ours', 'Basic dXNlcjpwYXNz', { kind: 'none' }],
    ['Bearer without token', 'Bearer', { kind: 'malformed' }],
    ['Bearer with spaces only', 'Bearer    ', { kind: 'malformed' }],
    ['two tokens', 'Bearer a.b.c d.e.f', { kind: 'malformed' }],
    ['comma-joined headers', 'Bearer a.b.c, Bearer d.e.f', { kind: 'malformed' }],
    ['quote in token', 'Bearer a"b', { kind: 'malformed' }],
    ['padding in the middle', 'Bearer a=b', { kind: 'malformed' }],
    ['non-ASCII token', 'Bearer tøken', { kind: 'malformed' }],
    ['newline injection', 'Bearer a\r\nX: y', { kind: 'malformed' }],
    ['several headers', ['Bearer a', 'Bearer b'], { kind: 'malformed' }],
    ['BearerX scheme', 'BearerX abc', { kind: 'none' }],
  ];
  for (const [name, header, expected] of cases) {
    it(name, () => assert.deepEqual(parseAuthorization(header), expected));
  }
});

describe('readCookie', () => {
  it('finds a cookie among others', () => {
    assert.equal(readCookie('a=1; access_token=x.y.z; b=2', 'access_token'), 'x.y.z');
  });
  it('returns the first of duplicates and unquotes', () => {
    assert.equal(readCookie('t="q.w.e"; t=second', 't'), 'q.w.e');
  });
  it('does not match a name that only ends with the wanted one', () => {
    assert.equal(readCookie('xaccess_token=1', 'access_token'), undefined);
  });
  it('handles missing header and bare parts', () => {
    assert.equal(readCookie(undefined, 't'), undefined);
    assert.equal(readCookie('flag; t=1', 't'), '1');
    assert.equal(readCookie(['a=1', 't=2'], 't'), '2');
  });
});

describe('bearerChallenge', () => {
  it('builds a bare realm challenge', () => {
    assert.equal(bearerChallenge({ realm: 'api' }), 'Bearer realm="api"');
  });
  it('adds error, description and scope', () => {
    assert.equal(
      bearerChallenge({
        realm: 'api',
        error: 'insufficient_scope',
        description: 'Need more',
        scope: ['a:r', 'b'],
      }),
      'Bearer realm="api", error="insufficient_scope", error_description="Need more", scope="a:r b"',
    );
  });
  it('escapes the realm and never lets CR/LF through', () => {
    const value = bearerChallenge({
      realm: 'a"b\\c\r\nSet-Cookie: x=1',
      error: 'invalid_token',
      description: 'x"y\\z\n',
    });
    assert.equal(
      value,
      'Bearer realm="a\\"b\\\\cSet-Cookie: x=1", error="invalid_token", error_description="x y z "',
    );
    assert.doesNotMatch(value, /[\r\n]/);
  });
  it('drops scope tokens with forbidden characters', () => {
    assert.equal(
      bearerChallenge({ realm: 'r', scope: ['ok', 'b"ad', 'x y'] }),
      'Bearer realm="r", scope="ok"',
    );
  });
});
