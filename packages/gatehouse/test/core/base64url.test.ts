import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64urlDecode, base64urlEncode, isCanonicalBase64url } from '../../src/index.js';

describe('base64url', () => {
  it('encodes without padding in the URL-safe alphabet', () => {
    assert.equal(base64urlEncode(new Uint8Array([0xfb, 0xff])), '-_8');
    assert.equal(base64urlEncode('hi'), 'aGk');
    assert.equal(base64urlEncode(''), '');
    assert.equal(base64urlEncode(new Uint8Array(new Uint8Array([9, 1, 2, 3]).buffer, 1, 2)), 'AQI');
  });

  const table: [string, boolean][] = [
    ['', true],
    ['AQAB', true],
    ['aGk', true],
    ['-_8', true],
    ['AQ', true],
    ['A', false],
    ['AQ==', false],
    ['aGk=', false],
    ['AR', false],
    ['aGl', false],
    ['+/8', false],
    ['a b', false],
    ['AQAB\n', false],
    ['é', false],
    ['\u0141AAA', false],
  ];
  for (const [s, ok] of table) {
    it(`${JSON.stringify(s)} is ${ok ? '' : 'not '}canonical`, () => {
      assert.equal(isCanonicalBase64url(s), ok);
      if (ok) assert.equal(base64urlEncode(base64urlDecode(s)), s);
      else assert.throws(() => base64urlDecode(s), { code: 'TOKEN_MALFORMED' });
    });
  }

  it('refuses non-strings', () => {
    assert.equal(isCanonicalBase64url(1 as unknown as string), false);
    assert.throws(() => base64urlDecode(null as unknown as string), { code: 'TOKEN_MALFORMED' });
  });
});
