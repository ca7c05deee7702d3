/** The results as a Markdown table, and the targets with their measured ratios. */
import type { Report, Row } from './rows.js';

const r1 = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * The rows as a Markdown table.
 *
 * @example
 * ```ts
 * console.log(formatTable(report));
 * ```
 */
export function formatTable(report: Report): string {
  const lines = [
    '| op | system | framework | conns | req/s | p50 ms | p99 ms | p99.9 ms | errors | loop p99 ms | RSS MB | notes |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const row of report.rows) {
    const notes: string[] = [];
    if (row.argon2LimitRatio !== undefined)
      notes.push(`${r1(row.argon2LimitRatio * 100)}% of argon2id limit`);
    if (row.noAuthRatio !== undefined)
      notes.push(`${r1(row.noAuthRatio * 100)}% of no-auth ${row.noAuthReqPerSec}/s`);
    if (row.op === 'refresh') notes.push(`${row.sessions} sessions stored`);
    lines.push(
      `| ${row.op} | ${row.system} | ${row.framework} | ${row.connections} | ${row.reqPerSec} | ${row.p50Ms} | ${row.p99Ms} | ${row.p999Ms} | ${r1(row.errorRate * 100)}% | ${row.eventLoopP99Ms} | ${row.rssMb} | ${notes.join('; ')} |`,
    );
  }
  return lines.join('\n');
}

function find(
  report: Report,
  op: Row['op'],
  system: Row['system'],
  framework?: Row['framework'],
): Row | undefined {
  return report.rows.find(
    (r) => r.op === op && r.system === system && (framework === undefined || r.framework === framework),
  );
}

/**
 * Each target of issue 9 with its measured figure and whether it was met in this run.
 *
 * @example
 * ```ts
 * for (const line of formatTargets(report)) console.log(line);
 * ```
 */
export function formatTargets(report: Report): string[] {
  const out: string[] = [];
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const login = find(report, 'login', 'gatehouse');
  if (login?.argon2LimitRatio !== undefined) {
    out.push(
      `- login ≥ 90% of the argon2id limit (${login.argon2LimitPerSec}/s: ${report.machine.cores} cores all verifying, measured right before): ${login.reqPerSec}/s = ${r1(login.argon2LimitRatio * 100)}% — ${mark(login.argon2LimitRatio >= 0.9)}`,
      `  - against cores / single-hash time on the idle machine (${report.machine.argon2.limitPerSec}/s): ${r1((login.argon2SerialLimitRatio ?? 0) * 100)}% — ${mark((login.argon2SerialLimitRatio ?? 0) >= 0.9)}`,
      `- login event-loop delay p99 < 20 ms: ${login.eventLoopP99Ms} ms — ${mark(login.eventLoopP99Ms < 20)}`,
    );
  }
  const refresh = find(report, 'refresh', 'gatehouse');
  const baseRefresh = find(report, 'refresh', 'baseline');
  if (refresh)
    out.push(
      `- refresh on SQLite ≥ 2,000/s: ${refresh.reqPerSec}/s = ${r1((refresh.reqPerSec / 2000) * 100)}% of target — ${mark(refresh.reqPerSec >= 2000)}`,
    );
  if (refresh && baseRefresh)
    out.push(
      `- refresh beats the baseline (${baseRefresh.reqPerSec}/s at ${baseRefresh.sessions} stored sessions): ratio ${r1(refresh.reqPerSec / baseRefresh.reqPerSec)}× — ${mark(refresh.reqPerSec > baseRefresh.reqPerSec)}`,
    );
  const baseProtected = find(report, 'protected', 'baseline');
  for (const framework of ['express', 'fastify'] as const) {
    const p = find(report, 'protected', 'gatehouse', framework);
    if (p?.noAuthRatio === undefined) continue;
    out.push(
      `- protected route (gatehouse/${framework}) ≥ 95% of ${framework} without auth: ${r1(p.noAuthRatio * 100)}% — ${mark(p.noAuthRatio >= 0.95)}`,
    );
    if (baseProtected)
      out.push(
        `- protected route (gatehouse/${framework}) beats the baseline (${baseProtected.reqPerSec}/s): ratio ${r1(p.reqPerSec / baseProtected.reqPerSec)}× — ${mark(p.reqPerSec > baseProtected.reqPerSec)}`,
      );
  }
  const pg = find(report, 'refresh', 'gatehouse-postgres');
  if (pg) out.push(`- refresh on PostgreSQL: ${pg.reqPerSec}/s (no target; beside SQLite)`);
  return out;
}
