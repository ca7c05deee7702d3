/**
 * HTTP Basic client authentication (RFC 6749 section 2.3.1) for the endpoints resource
 * servers call: the client id and secret are each form-urlencoded, joined by `:` and
 * base64-encoded. Credentials are read from the `Authorization` header only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError } from 'gatehouse/errors';
import type { ClientView } from '../service/clients.js';
import type { AuthService } from '../service/types.js';

/** The challenge of every 401 INVALID_CLIENT. */
export const BASIC_REALM = 'Basic realm="gatehouse"';

/** Longest header considered (an id and a secret of 256 characters each, encoded, fit easily). */
const MAX_HEADER = 4096;

function formDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined; // a malformed %-escape
  }
}

/**
 * Parses `Authorization: Basic ...` into the client id and secret, or returns null when the
 * header is absent, of another scheme, or malformed.
 *
 * @example
 * ```ts
 * parseBasic('Basic cnMtYXJ0aWNsZXM6czNjcmV0'); // { id: 'rs-articles', secret: 's3cret' }
 * ```
 */
export function parseBasic(header: string | undefined): { id: string; secret: string } | null {
  if (typeof header !== 'string' || header.length > MAX_HEADER) return null;
  const m = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (m === null || m[1]!.length % 4 !== 0) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (id === undefined || secret === undefined || id === '' || secret === '') return null;
  return { id, secret };
}

const CLIENTS = new WeakMap<FastifyRequest, ClientView>();

/**
 * The client authenticated by {@link requireClient} for this request.
 *
 * @example
 * ```ts
 * request.log.info({ client: clientOf(request).name }, 'feed read');
 * ```
 */
export function clientOf(request: FastifyRequest): ClientView {
  const client = CLIENTS.get(request);
  if (client === undefined) throw new GatehouseError('INVALID_CLIENT', 'Client authentication required');
  return client;
}

/**
 * An `onRequest` hook that requires valid client credentials: otherwise 401 INVALID_CLIENT
 * with `WWW-Authenticate: Basic realm="gatehouse"` (missing, malformed, unknown id and wrong
 * secret all look the same).
 *
 * @example
 * ```ts
 * app.get('/auth/revocations', { onRequest: requireClient(service) }, handler);
 * ```
 */
export function requireClient(service: Pick<AuthService, 'clients'>) {
  return async function clientHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const credentials = parseBasic(request.headers.authorization);
    try {
      if (credentials === null)
        throw new GatehouseError('INVALID_CLIENT', 'Send client credentials with HTTP Basic');
      CLIENTS.set(request, await service.clients.authenticate(credentials.id, credentials.secret));
    } catch (err) {
      reply.header('www-authenticate', BASIC_REALM);
      throw err;
    }
  };
}
