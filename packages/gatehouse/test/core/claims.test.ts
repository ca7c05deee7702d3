// Table-driven claim checks (STYLE.md habit 7): every check has a hostile input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKey, type JwtPayload, signJwt, type VerifyOptions, verifyJwt } from '../../src/index.js';
import { forge } from './helpers.js';

const key = generateKey('HS256');
const NOW = 1_700_000_000;
const base = { algorithms: ['HS256'], now: NOW } as const satisfies VerifyOptions;
const header = { alg: 'HS256', typ: 'at+jwt' };

interface Row {
  name: string;
  payload: Record<string, unknown> | string;
  header?: object;
  options?: Partial<VerifyOptions>;
  code?: string;
  claim?: string;
  reason?: string;
}

const rows: Row[] = [
  { name: 'valid minimal', payload: { sub: 'a' } },
  {
    name: 'valid full',
    payload: { iss: 'i', sub: 's', aud: 'a', exp: NOW + 60, nbf: NOW, iat: NOW, jti: 'j' },
    options: {
      issuer: 'i',
      audience: 'a',
      subject: 's',
      typ: 'at+jwt',
      maxTokenAge: 60,
      requiredClaims: ['exp', 'jti'],
    },
  },
  // exp
  { name: 'exp in the past', payload: { exp: NOW - 1 }, code: 'TOKEN_EXPIRED', claim: 'exp' },
  { name: 'exp equal to now', payload: { exp: NOW }, code: 'TOKEN_EXPIRED' },
  { name: 'exp within tolerance', payload: { exp: NOW - 4 }, options: { clockTolerance: '5s' } },
  {
    name: 'exp at the edge of tolerance',
    payload: { exp: NOW - 5 },
    options: { clockTolerance: 5 },
    code: 'TOKEN_EXPIRED',
  },
  {
    name: 'exp as a string',
    payload: '{"exp":"1999999999"}',
    code: 'CLAIM_INVALID',
    claim: 'exp',
    reason: 'not_a_number',
  },
  {
    name: 'exp as null',
    payload: '{"exp":null}',
    code: 'CLAIM_INVALID',
    claim: 'exp',
    reason: 'not_a_number',
  },
  { name: 'exp as an array', payload: '{"exp":[1999999999]}', code: 'CLAIM_INVALID', claim: 'exp' },
  {
    name: 'exp as a huge number (Infinity after parse)',
    payload: '{"exp":1e400}',
    code: 'CLAIM_INVALID',
    claim: 'exp',
  },
  { name: 'exp as a boolean', payload: '{"exp":true}', code: 'CLAIM_INVALID', claim: 'exp' },
  {
    name: 'exp finite but absurd (1e300)',
    payload: '{"exp":1e300}',
    code: 'CLAIM_INVALID',
    claim: 'exp',
    reason: 'out_of_range',
  },
  {
    name: 'exp beyond the year 9999 (2^53 + 2)',
    payload: { exp: 2 ** 53 + 2 },
    code: 'CLAIM_INVALID',
    claim: 'exp',
    reason: 'out_of_range',
  },
  { name: 'exp negative', payload: { exp: -1 }, code: 'CLAIM_INVALID', claim: 'exp', reason: 'out_of_range' },
  { name: 'nbf finite but absurd', payload: '{"nbf":1e300}', code: 'CLAIM_INVALID', claim: 'nbf' },
  { name: 'exp as a float within range', payload: { exp: NOW + 600.5 } },
  // nbf
  { name: 'nbf in the future', payload: { nbf: NOW + 10 }, code: 'TOKEN_NOT_YET_VALID', claim: 'nbf' },
  { name: 'nbf within tolerance', payload: { nbf: NOW + 5 }, options: { clockTolerance: 5 } },
  {
    name: 'nbf as a string',
    payload: '{"nbf":"0"}',
    code: 'CLAIM_INVALID',
    claim: 'nbf',
    reason: 'not_a_number',
  },
  // iat
  {
    name: 'iat in the future',
    payload: { iat: NOW + 10 },
    code: 'CLAIM_INVALID',
    claim: 'iat',
    reason: 'in_future',
  },
  { name: 'iat within tolerance', payload: { iat: NOW + 3 }, options: { clockTolerance: 5 } },
  {
    name: 'iat as a string',
    payload: '{"iat":"1"}',
    code: 'CLAIM_INVALID',
    claim: 'iat',
    reason: 'not_a_number',
  },
  {
    name: 'maxTokenAge exceeded',
    payload: { iat: NOW - 61 },
    options: { maxTokenAge: '1m' },
    code: 'TOKEN_TOO_OLD',
  },
  { name: 'maxTokenAge met', payload: { iat: NOW - 60 }, options: { maxTokenAge: '1m' } },
  {
    name: 'maxTokenAge without iat',
    payload: { sub: 'a' },
    options: { maxTokenAge: 60 },
    code: 'CLAIM_INVALID',
    claim: 'iat',
    reason: 'missing',
  },
  // iss
  {
    name: 'iss mismatch',
    payload: { iss: 'evil' },
    options: { issuer: 'good' },
    code: 'CLAIM_INVALID',
    claim: 'iss',
    reason: 'mismatch',
  },
  {
    name: 'iss missing',
    payload: { sub: 'a' },
    options: { issuer: 'good' },
    code: 'CLAIM_INVALID',
    claim: 'iss',
    reason: 'missing',
  },
  { name: 'iss one of several', payload: { iss: 'b' }, options: { issuer: ['a', 'b'] } },
  {
    name: 'iss as a number',
    payload: { iss: 1 },
    code: 'CLAIM_INVALID',
    claim: 'iss',
    reason: 'not_a_string',
  },
  {
    name: 'iss differing in case',
    payload: { iss: 'Good' },
    options: { issuer: 'good' },
    code: 'CLAIM_INVALID',
    claim: 'iss',
  },
  // aud
  {
    name: 'aud mismatch',
    payload: { aud: 'other' },
    options: { audience: 'api' },
    code: 'CLAIM_INVALID',
    claim: 'aud',
    reason: 'mismatch',
  },
  { name: 'aud array containing ours', payload: { aud: ['x', 'api'] }, options: { audience: 'api' } },
  {
    name: 'aud array without ours',
    payload: { aud: ['x', 'y'] },
    options: { audience: 'api' },
    code: 'CLAIM_INVALID',
    claim: 'aud',
  },
  {
    name: 'aud empty array',
    payload: { aud: [] },
    options: { audience: 'api' },
    code: 'CLAIM_INVALID',
    claim: 'aud',
  },
  {
    name: 'aud missing',
    payload: { sub: 'a' },
    options: { audience: 'api' },
    code: 'CLAIM_INVALID',
    claim: 'aud',
    reason: 'missing',
  },
  { name: 'aud [1]', payload: { aud: [1] }, code: 'CLAIM_INVALID', claim: 'aud', reason: 'not_a_string' },
  {
    name: 'aud as an object',
    payload: { aud: { api: true } },
    options: { audience: 'api' },
    code: 'CLAIM_INVALID',
    claim: 'aud',
  },
  { name: 'aud one of our several', payload: { aud: 'b' }, options: { audience: ['a', 'b'] } },
  // sub, jti
  {
    name: 'sub mismatch',
    payload: { sub: 'bob' },
    options: { subject: 'alice' },
    code: 'CLAIM_INVALID',
    claim: 'sub',
    reason: 'mismatch',
  },
  {
    name: 'sub missing',
    payload: { iss: 'x' },
    options: { subject: 'alice' },
    code: 'CLAIM_INVALID',
    claim: 'sub',
    reason: 'missing',
  },
  {
    name: 'sub as a number',
    payload: { sub: 42 },
    code: 'CLAIM_INVALID',
    claim: 'sub',
    reason: 'not_a_string',
  },
  { name: 'jti as a number', payload: { jti: 42 }, code: 'CLAIM_INVALID', claim: 'jti' },
  // required claims
  {
    name: 'required exp missing',
    payload: { sub: 'a' },
    options: { requiredClaims: ['exp'] },
    code: 'CLAIM_INVALID',
    claim: 'exp',
    reason: 'missing',
  },
  {
    name: 'required custom claim missing',
    payload: { sub: 'a' },
    options: { requiredClaims: ['sid'] },
    code: 'CLAIM_INVALID',
    claim: 'sid',
    reason: 'missing',
  },
  { name: 'required custom claim present', payload: { sid: 's1' }, options: { requiredClaims: ['sid'] } },
  // typ (RFC 8725 section 3.11)
  { name: 'typ matches', payload: { sub: 'a' }, options: { typ: 'at+jwt' } },
  {
    name: 'typ matches with application/ prefix and case',
    payload: { sub: 'a' },
    header: { alg: 'HS256', typ: 'application/AT+JWT' },
    options: { typ: 'at+jwt' },
  },
  {
    name: 'typ mismatch',
    payload: { sub: 'a' },
    header: { alg: 'HS256', typ: 'JWT' },
    options: { typ: 'at+jwt' },
    code: 'TOKEN_TYPE_INVALID',
  },
  {
    name: 'typ missing',
    payload: { sub: 'a' },
    header: { alg: 'HS256' },
    options: { typ: 'at+jwt' },
    code: 'TOKEN_TYPE_INVALID',
  },
  {
    name: 'typ not a string',
    payload: { sub: 'a' },
    header: { alg: 'HS256', typ: 1 },
    code: 'TOKEN_MALFORMED',
  },
  // payload shape
  { name: 'payload is an array', payload: '[1,2]', code: 'TOKEN_MALFORMED' },
  { name: 'payload is a string', payload: '"sub"', code: 'TOKEN_MALFORMED' },
  { name: 'payload is null', payload: 'null', code: 'TOKEN_MALFORMED' },
  { name: 'payload is not JSON', payload: '{sub:1}', code: 'TOKEN_MALFORMED' },
  { name: 'payload __proto__ key stays data', payload: '{"__proto__":{"admin":true},"sub":"a"}' },
];

describe('claims table', () => {
  for (const row of rows) {
    it(`${row.name} → ${row.code ?? 'valid'}`, () => {
      const token = forge(row.header ?? header, row.payload, key);
      const run = () => verifyJwt(token, key, { ...base, ...row.options });
      if (row.code === undefined) {
        const { payload } = run();
        assert.equal(({} as Record<string, unknown>).admin, undefined);
        assert.ok(payload);
        return;
      }
      assert.throws(run, (err: unknown) => {
        const e = err as { code: string; claim?: string; reason?: string; message: string };
        assert.equal(e.code, row.code);
        if (row.claim !== undefined) assert.equal(e.claim, row.claim);
        if (row.reason !== undefined) assert.equal(e.reason, row.reason);
        assert.ok(!e.message.includes(token.split('.')[1]!), 'the message never holds the token');
        return true;
      });
    });
  }
});

describe('claims and signJwt', () => {
  it('expiresIn and notBefore set exp, nbf and iat from now', () => {
    const t = signJwt({ sub: 'a' }, key, { now: NOW, expiresIn: '15m', notBefore: 10 });
    const { payload } = verifyJwt(t, key, { ...base, now: NOW + 10 });
    assert.deepEqual(payload, { sub: 'a', exp: NOW + 900, iat: NOW, nbf: NOW + 10 });
  });

  it('keeps an explicit iat', () => {
    const t = signJwt({ iat: NOW - 5 }, key, { now: NOW, expiresIn: 60 });
    assert.equal(verifyJwt(t, key, base).payload.iat, NOW - 5);
  });

  it('refuses to sign non-numeric exp/nbf/iat', () => {
    for (const bad of [{ exp: '1' }, { nbf: Number.NaN }, { iat: Number.POSITIVE_INFINITY }]) {
      assert.throws(() => signJwt(bad as JwtPayload, key), { code: 'CLAIM_INVALID' });
    }
  });

  it('refuses bad options naming them', () => {
    assert.throws(() => verifyJwt('a.b.c', key, { ...base, clockTolerance: 'soon' }), {
      code: 'OPTION_INVALID',
      claim: 'clockTolerance',
    });
    assert.throws(() => verifyJwt('a.b.c', key, { ...base, audience: [] }), {
      code: 'OPTION_INVALID',
      claim: 'audience',
    });
    assert.throws(() => verifyJwt('a.b.c', key, { ...base, issuer: 1 as unknown as string }), {
      code: 'OPTION_INVALID',
      claim: 'issuer',
    });
    assert.throws(() => verifyJwt('a.b.c', key, { ...base, now: Number.NaN }), { code: 'OPTION_INVALID' });
  });
});

describe('required claims are own properties', () => {
  it('an inherited name (toString) is not a present claim', () => {
    const token = forge(header, { sub: 'a' }, key);
    assert.throws(() => verifyJwt(token, key, { ...base, requiredClaims: ['toString'] }), {
      code: 'CLAIM_INVALID',
      claim: 'toString',
      reason: 'missing',
    });
  });
});
