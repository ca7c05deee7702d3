/** `gatehouse audit [--user NAME] [--type T] [--since ISO] [--until ISO] [--limit N] [--json]`. */
import type { AuditEntry } from '../../service/audit.js';
import { MAX_AUDIT_LIST } from '../../service/audit.js';
import type { AdminService, AuthService } from '../../service/types.js';
import { expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command } from '../command.js';
import { cliConfig, withService } from '../context.js';
import { cell, json, table } from '../format.js';
import { type CliIo, EXIT, UsageError } from '../io.js';

const HELP = `Usage:
  gatehouse audit [--user NAME] [--type TYPE] [--since TIME] [--until TIME] [--limit N] [--json]

The audit log, newest first: admin actions (users lock/unlock, sessions revoke, keys, the
/admin HTTP API) and security events, with who did it, to whom, when and from where.

--user NAME    only events about this user (name or id)
--type TYPE    only events of this type (e.g. user_locked, sessions_revoked, token_revoked)
--since TIME   from this ISO 8601 time (inclusive), e.g. 2026-01-31 or 2026-01-31T12:00:00Z
--until TIME   up to this ISO 8601 time (exclusive)
--limit N      at most N events (default 100, at most ${MAX_AUDIT_LIST})
--json         one JSON array, for scripts

${CONFIG_HELP}`;

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

function time(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const ms = ISO.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new UsageError(`--${flag} must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z`);
  return ms;
}

function limitOf(value: unknown): number {
  if (value === undefined) return 100;
  const text = String(value);
  const n = /^[0-9]{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_AUDIT_LIST)
    throw new UsageError(`--limit must be an integer from 1 to ${MAX_AUDIT_LIST}`);
  return n;
}

type Service = AuthService & { admin: AdminService };

/** Usernames of the ids that appear (actors and subjects), looked up once each. */
async function namesOf(service: Service, entries: AuditEntry[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const e of entries) for (const id of [e.actorId, e.subjectId]) if (id && id !== 'cli') ids.add(id);
  const names = new Map<string, string>();
  for (const id of ids) {
    const user = await service.admin.findUser(id);
    if (user?.id === id) names.set(id, user.username);
  }
  return names;
}

/** `gatehouse audit`. */
export const auditCommand: Command = {
  name: 'audit',
  summary: 'show the audit log (admin actions, security events)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse(args, {
      user: { type: 'string' },
      type: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(`${HELP}\n`);
      return EXIT.OK;
    }
    expectPositionals(positionals, []);
    const since = time('since', values.since);
    const until = time('until', values.until);
    if (since !== undefined && until !== undefined && until <= since)
      throw new UsageError('--until must be later than --since');
    const limit = limitOf(values.limit);
    const type = typeof values.type === 'string' ? values.type : undefined;
    if (type !== undefined && !/^[a-z][a-z0-9_.:-]{0,63}$/.test(type))
      throw new UsageError('--type is an event type such as user_locked');

    const { entries, names } = await withService(cliConfig(io, values), async (service) => {
      const query: Parameters<Service['audit']['list']>[0] = { limit };
      if (type !== undefined) query.type = type;
      if (since !== undefined) query.since = since;
      if (until !== undefined) query.until = until;
      if (typeof values.user === 'string') {
        const user = await service.admin.findUser(values.user);
        // An unknown user has no events; saying so beats an empty table that looks like "none".
        if (user === null) throw new UsageError(`no user "${values.user.slice(0, 64)}"`);
        query.subjectId = user.id;
      }
      const entries = await service.audit.list(query);
      return { entries, names: await namesOf(service, entries) };
    });

    const name = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
    if (values.json) {
      io.stdout(
        json(
          entries.map((e) => ({
            id: e.id,
            at: new Date(e.at).toISOString(),
            type: e.type,
            actorId: e.actorId,
            actor: name(e.actorId),
            subjectId: e.subjectId,
            subject: name(e.subjectId),
            ip: e.ip,
            requestId: e.requestId,
            detail: e.detail,
          })),
        ),
      );
      return EXIT.OK;
    }
    io.stdout(
      table(
        ['time', 'type', 'actor', 'subject', 'ip', 'detail'],
        entries.map((e) => [
          new Date(e.at).toISOString(),
          cell(e.type),
          cell(name(e.actorId)),
          cell(name(e.subjectId)),
          cell(e.ip),
          cell(Object.keys(e.detail).length === 0 ? null : JSON.stringify(e.detail)),
        ]),
      ),
    );
    return EXIT.OK;
  },
};
