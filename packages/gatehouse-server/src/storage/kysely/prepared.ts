/**
 * Compile-once queries for hot paths. Building and compiling a Kysely query costs more CPU
 * than SQLite needs to run it; a refresh runs four statements, thousands of times a second.
 * `prepared` builds the query once per store with named slots, keeps the SQL the dialect
 * compiled, and per call only substitutes the slot values — still dialect-neutral, since the
 * dialect's own compiler wrote the SQL.
 */
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Schema } from './schema.js';

class Slot {
  constructor(readonly name: string) {}
}

/** Anything that can run a compiled query: the store's `Kysely` or a transaction. */
export type Executor = Pick<Kysely<Schema>, 'executeQuery'>;

/** A compiled-once query: run it with the slot values. */
export type PreparedQuery<A, R> = (executor: Executor, args: A) => Promise<QueryResult<R>>;

/**
 * Declares a compile-once query; `p('name')` marks a slot (typed as the argument's type).
 *
 * @example
 * ```ts
 * const byId = prepared<{ id: string }, UsersRow>(db, (db, p) =>
 *   db.selectFrom('users').selectAll().where('id', '=', p('id')));
 * const { rows } = await byId(db, { id: 'u1' });
 * ```
 */
export function prepared<A extends Record<string, unknown>, R>(
  db: Kysely<Schema>,
  build: (db: Kysely<Schema>, p: <K extends keyof A & string>(name: K) => A[K]) => Compilable<R>,
): PreparedQuery<A, R> {
  let compiled: { sql: string; parameters: readonly unknown[] } | undefined;
  const compile = () => {
    const requested = new Set<string>();
    const query = build(db, (name) => {
      requested.add(name);
      return new Slot(name) as never;
    }).compile();
    const bound = new Set(query.parameters.filter((v): v is Slot => v instanceof Slot).map((s) => s.name));
    for (const name of requested) {
      // A slot the compiler inlined instead of binding would be a silent bug: refuse it.
      if (!bound.has(name)) throw new Error(`prepared query: slot "${name}" is not a bound parameter`);
    }
    return { sql: query.sql, parameters: query.parameters };
  };
  return async (executor, args) => {
    compiled ??= compile();
    const parameters = compiled.parameters.map((v) => (v instanceof Slot ? args[v.name] : v));
    return executor.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>);
  };
}
