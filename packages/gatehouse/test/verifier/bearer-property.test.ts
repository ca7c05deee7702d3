import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GatehouseError } from '../../src/errors.js';
import { bearerChallenge, parseAuthorization, readCookie } from '../../src/verifier/bearer.js';
import { toAuthFailure } from '../../src/verifier/http-auth.js';

const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
// Visible ASCII and space only, as RFC 9110 allows in a header value.
const HEADER_VALUE = /^[\x20-\x7e]*$/;

describe('bearer parsing and challenges (properties)', () => {
  it('parseAuthorization never throws, and a token is always one token68 value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (header) => {
        const r = parseAuthorization(header);
        if (r.kind === 'token') assert.match(r.token, TOKEN68);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any token68 value with any case of the scheme and any spacing', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,80}={0,2}$/);
    const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR');
    const spaces = fc.stringMatching(/^[ \t]{1,4}$/);
    fc.assert(
      fc.property(scheme, spaces, token, (s, sp, t) => {
        assert.deepEqual(parseAuthorization(`${s}${sp}${t}`), { kind: 'token', token: t });
      }),
    );
  });

  it('readCookie never throws', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.string({ minLength: 1, maxLength: 10 }),
        (header, name) => {
          const v = readCookie(header, name);
          assert.ok(v === undefined || typeof v === 'string');
        },
      ),
    );
  });

  it('every challenge is a single-line, visible-ASCII header value', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 4 }),
        (realm, description, scope) => {
          const value = bearerChallenge({ realm, error: 'invalid_token', description, scope });
          assert.match(value, HEADER_VALUE);
          const failure = toAuthFailure(new GatehouseError('INSUFFICIENT_SCOPE'), realm, scope);
          for (const h of Object.values(failure.headers)) assert.match(h, HEADER_VALUE);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
