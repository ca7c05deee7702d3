/**
 * Regenerates docs/openapi.json from the route schemas:
 *   node --import tsx packages/gatehouse-server/scripts/write-openapi.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateOpenApi, serializeOpenApi } from '../src/http/openapi.js';

const target = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));
writeFileSync(target, serializeOpenApi(await generateOpenApi()));
console.log(`wrote ${target}`);
