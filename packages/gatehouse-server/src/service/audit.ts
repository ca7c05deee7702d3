/**
 * The audit log: who did what to whom, when and from where. Every admin action (HTTP and CLI)
 * and security event goes through {@link AuditLog.record}: one row in storage
 * (`store.appendAudit`) and one `audit` service event, which the server writes as a log line.
 * Entries never carry secrets: no password, token or key material is ever put in `detail`.
 */
import { GatehouseError } from 'gatehouse/errors';
import type { AuditEvent, Store } from '../storage/types.js';
import type { ServiceEvent } from './types.js';

/** Who acted and from where: a user id (HTTP), `'cli'`, or null for the system itself. */
export interface AuditActor {
  actorId: string | null;
  ip: string | null;
  /** Request id of the HTTP request, for correlation with the access log. */
  requestId?: string | undefined;
}

/** One event to record. */
export interface AuditInput extends AuditActor {
  /** Stable snake_case name, e.g. `user_locked`. */
  type: string;
  subjectId: string | null;
  /** Structured, secret-free context (session id, kid, count...). */
  detail?: Record<string, unknown>;
}

/** An entry as listed (times in epoch ms). */
export interface AuditEntry {
  id: number;
  type: string;
  actorId: string | null;
  subjectId: string | null;
  ip: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
  at: number;
}

/** Filters of {@link AuditLog.list}; `since` inclusive, `until` exclusive (epoch ms). */
export interface AuditQuery {
  limit: number;
  type?: string;
  subjectId?: string;
  since?: number;
  until?: number;
}

export interface AuditLog {
  /** Appends one event (storage first, then the log line). */
  record(input: AuditInput): Promise<void>;
  /** Newest first. VALIDATION_FAILED for a bad limit or range. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
}

/** Upper bound of one listing. */
export const MAX_AUDIT_LIST = 10_000;

/**
 * Creates the audit log over `store`.
 *
 * @example
 * ```ts
 * const audit = createAuditLog({ store, clock: Date.now, emit: (e) => log.info(e) });
 * await audit.record({ type: 'user_locked', actorId: admin.id, subjectId: user.id, ip: '10.0.0.1' });
 * const latest = await audit.list({ limit: 20, type: 'user_locked' });
 * ```
 */
export function createAuditLog(options: {
  store: Store;
  clock: () => number;
  emit?: (event: ServiceEvent) => void;
}): AuditLog {
  const { store, clock } = options;
  return {
    async record(input) {
      const now = clock();
      const detail: Record<string, unknown> = { ...input.detail };
      if (input.requestId !== undefined) detail.requestId = input.requestId;
      const event: AuditEvent = {
        type: input.type,
        actorId: input.actorId,
        subjectId: input.subjectId,
        ip: input.ip,
        detail,
        now,
      };
      await store.appendAudit(event);
      options.emit?.({
        type: 'audit',
        event: input.type,
        actorId: input.actorId,
        subjectId: input.subjectId,
        ip: input.ip,
        requestId: input.requestId ?? null,
        detail: input.detail ?? {},
      });
    },

    async list(query) {
      const limit = query?.limit;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIST) {
        throw new GatehouseError('VALIDATION_FAILED', `limit must be an integer in 1..${MAX_AUDIT_LIST}`, {
          claim: 'limit',
        });
      }
      for (const name of ['since', 'until'] as const) {
        const v = query[name];
        if (v !== undefined && !Number.isSafeInteger(v)) {
          throw new GatehouseError('VALIDATION_FAILED', `${name} must be a time`, { claim: name });
        }
      }
      const rows = await store.listAudit(query);
      return rows.map((row) => {
        const { requestId, ...detail } = row.detail ?? {};
        return {
          id: row.id,
          type: row.type,
          actorId: row.actorId,
          subjectId: row.subjectId,
          ip: row.ip,
          requestId: typeof requestId === 'string' ? requestId : null,
          detail,
          at: row.now,
        };
      });
    },
  };
}
