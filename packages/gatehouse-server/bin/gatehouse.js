#!/usr/bin/env node
// The `gatehouse` command. A committed shim so that npm can link the bin before the first
// build; the CLI itself is compiled TypeScript in dist/.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('gatehouse: not built yet; run `npm run build` in the repository root\n');
  process.exit(1);
}
await import(main.href);
