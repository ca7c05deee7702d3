/**
 * `createAuthServer()`: the auth server as a library. It wires configuration, storage, the
 * service, metrics and the Fastify app, and returns them with `listen()` and `close()`. The
 * CLI's `serve` is a thin shell over it; tests drive `app.inject()` without a port.
 */
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { GatehouseError } from 'gatehouse/errors';
import { toServiceOptions } from '../config/service-options.js';
import type { Config } from '../config/types.js';
import { type LoggerSettings, loggerOptions } from '../logger.js';
import { createMetrics, type ServerMetrics } from '../metrics.js';
import { createAuthService } from '../service/create-auth-service.js';
import type { AdminService, AuthService, AuthServiceOptions, ServiceEvent } from '../service/types.js';
import { openStore } from '../storage/index.js';
import { withOptionalRedis } from '../storage/redis/index.js';
import type { Store } from '../storage/types.js';
import { VERSION } from '../version.js';
import { browserPolicy } from './browser-session.js';
import { installCors } from './cors.js';
import { installJsonParser } from './json-parser.js';
import { type HttpLimits, installHttpLimits } from './limits.js';
import { installProblemHandlers, sendProblem } from './problem.js';
import { registerAdmin } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { registerOAuth } from './routes/oauth.js';
import { revocationRoutes } from './routes/revocations.js';
import { wellKnownRoutes } from './routes/well-known.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { applySecurityHeaders, installSecurityHeaders } from './security-headers.js';

/**
 * Request bodies over this are refused with 413 (CONTRACT.md section 2).
 *
 * @example
 * ```ts
 * BODY_LIMIT; // 16384
 * ```
 */
export const BODY_LIMIT = 16 * 1024;

export interface AuthServerOptions {
  config: Config;
  /** Storage; default `openStore(config.databaseUrl)`. Closed by `close()` either way. */
  store?: Store;
  /** Argon2id parameters (tests lower them); default OWASP's. */
  passwordHashing?: AuthServiceOptions['passwordHashing'];
  /** Epoch milliseconds; injectable for tests. */
  clock?: () => number;
  /** Another subscriber to the service's events (metrics are always subscribed). */
  onEvent?: (event: ServiceEvent) => void;
  /** false: no logging; default pino at `config.logLevel` to stdout. */
  logger?: false | Partial<LoggerSettings>;
  /** Process metrics (CPU, memory, event loop) in `/metrics`; default true. */
  processMetrics?: boolean;
  /** Header/body timeouts and the connection cap (src/http/limits.ts); default DEFAULT_HTTP_LIMITS. */
  limits?: Partial<HttpLimits>;
}

export interface AuthServer {
  /** The Fastify instance (routes registered, not yet listening). */
  readonly app: FastifyInstance;
  readonly service: AuthService & { admin: AdminService };
  readonly config: Config;
  readonly metrics: ServerMetrics;
  /** Listens on `config.host:config.port` (or the given ones); resolves to the address URL. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /**
   * Graceful stop: refuses new requests (503 problem+json), lets in-flight ones finish,
   * closes the service and its storage. Idempotent.
   */
  close(): Promise<void>;
}

function isOptions(input: Config | AuthServerOptions): input is AuthServerOptions {
  return 'config' in input && typeof (input as AuthServerOptions).config === 'object';
}

/**
 * Creates the auth server: opens storage (creating the database and the signing keys on
 * first start), builds the service and the Fastify app with every route of this release.
 *
 * @example
 * ```ts
 * import { createAuthServer, loadConfig } from 'gatehouse-server';
 * const server = await createAuthServer(loadConfig());
 * console.log(await server.listen());
 * // tests: const res = await server.app.inject({ method: 'GET', url: '/healthz' });
 * ```
 */
export async function createAuthServer(input: Config | AuthServerOptions): Promise<AuthServer> {
  const options: AuthServerOptions = isOptions(input) ? input : { config: input };
  const { config } = options;
  const clock = options.clock ?? Date.now;
  // GATEHOUSE_REDIS_URL: shared throttling counters and the cross-instance revocation nudge.
  const shared = withOptionalRedis(
    options.store ?? (await openStore(config.databaseUrl)),
    config.redisUrl,
    (level, msg) => app.log[level](msg),
  );
  const store = shared.store;

  const metrics = createMetrics({
    countActiveSessions: () => store.countActiveSessions(clock()),
    processMetrics: options.processMetrics ?? true,
  });
  const trustProxy = config.trustProxy;
  const app: FastifyInstance = Fastify({
    logger: options.logger === false ? false : loggerOptions({ level: config.logLevel, ...options.logger }),
    bodyLimit: BODY_LIMIT,
    // A hop count becomes proxy-addr's "trust the n closest hops" function.
    trustProxy:
      typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    // Our own ids: an incoming X-Request-Id is not trusted (log injection, id collisions).
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: false,
    // Strict validation: no coercion ("1" is not 1), no silent removal of unknown fields.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
    routerOptions: { maxParamLength: 256 },
    // Router-level failures (bad URL encoding, over-long path parameters) as problem+json too.
    frameworkErrors: (err, request, reply) => sendProblem(request, applySecurityHeaders(request, reply), err),
  });

  const onEvent = (event: ServiceEvent) => {
    metrics.onEvent(event);
    // Events carry no secrets (service/types.ts); reuse is a theft signal worth a warning.
    if (event.type === 'refresh' && event.outcome === 'reused')
      app.log.warn({ event }, 'refresh token reuse detected');
    // The audit log's line: who did what to whom, from where (no secrets in audit events).
    else if (event.type === 'audit') app.log.info({ audit: event }, 'audit');
    else app.log.debug({ event }, 'service event');
    options.onEvent?.(event);
  };

  let service: AuthService & { admin: AdminService };
  try {
    const extras: Parameters<typeof toServiceOptions>[2] = { clock, onEvent };
    if (options.passwordHashing !== undefined) extras.passwordHashing = options.passwordHashing;
    if (shared.notifier !== undefined) extras.revocationNotifier = shared.notifier;
    service = await createAuthService(toServiceOptions(config, store, extras));
  } catch (err) {
    await store.close().catch(() => {});
    await app.close().catch(() => {});
    throw err;
  }

  let closing = false;
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
    if (closing) {
      reply.header('connection', 'close');
      throw new GatehouseError('SERVICE_UNAVAILABLE', 'The server is shutting down', { retryAfter: 1 });
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  app.addHook('preClose', async () => {
    closing = true;
  });
  // A response finished while closing ends its keep-alive connection, so that close() does
  // not wait for idle sockets to time out.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => {
    await service.close();
  });

  installHttpLimits(app, options.limits);
  installJsonParser(app);
  installCors(app, config.corsOrigins);
  installSecurityHeaders(app);
  installProblemHandlers(app);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gatehouse auth server',
        version: VERSION,
        description:
          'Users, login, rotating refresh tokens and sessions. Errors are application/problem+json (RFC 9457).',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });

  authRoutes(app, service, browserPolicy(config));
  wellKnownRoutes(app, service, config.issuer);
  healthRoutes(app, service, metrics);
  revocationRoutes(app, service);
  await registerAdmin(app, service);
  await registerOAuth(app, service);
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(app.swagger()),
  );

  let closed: Promise<void> | undefined;
  return {
    app,
    service,
    config,
    metrics,
    listen: (listenOptions = {}) =>
      app.listen({ host: listenOptions.host ?? config.host, port: listenOptions.port ?? config.port }),
    close: () => {
      closed ??= app.close().then(() => undefined);
      return closed;
    },
  };
}
