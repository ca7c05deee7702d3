/**
 * RFC 8414 authorization-server metadata discovery: the only thing the verifier needs from it
 * is `jwks_uri`, and only after checking that the document speaks for the configured issuer.
 */
import { FetchFailure, type FetchLike, getJson } from './http.js';

/**
 * The metadata URL of an issuer (RFC 8414 section 3.1): the well-known segment goes between
 * the host and the issuer's path.
 *
 * @example
 * ```ts
 * metadataUrl('https://auth.example');        // 'https://auth.example/.well-known/oauth-authorization-server'
 * metadataUrl('https://example.com/tenant1'); // 'https://example.com/.well-known/oauth-authorization-server/tenant1'
 * ```
 */
export function metadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

/**
 * Fetches the issuer's metadata and returns its `jwks_uri`. Throws a FetchFailure with reason
 * `issuer_mismatch` when the document's `issuer` is not exactly the configured one (RFC 8414
 * section 3.3: a mismatch means the metadata must not be used), or `bad_metadata`.
 *
 * @example
 * ```ts
 * const jwksUri = await discoverJwksUri('http://127.0.0.1:5000', { fetch, timeoutMs: 5000 });
 * ```
 */
export async function discoverJwksUri(
  issuer: string,
  options: { fetch: FetchLike; timeoutMs: number; signal?: AbortSignal },
): Promise<string> {
  const { body } = await getJson(metadataUrl(issuer), options);
  if (typeof body !== 'object' || body === null) throw new FetchFailure('bad_metadata');
  const meta = body as { issuer?: unknown; jwks_uri?: unknown };
  // Security: metadata for another issuer (a mix-up or a hijacked path) is refused.
  if (meta.issuer !== issuer) throw new FetchFailure('issuer_mismatch');
  if (typeof meta.jwks_uri !== 'string') throw new FetchFailure('bad_metadata');
  let jwks: URL;
  try {
    jwks = new URL(meta.jwks_uri);
  } catch {
    throw new FetchFailure('bad_metadata');
  }
  if (jwks.protocol !== 'https:' && jwks.protocol !== 'http:') throw new FetchFailure('bad_metadata');
  return jwks.href;
}
