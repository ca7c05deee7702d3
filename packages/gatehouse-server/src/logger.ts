/**
 * Logging options for the auth server (pino, through Fastify).
 *
 * Security: credentials never reach a log line. Headers that carry them (`authorization`,
 * `cookie`, `set-cookie`) and body fields (`password`, `refresh_token`, `current_password`,
 * `new_password`, `access_token`, `token`) are redacted wherever they appear in a logged
 * object, and request URLs are logged without their query string: tokens are never read from
 * the query, but a client may still put one there.
 */
import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from './config/types.js';

/** Body fields and headers whose values are secrets. */
export const SECRET_FIELDS = [
  'password',
  'refresh_token',
  'current_password',
  'new_password',
  'access_token',
  'token',
  'client_secret',
] as const;

const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'] as const;

/**
 * pino `redact` paths: headers at the usual places, secret fields at the top and two levels down.
 *
 * @example
 * ```ts
 * const log = pino({ redact: { paths: [...REDACT_PATHS], censor: REDACTED } });
 * ```
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_HEADERS.flatMap((h) => [
    `req.headers["${h}"]`,
    `res.headers["${h}"]`,
    `headers["${h}"]`,
    `request.headers["${h}"]`,
    `reply.headers["${h}"]`,
  ]),
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

/** Placeholder written instead of a redacted value. */
export const REDACTED = '[REDACTED]';

interface RequestLike {
  method?: string;
  url?: string;
  id?: string;
  ip?: string;
  headers?: Record<string, unknown>;
}

/** The URL without its query string (see the module comment). */
function pathOnly(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?[query omitted]`;
}

/** Fastify's `logger` option in its object form (Fastify's options plus pino's). */
export type FastifyLoggerConfig = Exclude<NonNullable<FastifyServerOptions['logger']>, boolean>;

export interface LoggerSettings {
  level: LogLevel;
  /** Where log lines go; default stdout. Tests pass a stream to inspect the output. */
  stream?: NodeJS.WritableStream | { write(line: string): void };
}

/**
 * Fastify `logger` options: level, redaction and a request serializer that omits the query.
 *
 * @example
 * ```ts
 * const app = Fastify({ logger: loggerOptions({ level: 'info' }) });
 * ```
 */
export function loggerOptions(settings: LoggerSettings): FastifyLoggerConfig {
  const options: FastifyLoggerConfig & { stream?: unknown } = {
    level: settings.level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: {
      req(req: RequestLike) {
        return {
          method: req.method,
          url: pathOnly(req.url),
          remoteAddress: req.ip,
          userAgent:
            typeof req.headers?.['user-agent'] === 'string'
              ? req.headers['user-agent'].slice(0, 200)
              : undefined,
        };
      },
      res(res: { statusCode?: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
  if (settings.stream !== undefined) options.stream = settings.stream;
  return options;
}
