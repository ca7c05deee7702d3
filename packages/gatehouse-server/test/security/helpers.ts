/**
 * Security-suite harness: a REAL auth server listening on 127.0.0.1 (ephemeral port), driven
 * over HTTP with fetch, plus a forger that signs arbitrary header and payload bytes with the
 * server's own signing key (read from storage), so that each hostile-token case fails because
 * of the one defect it carries, never because of a bad signature.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { request } from 'node:http';
import { type Harness, type HarnessOptions, PASSWORD, startServer } from '../http/helpers.js';

export { PASSWORD };

export interface LiveServer {
  harness: Harness;
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

/** Starts a real server on 127.0.0.1:0. */
export async function startLive(options: HarnessOptions = {}): Promise<LiveServer> {
  const harness = await startServer({ logLevel: 'warn', ...options });
  const url = await harness.server.listen({ host: '127.0.0.1', port: 0 });
  return { harness, url, close: () => harness.close() };
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely, as light-my-request's json() does
  json(): any;
}

/**
 * One HTTP request over node:http (any method may carry a body, any header value is sent as
 * given); `body` is JSON-encoded unless `raw` is given. A connection the server resets after
 * answering (an over-long body) still yields the answer.
 */
export function http(
  live: LiveServer,
  method: string,
  path: string,
  options: {
    body?: unknown;
    raw?: string | Uint8Array;
    headers?: Record<string, string>;
    token?: string;
  } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(live.url + path, { method, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const h = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (Array.isArray(value)) for (const v of value) h.append(name, v);
          else if (value !== undefined) h.set(name, value);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: h, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`timeout ${method} ${path}`)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Registers (if needed) and logs a user in; returns the token pair. */
export async function loginLive(
  live: LiveServer,
  username: string,
  password = PASSWORD,
): Promise<{ access_token: string; refresh_token: string; session_id: string }> {
  const reg = await http(live, 'POST', '/auth/register', { body: { username, password } });
  if (reg.status !== 201 && reg.status !== 409) throw new Error(`register: ${reg.status}`);
  const res = await http(live, 'POST', '/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${res.text.slice(0, 200)}`);
  return res.json();
}

/** True when the body looks like a leaked stack trace or internal message. */
export function leaksInternals(text: string): boolean {
  return /\bat [^\s]+ \(?[^\s]*:\d+:\d+\)?|node:internal|\/src\/|SqliteError|TypeError|ReferenceError/.test(
    text,
  );
}

export const b64u = (input: string | Buffer): string => Buffer.from(input).toString('base64url');

export interface Forger {
  kid: string;
  alg: string;
  /** The decoded header and payload of a genuine access token. */
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** Signs the exact header and payload TEXT given (so duplicate keys etc. survive). */
  signRaw(headerJson: string, payloadJson: string): string;
  /** Signs objects, merged over the genuine header and payload (`undefined` deletes). */
  sign(headerPatch?: Record<string, unknown>, payloadPatch?: Record<string, unknown>): string;
  /** The server's private key (for signature-level attacks). */
  key: KeyObject;
}

/** A forger for the key that signed `accessToken`, read from the server's storage. */
export async function forgerFor(live: LiveServer, accessToken: string): Promise<Forger> {
  const [h, p] = accessToken.split('.');
  const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8'));
  const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8'));
  const store = await storeOf(live);
  const record = (await store.listSigningKeys()).find((k) => k.kid === header.kid);
  if (!record) throw new Error('signing key not found');
  const key = createPrivateKey({ key: JSON.parse(record.privateJwk), format: 'jwk' });
  const signRaw = (headerJson: string, payloadJson: string): string => {
    const input = `${b64u(headerJson)}.${b64u(payloadJson)}`;
    const sig =
      record.alg === 'ES256'
        ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
        : sign(record.alg === 'EdDSA' ? null : 'sha256', Buffer.from(input), key);
    return `${input}.${b64u(sig)}`;
  };
  const merge = (base: Record<string, unknown>, patch: Record<string, unknown> = {}) => {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return out;
  };
  return {
    kid: header.kid,
    alg: record.alg,
    header,
    payload,
    key,
    signRaw,
    sign: (hp, pp) => signRaw(JSON.stringify(merge(header, hp)), JSON.stringify(merge(payload, pp))),
  };
}

async function storeOf(live: LiveServer) {
  // The harness opened this SQLite file; a second connection reads the same keys.
  const { createSqliteStore } = await import('../../src/storage/sqlite/index.js');
  const store = await createSqliteStore({ path: live.harness.dbPath });
  return {
    async listSigningKeys() {
      try {
        return await store.listSigningKeys();
      } finally {
        await store.close();
      }
    },
  };
}
