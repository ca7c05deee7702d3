import { readFileSync } from 'node:fs';

/**
 * The package version, read from `package.json` (one level up from both `src/version.ts`
 * and `dist/version.js`).
 *
 * @example
 * ```ts
 * console.log(`gatehouse ${VERSION}`);
 * ```
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
