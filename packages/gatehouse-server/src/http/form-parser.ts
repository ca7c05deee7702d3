/**
 * The body parser of the `/oauth/*` endpoints: `application/x-www-form-urlencoded` (RFC 6749
 * appendix B, UTF-8), installed in their scope only — every other route stays JSON-only.
 * Strict on purpose: a malformed percent-escape, invalid UTF-8 or a repeated parameter (RFC
 * 6749 section 3.2: "parameters MUST NOT be included more than once") is refused, never
 * guessed at. Parameters sent without a value are treated as omitted (RFC 6749 section 3.1).
 */
import type { FastifyInstance } from 'fastify';
import { OAuthError } from './oauth-error.js';

/** `application/x-www-form-urlencoded` optionally followed by `charset=utf-8`. */
const FORM_MEDIA_TYPE =
  /^application\/x-www-form-urlencoded[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:"utf-8"|utf-8)[ \t]*)?$/i;

/** Most parameters one request may carry (the endpoints use at most four). */
const MAX_PARAMS = 32;

function decodePart(part: string): string {
  // `+` is a space in this media type; decodeURIComponent throws on a bad escape or bad UTF-8.
  return decodeURIComponent(part.replace(/\+/g, ' '));
}

/**
 * Parses a form body into a null-prototype record (so `__proto__` is just a name).
 * Throws {@link OAuthError} `invalid_request` on anything malformed.
 *
 * @example
 * ```ts
 * parseForm('grant_type=refresh_token&refresh_token=ghr_abc');
 * // { grant_type: 'refresh_token', refresh_token: 'ghr_abc' }
 * ```
 */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (body === '') return out;
  const pairs = body.split('&');
  if (pairs.length > MAX_PARAMS) throw new OAuthError('invalid_request', 'Too many parameters');
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodePart(eq === -1 ? pair : pair.slice(0, eq));
      value = eq === -1 ? '' : decodePart(pair.slice(eq + 1));
    } catch {
      throw new OAuthError('invalid_request', 'The body is not valid application/x-www-form-urlencoded');
    }
    if (name === '') throw new OAuthError('invalid_request', 'A parameter has no name');
    if (Object.hasOwn(out, name)) {
      throw new OAuthError('invalid_request', `The parameter ${safeName(name)} is repeated`);
    }
    out[name] = value;
  }
  // Empty values count as omitted, but still take part in the repetition check above.
  for (const name of Object.keys(out)) if (out[name] === '') delete out[name];
  return out;
}

/** A parameter name safe to echo in an error description (printable ASCII, bounded). */
function safeName(name: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : '(unnamed)';
}

/**
 * Replaces the scope's parsers with the strict form parser: JSON or anything else on these
 * routes is refused (400 `invalid_request`, mapped by the OAuth error handler).
 *
 * @example
 * ```ts
 * await app.register(async (scope) => {
 *   installFormParser(scope);
 *   oauthRoutes(scope, service);
 * });
 * ```
 */
export function installFormParser(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (request, body, done) => {
      if (!FORM_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
        done(
          new OAuthError('invalid_request', 'Send the body as application/x-www-form-urlencoded (UTF-8)'),
          undefined,
        );
        return;
      }
      try {
        done(null, parseForm(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
}
