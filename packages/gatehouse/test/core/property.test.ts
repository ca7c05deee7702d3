// Property tests (fast-check): a mutated token never verifies, and bad input of any shape
// only ever produces a GatehouseError (never a TypeError, a crash or a hang).
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeCanonical } from '../../src/core/base64url.js';
import { parseJsonObject } from '../../src/core/json.js';
import {
  type Algorithm,
  createJwtVerifier,
  decodeJwt,
  GatehouseError,
  generateKey,
  type Key,
  signJwt,
  toPublicKey,
  verifyJwt,
} from '../../src/index.js';
import { forge } from './helpers.js';

const NOW = 1_700_000_000;
const ALGS: Algorithm[] = ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'];
const KEYS = new Map<Algorithm, { sign: Key; verify: Key }>(
  ALGS.map((alg) => {
    const key = generateKey(alg, { kid: alg });
    return [alg, { sign: key, verify: key.type === 'secret' ? key : toPublicKey(key) }];
  }),
);
const options = { algorithms: ALGS, now: NOW };

function onlyGatehouseErrors(run: () => unknown): 'ok' | 'refused' {
  try {
    run();
    return 'ok';
  } catch (err) {
    if (!(err instanceof GatehouseError)) throw err;
    return 'refused';
  }
}

const claimsArb = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  ),
  { maxKeys: 6 },
);

const tokenArb = fc.record({ alg: fc.constantFrom(...ALGS), claims: claimsArb }).map(({ alg, claims }) => {
  const { exp: _e, nbf: _n, iat: _i, aud: _a, iss: _s, sub: _u, jti: _j, ...rest } = claims;
  return { alg, token: signJwt({ ...rest, exp: NOW + 60 }, KEYS.get(alg)!.sign) };
});

// Characters that matter to a parser: the alphabet, separators, padding, the other base64
// alphabet, whitespace, non-ASCII.
const charArb = fc.constantFrom(...'AQgw09azZ_-.=+/ \n\u00e9\u0000\u{1F600}'.split(''), '\u{1F600}');

const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: charArb }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: charArb }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(2), b: fc.nat(2) }),
  fc.record({ kind: fc.constant('flipbit' as const), at: fc.nat(), bit: fc.nat(6) }),
);

type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutate(token: string, m: Mutation): string {
  switch (m.kind) {
    case 'replace': {
      const i = m.at % token.length;
      return token.slice(0, i) + m.char + token.slice(i + 1);
    }
    case 'insert': {
      const i = m.at % (token.length + 1);
      return token.slice(0, i) + m.char + token.slice(i);
    }
    case 'delete': {
      const i = m.at % token.length;
      return token.slice(0, i) + token.slice(i + 1);
    }
    case 'truncate':
      return token.slice(0, m.at % token.length);
    case 'swap': {
      const parts = token.split('.');
      [parts[m.a], parts[m.b]] = [parts[m.b]!, parts[m.a]!];
      return parts.join('.');
    }
    case 'flipbit': {
      const i = m.at % token.length;
      return token.slice(0, i) + String.fromCharCode(token.charCodeAt(i) ^ (1 << m.bit)) + token.slice(i + 1);
    }
  }
}

describe('properties', () => {
  it('valid tokens verify (sanity of the generators)', () => {
    fc.assert(
      fc.property(tokenArb, ({ alg, token }) => {
        assert.equal(
          onlyGatehouseErrors(() => verifyJwt(token, KEYS.get(alg)!.verify, options)),
          'ok',
        );
      }),
      { numRuns: 100 },
    );
  });

  it('any mutation of a valid token never verifies and only throws GatehouseError', () => {
    fc.assert(
      fc.property(tokenArb, mutationArb, ({ alg, token }, m) => {
        const mutated = mutate(token, m);
        fc.pre(mutated !== token);
        assert.equal(
          onlyGatehouseErrors(() => verifyJwt(mutated, KEYS.get(alg)!.verify, options)),
          'refused',
        );
      }),
      { numRuns: 400 },
    );
  });

  it('the cached verifier agrees: a mutation of a cached token never hits', () => {
    const verify = createJwtVerifier(KEYS.get('EdDSA')!.verify, {
      algorithms: ['EdDSA'],
      cache: { max: 50 },
      clock: () => NOW,
    });
    const token = signJwt({ sub: 'a', exp: NOW + 60 }, KEYS.get('EdDSA')!.sign);
    verify(token);
    fc.assert(
      fc.property(mutationArb, (m) => {
        const mutated = mutate(token, m);
        fc.pre(mutated !== token);
        assert.equal(
          onlyGatehouseErrors(() => verify(mutated)),
          'refused',
        );
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary strings only ever produce GatehouseError (verify and decode)', () => {
    const key = KEYS.get('HS256')!.verify;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.array(fc.base64String(), { maxLength: 4 }).map((a) => a.join('.')),
        ),
        (s) => {
          onlyGatehouseErrors(() => verifyJwt(s, key, options));
          onlyGatehouseErrors(() => decodeJwt(s));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('correctly signed tokens with arbitrary JSON header and payload: verified or GatehouseError', () => {
    const key = KEYS.get('HS256')!;
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.jsonValue(),
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
        (payload, extra, header) => {
          const h = { ...header, alg: 'HS256' };
          onlyGatehouseErrors(() =>
            verifyJwt(forge(h, JSON.stringify(payload), key.sign), key.verify, options),
          );
          onlyGatehouseErrors(() =>
            verifyJwt(forge(JSON.stringify(extra), JSON.stringify(payload), key.sign), key.verify, options),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('canonical base64url', () => {
  it('decodeCanonical accepts exactly the strings that re-encode to themselves', () => {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');
    const odd = [...'+/=. !\n\t\r\u0000\u00ff\u0100\u0141\u4141\uffff\ud800é*%~'];
    const stringArb = fc
      .array(
        fc.oneof(
          { weight: 20, arbitrary: fc.constantFrom(...chars) },
          { weight: 1, arbitrary: fc.constantFrom(...odd) },
        ),
        {
          maxLength: 40,
        },
      )
      .map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.oneof(
          stringArb,
          fc.string(),
          fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64url')),
        ),
        (s) => {
          const definition = Buffer.from(s, 'base64url').toString('base64url') === s;
          assert.equal(decodeCanonical(s) !== undefined, definition);
          if (definition) assert.deepEqual(decodeCanonical(s), Buffer.from(s, 'base64url'));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('strict UTF-8 JSON', () => {
  it('parseJsonObject refuses exactly the byte strings that are not valid UTF-8 JSON objects', () => {
    const byteArb = fc.oneof(
      fc
        .uint8Array({ maxLength: 12 })
        .map((b) => Buffer.concat([Buffer.from('{"a":"'), b, Buffer.from('"}')])),
      fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => Buffer.from(JSON.stringify({ a: s }))),
    );
    fc.assert(
      fc.property(byteArb, (bytes) => {
        let expected: unknown;
        try {
          expected = isUtf8(bytes)
            ? JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
            : undefined;
        } catch {
          expected = undefined;
        }
        assert.deepEqual(parseJsonObject(bytes), expected);
      }),
      { numRuns: 1000 },
    );
  });
});
