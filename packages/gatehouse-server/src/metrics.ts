/**
 * Prometheus metrics of one auth-server instance, on its own `prom-client` registry (two
 * servers in one process never mix their numbers). Fed by the HTTP layer (requests) and by
 * the service's events (`AuthServiceOptions.onEvent`); no label ever carries a user name,
 * token or raw URL (routes are the route patterns, so the label set stays bounded).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceEvent } from './service/types.js';

export interface ServerMetrics {
  readonly registry: Registry;
  /** Records one finished HTTP request. `route` is the route pattern, or `unmatched`. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Subscribe this to the service's events. */
  onEvent(event: ServiceEvent): void;
  /** Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Counts live sessions when `/metrics` is scraped; a failure leaves the previous value. */
  countActiveSessions?: () => Promise<number>;
  /** Process metrics (CPU, memory, event-loop lag); default true. */
  processMetrics?: boolean;
  /** Metric name prefix; default `gatehouse_`. */
  prefix?: string;
}

/**
 * Creates the registry and metrics of one server.
 *
 * @example
 * ```ts
 * const metrics = createMetrics({ countActiveSessions: () => store.countActiveSessions(Date.now()) });
 * const service = await createAuthService({ ...options, onEvent: metrics.onEvent });
 * const text = await metrics.render();
 * ```
 */
export function createMetrics(options: MetricsOptions = {}): ServerMetrics {
  const prefix = options.prefix ?? 'gatehouse_';
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix });

  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request latency in seconds by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const logins = new Counter({
    name: `${prefix}logins_total`,
    help: 'Login attempts by outcome (success, invalid, locked, throttled).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const refreshes = new Counter({
    name: `${prefix}refreshes_total`,
    help: 'Refresh-token uses by outcome (rotated, grace, reused, invalid).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const reuse = new Counter({
    name: `${prefix}refresh_reuse_detected_total`,
    help: 'Rotated refresh tokens presented after the grace period (each revoked a whole session).',
    registers: [registry],
  });
  const registrations = new Counter({
    name: `${prefix}registrations_total`,
    help: 'Registrations by outcome (created, taken, invalid, closed).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const revoked = new Counter({
    name: `${prefix}sessions_revoked_total`,
    help: 'Sessions revoked, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const count = options.countActiveSessions;
  new Gauge({
    name: `${prefix}active_sessions`,
    help: 'Sessions neither revoked nor expired, counted in storage at scrape time.',
    registers: [registry],
    async collect() {
      if (count === undefined) return;
      try {
        this.set(await count());
      } catch {
        // Storage down: /readyz reports it; the gauge keeps its last value.
      }
    },
  });
  for (const outcome of ['success', 'invalid', 'locked', 'throttled']) logins.inc({ outcome }, 0);
  for (const outcome of ['rotated', 'grace', 'reused', 'invalid']) refreshes.inc({ outcome }, 0);

  return {
    registry,
    contentType: registry.contentType,
    observeRequest(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    onEvent(event) {
      switch (event.type) {
        case 'login':
          logins.inc({ outcome: event.outcome });
          break;
        case 'refresh':
          refreshes.inc({ outcome: event.outcome });
          if (event.outcome === 'reused') reuse.inc();
          break;
        case 'register':
          registrations.inc({ outcome: event.outcome });
          break;
        case 'session_revoked':
          revoked.inc({ reason: event.reason }, event.count);
          break;
        default:
          break;
      }
    },
    render: () => registry.metrics(),
  };
}
