/**
 * The OpenAPI 3.1 document, generated from the route schemas by `@fastify/swagger` (never
 * written by hand). `scripts/write-openapi.ts` writes it to `docs/openapi.json`; a test fails
 * when that file and the server's `GET /openapi.json` differ.
 */
import { loadConfig } from '../config/env.js';
import { createSqliteStore } from '../storage/sqlite/index.js';
import { createAuthServer } from './server.js';

/**
 * Builds a throw-away server on an in-memory database and returns its OpenAPI document. The
 * document does not depend on the configuration (no `servers` entry), so it is stable.
 *
 * @example
 * ```ts
 * const doc = await generateOpenApi();
 * console.log(doc.openapi); // '3.1.0'
 * ```
 */
export async function generateOpenApi(): Promise<Record<string, unknown>> {
  const config = loadConfig({ env: { GATEHOUSE_DATABASE_URL: ':memory:' }, envFile: false });
  const store = await createSqliteStore({ path: ':memory:' });
  const server = await createAuthServer({ config, store, logger: false, processMetrics: false });
  try {
    await server.app.ready();
    return server.app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await server.close();
  }
}

/** The document as written to `docs/openapi.json`: 2-space JSON and a final newline. */
export function serializeOpenApi(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
