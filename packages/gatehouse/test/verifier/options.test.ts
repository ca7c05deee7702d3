import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKey } from '../../src/index.js';
import { createVerifier } from '../../src/verifier/create-verifier.js';
import type { VerifierOptions } from '../../src/verifier/options.js';

const SECRET = 'x'.repeat(32);
const revocation = { clientId: 'rs', clientSecret: 'feed-secret' };

describe('createVerifier option validation', () => {
  const cases: [string, unknown, string][] = [
    ['no key source', {}, 'issuer'],
    ['short secret', { secret: 'x'.repeat(31) }, 'secret'],
    ['short binary secret', { secret: new Uint8Array(16) }, 'secret'],
    ['secret of the wrong type', { secret: 42 }, 'secret'],
    ['two key sources', { secret: SECRET, jwksUrl: 'https://a.example/jwks' }, 'jwksUrl'],
    ['issuer not a URL', { issuer: 'not a url' }, 'issuer'],
    ['issuer not http', { issuer: 'ftp://a.example' }, 'issuer'],
    ['jwksUrl not a URL', { jwksUrl: '/relative' }, 'jwksUrl'],
    ['credentials in a URL', { jwksUrl: 'https://user:pw@a.example/jwks' }, 'jwksUrl'],
    [
      'credentials in the feed URL',
      { secret: SECRET, revocation: { ...revocation, url: 'https://rs:pw@a.example/auth/revocations' } },
      'revocation.url',
    ],
    ['empty algorithms', { issuer: 'https://a.example', algorithms: [] }, 'algorithms'],
    ['alg none', { issuer: 'https://a.example', algorithms: ['none'] }, 'algorithms'],
    ['HS with a remote JWKS', { issuer: 'https://a.example', algorithms: ['HS256'] }, 'algorithms'],
    ['RS with a secret', { secret: SECRET, algorithms: ['RS256'] }, 'algorithms'],
    ['bad audience', { secret: SECRET, audience: [''] }, 'audience'],
    ['bad clockTolerance', { secret: SECRET, clockTolerance: -1 }, 'clockTolerance'],
    ['bad clockTolerance string', { secret: SECRET, clockTolerance: '5 parsecs' }, 'clockTolerance'],
    ['bad typ', { secret: SECRET, typ: '' }, 'typ'],
    ['bad cache', { secret: SECRET, cache: { max: 0 } }, 'cache.max'],
    ['bad fetch', { secret: SECRET, fetch: 'nope' }, 'fetch'],
    ['bad clock', { secret: SECRET, clock: 1 }, 'clock'],
    ['bad jwks.cooldown', { issuer: 'https://a.example', jwks: { cooldown: Number.NaN } }, 'jwks.cooldown'],
    [
      'jwks max < min',
      { issuer: 'https://a.example', jwks: { minCacheAge: 60, maxCacheAge: 10 } },
      'jwks.maxCacheAge',
    ],
    ['revocation without url or issuer', { secret: SECRET, revocation }, 'revocation.url'],
    [
      'revocation without clientId',
      { issuer: 'https://a.example', revocation: { clientSecret: 's' } },
      'revocation.clientId',
    ],
    [
      'revocation without secret',
      { issuer: 'https://a.example', revocation: { clientId: 'c' } },
      'revocation.clientSecret',
    ],
    [
      'revocation wait > 25',
      { issuer: 'https://a.example', revocation: { ...revocation, wait: 30 } },
      'revocation.wait',
    ],
    [
      'revocation interval 0',
      { issuer: 'https://a.example', revocation: { ...revocation, interval: 0 } },
      'revocation.interval',
    ],
    [
      'maxStaleness not above wait',
      { issuer: 'https://a.example', revocation: { ...revocation, wait: 20, maxStaleness: '10s' } },
      'revocation.maxStaleness',
    ],
    ['revocation not an object', { issuer: 'https://a.example', revocation: 'yes' }, 'revocation'],
    ['keys not a key', { keys: { keys: 'nope' } }, 'keys'],
  ];
  for (const [name, options, option] of cases) {
    it(`${name} → OPTION_INVALID naming ${option}`, () => {
      assert.throws(
        () => createVerifier(options as VerifierOptions),
        (err: unknown) => {
          const e = err as { code?: string; claim?: string; message?: string };
          assert.equal(e.code, 'OPTION_INVALID');
          assert.equal(e.claim, option);
          assert.ok(e.message?.includes(option), e.message);
          return true;
        },
      );
    });
  }

  it('never puts the secret in the message', () => {
    const secret = 'hunter2-hunter2-hunter2';
    assert.throws(
      () => createVerifier({ secret }),
      (err: Error) => !err.message.includes(secret),
    );
  });

  it('accepts the documented modes', () => {
    const key = generateKey('ES256');
    for (const options of [
      { secret: SECRET },
      { keys: key },
      { keys: { keys: [] } },
      { jwksUrl: 'https://a.example/jwks.json', clockTolerance: '10s' },
      { issuer: 'https://a.example', audience: 'gatehouse', typ: false as const, cache: false as const },
    ]) {
      createVerifier(options).close();
    }
  });
});
