/**
 * The only body parser of the auth server: `application/json`, with or without a UTF-8
 * charset (RFC 8259 section 8.1). Every other media type is refused with 415, and a body
 * that is not strict JSON with 400: nothing is parsed leniently. `__proto__` and
 * `constructor.prototype` keys are refused (prototype poisoning).
 */
import type { FastifyInstance } from 'fastify';
import { GatehouseError } from 'gatehouse/errors';

/** `application/json` optionally followed by `charset=utf-8` (quoted or not, any case). */
const JSON_MEDIA_TYPE = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:"utf-8"|utf-8)[ \t]*)?$/i;

/**
 * Replaces Fastify's default parsers on `app` with the strict JSON parser.
 *
 * @example
 * ```ts
 * const app = Fastify({ bodyLimit: 16 * 1024 });
 * installJsonParser(app);
 * ```
 */
export function installJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
      done(
        new GatehouseError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json (UTF-8)'),
        undefined,
      );
      return;
    }
    parse(request, body as string, (err, value) => {
      if (err) done(new GatehouseError('BAD_REQUEST', 'The body is not valid JSON'), undefined);
      else done(null, value);
    });
  });
}
