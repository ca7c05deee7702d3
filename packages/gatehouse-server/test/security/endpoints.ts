/**
 * Every operation of a running server, read from its own OpenAPI document, so that the
 * malformed-body and fuzz suites cover each endpoint, including ones added later.
 */
import { http, type LiveServer, PASSWORD } from './helpers.js';

export interface Operation {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path with `{param}` placeholders. */
  template: string;
  /** The OAuth endpoints take forms and answer RFC 6749 error JSON. */
  oauth: boolean;
}

/** The operations of `GET /openapi.json`. */
export async function listOperations(live: LiveServer): Promise<Operation[]> {
  const doc = (await http(live, 'GET', '/openapi.json')).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const ops: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      const m = method.toUpperCase();
      if (m === 'GET' || m === 'POST' || m === 'DELETE')
        ops.push({ method: m, template, oauth: template.startsWith('/oauth/') });
    }
  }
  return ops;
}

/** The path with every parameter replaced by `value` (URL-encoded). */
export function fill(template: string, value: string): string {
  return template.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

/** An admin's access token, so that protected routes reach their body handling. */
export async function adminToken(live: LiveServer, username = 'fuzz-admin'): Promise<string> {
  await live.harness.server.service.admin.createUser({ username, password: PASSWORD, roles: ['admin'] });
  const res = await http(live, 'POST', '/auth/login', { body: { username, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`admin login ${res.status}`);
  return res.json().access_token;
}

/** True when the error body has the right media type for its endpoint and parses. */
export function wellFormedError(
  op: Operation | null,
  res: { status: number; headers: Headers; text: string },
): boolean {
  const type = res.headers.get('content-type') ?? '';
  const expected =
    op?.oauth && res.status !== 413 && res.status !== 415
      ? /^application\/(problem\+)?json/
      : /^application\/problem\+json/;
  if (!expected.test(type)) return false;
  try {
    return typeof JSON.parse(res.text) === 'object';
  } catch {
    return false;
  }
}
