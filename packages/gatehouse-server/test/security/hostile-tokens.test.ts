/**
 * Hostile access tokens against a real server (GET /auth/me, Bearer): RFC 8725 and the OWASP
 * JWT cheat sheet's attacks. Every forged token that must fail is signed with the server's
 * OWN key (test/security/helpers.ts), so it fails because of its one defect; the first case
 * proves that an unmodified re-signed token is accepted, which makes the others meaningful.
 */
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  b64u,
  type Forger,
  forgerFor,
  http,
  type LiveServer,
  leaksInternals,
  loginLive,
  startLive,
} from './helpers.js';

let live: LiveServer;
let forger: Forger;
let genuine: string;
let jwksText: string;
let forged = 0;

before(async () => {
  live = await startLive();
  const pair = await loginLive(live, 'mallory-target');
  genuine = pair.access_token;
  forger = await forgerFor(live, genuine);
  jwksText = (await http(live, 'GET', '/.well-known/jwks.json')).text;
});
after(async () => {
  console.log(`hostile tokens refused: ${forged}`);
  await live.close();
});

async function me(token: string) {
  return http(live, 'GET', '/auth/me', { headers: { authorization: `Bearer ${token}` } });
}

/** Asserts a clean 401 problem+json without internals. */
async function refused(token: string, label: string): Promise<string> {
  forged++;
  const res = await me(token);
  assert.equal(res.status, 401, `${label}: ${res.status} ${res.text.slice(0, 200)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, label);
  assert.ok(!leaksInternals(res.text), `${label} leaked internals`);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /, label);
  return res.json().code;
}

function parts(token: string): [string, string, string] {
  const [h, p, s] = token.split('.');
  return [h ?? '', p ?? '', s ?? ''];
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

describe('hostile access tokens', () => {
  test('control: the genuine token and an unmodified re-signed copy are accepted', async () => {
    assert.equal((await me(genuine)).status, 200);
    assert.equal((await me(forger.sign())).status, 200);
  });

  test('alg none (all spellings), with and without a signature', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const h = b64u(JSON.stringify({ ...forger.header, alg }));
      const p = parts(genuine)[1];
      await refused(`${h}.${p}.`, `alg ${alg} empty sig`);
      await refused(`${h}.${p}.${parts(genuine)[2]}`, `alg ${alg} with sig`);
    }
  });

  test('key confusion: HS256 signed with the public key (PEM, JWK text, JWKS text)', async () => {
    const jwks = JSON.parse(jwksText).keys as Record<string, unknown>[];
    const jwk = jwks.find((k) => k.kid === forger.kid);
    assert.ok(jwk);
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    for (const [label, secret] of [
      ['pem', String(pem)],
      ['jwk', JSON.stringify(jwk)],
      ['jwks', jwksText],
    ] as const) {
      for (const alg of ['HS256', 'HS384', 'HS512']) {
        const h = b64u(JSON.stringify({ ...forger.header, alg }));
        const input = `${h}.${parts(genuine)[1]}`;
        const mac = createHmac(`sha${alg.slice(2)}`, secret)
          .update(input)
          .digest();
        await refused(`${input}.${b64u(mac)}`, `${alg} with ${label}`);
      }
    }
  });

  test('kid path traversal and SQL-looking kids (HMAC over empty and /dev/null keys)', async () => {
    const kids = [
      '../../../../../../dev/null',
      '/dev/null',
      '..\\..\\..\\windows\\win.ini',
      "' OR '1'='1",
      "x' UNION SELECT 'secret' --",
      '1; DROP TABLE signing_keys; --',
      '%00',
      'a'.repeat(5000),
      '',
    ];
    for (const kid of kids) {
      for (const alg of ['HS256', forger.alg]) {
        const h = b64u(JSON.stringify({ ...forger.header, alg, kid }));
        const input = `${h}.${parts(genuine)[1]}`;
        const mac = createHmac('sha256', '').update(input).digest();
        await refused(`${input}.${b64u(mac)}`, `kid ${kid.slice(0, 20)} ${alg}`);
      }
      // Our real signature, but a kid we never issued.
      await refused(forger.sign({ kid }), `kid ${kid.slice(0, 20)} real sig`);
    }
    // The database is intact afterwards.
    assert.equal((await me(genuine)).status, 200);
  });

  test('jku / x5u / jwk / x5c injection: an attacker key embedded or linked is never used', async () => {
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const attackerJwk = attacker.publicKey.export({ format: 'jwk' });
    const signWithAttacker = (header: Record<string, unknown>) => {
      const input = `${b64u(JSON.stringify(header))}.${parts(genuine)[1]}`;
      const sig = sign('sha256', Buffer.from(input), { key: attacker.privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${b64u(sig)}`;
    };
    const base = { ...forger.header, alg: 'ES256' };
    const cases: [string, Record<string, unknown>][] = [
      ['jwk', { ...base, jwk: attackerJwk }],
      ['jwk no kid', { alg: 'ES256', typ: 'at+jwt', jwk: attackerJwk }],
      ['jku', { ...base, jku: 'http://127.0.0.1:1/jwks.json' }],
      ['x5u', { ...base, x5u: 'http://127.0.0.1:1/cert.pem' }],
      ['x5c', { ...base, x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] }],
    ];
    for (const [label, header] of cases) await refused(signWithAttacker(header), label);
    // The URLs are never fetched: a listener at jku / x5u sees no request.
    const seen: string[] = [];
    const trap = createServer((req, res) => {
      seen.push(String(req.url));
      res.end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const port = (trap.address() as AddressInfo).port;
    try {
      await refused(signWithAttacker({ ...base, jku: `http://127.0.0.1:${port}/jwks.json` }), 'jku trap');
      await refused(signWithAttacker({ ...base, x5u: `http://127.0.0.1:${port}/cert.pem` }), 'x5u trap');
      assert.deepEqual(seen, []);
    } finally {
      await new Promise((resolve) => trap.close(resolve));
    }
  });

  test('crit and b64:false are refused', async () => {
    await refused(forger.sign({ crit: ['exp'] }), 'crit exp');
    await refused(forger.sign({ crit: ['b64'], b64: false }), 'crit b64 false');
    await refused(forger.sign({ b64: false }), 'b64 false');
    await refused(forger.sign({ crit: [] }), 'crit empty');
    await refused(forger.sign({ crit: 'x' }), 'crit string');
  });

  test('stripped, empty and truncated signatures; extra segments', async () => {
    const [h, p, s] = parts(genuine);
    await refused(`${h}.${p}`, 'two segments');
    await refused(`${h}.${p}.`, 'empty signature');
    await refused(`${h}.${p}.${s.slice(0, -4)}`, 'truncated');
    await refused(`${h}.${p}.${s}.${s}`, 'four segments');
    await refused(`${h}.${p}.${'A'.repeat(s.length)}`, 'zero bytes');
    await refused(`.${p}.${s}`, 'empty header');
    await refused(`${h}..${s}`, 'empty payload');
    await refused('..', 'dots only');
  });

  test('ECDSA r = s = 0 (CVE-2022-21449, "psychic signatures")', async () => {
    const [h, p] = parts(forger.sign({ alg: 'ES256' }, { sub: forger.payload.sub }));
    for (const sig of [Buffer.alloc(64), Buffer.from('3006020100020100', 'hex'), Buffer.alloc(0)]) {
      await refused(`${h}.${p}.${b64u(sig)}`, `r=s=0 ${sig.length}`);
    }
  });

  test('non-canonical base64url: padding, standard alphabet, whitespace, trailing bits', async () => {
    const [h, p, s] = parts(genuine);
    await refused(`${h}=.${p}.${s}`, 'padded header');
    await refused(`${h}.${p}.${s}==`, 'padded sig');
    await refused(
      `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}${s.includes('-') || s.includes('_') ? '' : '+'}`,
      'std alphabet',
    );
    await refused(`${h}.${p} .${s}`, 'space');
    // Flip the unused low bits of the last character: same bytes, different text.
    const last = s.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const i = alphabet.indexOf(last);
    const twin = alphabet[(i & ~3) | ((i + 1) & 3)] ?? last;
    if (
      twin !== last &&
      Buffer.from(s.slice(0, -1) + twin, 'base64url').equals(Buffer.from(s, 'base64url'))
    ) {
      await refused(`${h}.${p}.${s.slice(0, -1)}${twin}`, 'non-canonical trailing bits');
    }
  });

  test('duplicate JSON keys resolve to the lexically last member (RFC 7519 section 4), consistently', async () => {
    // Every Gatehouse parser (server, verifier, adapters) takes the last duplicate, as
    // JSON.parse does, so no two components can read different claims from one token.
    const header = JSON.stringify(forger.header);
    const payload = JSON.stringify(forger.payload);
    const t = now();
    await refused(forger.signRaw(`${header.slice(0, -1)},"alg":"none"}`, payload), 'dup alg, last none');
    await refused(forger.signRaw(`${header.slice(0, -1)},"typ":"JWT"}`, payload), 'dup typ, last JWT');
    await refused(forger.signRaw(header, `${payload.slice(0, -1)},"exp":${t - 3600}}`), 'dup exp, last past');
    await refused(forger.signRaw(header, `${payload.slice(0, -1)},"iss":"https://evil.example"}`), 'dup iss');
    await refused(forger.signRaw(header, `${payload.slice(0, -1)},"sub":"someone-else"}`), 'dup sub');
    // A __proto__ member is a plain own key, never a prototype: no claim is inherited from it.
    const proto = forger.signRaw(header, `{"__proto__":{"roles":["admin"]},${payload.slice(1)}`);
    const res = await me(proto);
    if (res.status === 200) assert.deepEqual(res.json().roles, []);
    else assert.equal(res.status, 401);
  });

  test('huge and deeply nested tokens', async () => {
    await refused(forger.sign({}, { pad: 'x'.repeat(10_000) }), 'large payload');
    // 2500 levels fit under the 8 KiB token limit, so the parser really meets them.
    const deep = `${'['.repeat(2500)}1${']'.repeat(2500)}`;
    const payload = JSON.stringify(forger.payload);
    const deepSigned = forger.signRaw(JSON.stringify(forger.header), `${payload.slice(0, -1)},"n":${deep}}`);
    // Signed by us, it parses without a crash and the unknown claim is ignored.
    const ok = await me(deepSigned);
    assert.ok(ok.status === 200 || ok.status === 401, `deep signed ${ok.status}`);
    // Unsigned or with a deep header (parsed before the signature is checked): refused.
    const [dh, dp] = parts(deepSigned);
    await refused(`${dh}.${dp}.${parts(genuine)[2]}`, 'deep payload, wrong signature');
    const deepHeader = b64u(`${JSON.stringify(forger.header).slice(0, -1)},"n":${deep}}`);
    await refused(`${deepHeader}.${parts(genuine)[1]}.${parts(genuine)[2]}`, 'deep header');
    const huge = await http(live, 'GET', '/auth/me', {
      headers: { authorization: `Bearer ${'a'.repeat(15_000)}` },
    });
    assert.ok([400, 401, 431].includes(huge.status), `huge header ${huge.status}`);
    assert.ok(!leaksInternals(huge.text));
  });

  test('exp / nbf / iat as strings, floats, huge numbers, negative, null', async () => {
    const t = now();
    const bad: [string, Record<string, unknown>][] = [
      ['exp string', { exp: String(t + 600) }],
      ['exp float past', { exp: t - 10.5 }],
      ['exp negative', { exp: -1 }],
      ['exp null', { exp: null }],
      ['exp missing', { exp: undefined }],
      ['exp array', { exp: [t + 600] }],
      ['nbf string', { nbf: String(t) }],
      ['nbf future', { nbf: t + 3600 }],
      ['nbf huge', { nbf: 1e300 }],
      ['iat string', { iat: String(t) }],
      ['expired', { exp: t - 3600 }],
    ];
    for (const [label, patch] of bad) await refused(forger.sign({}, patch), label);
    // Floats within range are valid NumericDates (RFC 7519 section 2): accepted.
    assert.equal((await me(forger.sign({}, { exp: t + 600.5 }))).status, 200);
  });

  test('exp beyond any sane lifetime (1e300, 2^53 + 2) is refused', async () => {
    await refused(forger.sign({}, { exp: 1e300 }), 'exp 1e300');
    await refused(forger.sign({}, { exp: 2 ** 53 + 2 }), 'exp 2^53+2');
  });

  test('typ confusion: a refresh-like, id-token-like or missing typ is refused', async () => {
    for (const typ of ['JWT', 'jwt', 'id_token', 'application/jwt', 'rt+jwt', '', undefined, 1]) {
      await refused(forger.sign({ typ }), `typ ${String(typ)}`);
    }
    // RFC 8725 3.11: the media type is case-insensitive and may carry the application/ prefix.
    assert.equal((await me(forger.sign({ typ: 'application/at+jwt' }))).status, 200);
  });

  test('wrong iss / aud, edited roles or sub without re-signing', async () => {
    await refused(forger.sign({}, { iss: 'https://evil.example' }), 'iss');
    await refused(forger.sign({}, { iss: `${String(forger.payload.iss)}/` }), 'iss slash');
    await refused(forger.sign({}, { aud: 'someone-else' }), 'aud');
    await refused(forger.sign({}, { aud: [] }), 'aud empty');
    const [h, , s] = parts(genuine);
    for (const patch of [{ roles: ['admin'] }, { sub: 'another-user' }, { sid: 'another-session' }]) {
      const edited = b64u(JSON.stringify({ ...forger.payload, ...patch }));
      await refused(`${h}.${edited}.${s}`, `edited ${Object.keys(patch)[0]}`);
    }
  });

  test('Bearer parsing: schemes, spacing, query-string tokens', async () => {
    for (const value of [
      `Basic ${genuine}`,
      'Bearer',
      'Bearer ',
      `Bearer  ${genuine} x`,
      `Token ${genuine}`,
    ]) {
      const res = await http(live, 'GET', '/auth/me', { headers: { authorization: value } });
      assert.equal(res.status, 401, value.slice(0, 12));
    }
    const q = await http(live, 'GET', `/auth/me?access_token=${genuine}`);
    assert.ok([400, 401].includes(q.status), 'tokens are never read from the query string');
  });
});
