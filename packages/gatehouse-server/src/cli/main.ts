#!/usr/bin/env node
/**
 * The `gatehouse` command (bin of gatehouse-server).
 *
 * @example
 * ```sh
 * npx gatehouse serve --port 5001
 * printf '%s\n' "$PASSWORD" | npx gatehouse users add alice --role admin --password-stdin
 * ```
 */
import { processIo } from './io.js';
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), processIo());
// Flush stdout/stderr before exiting: a piped stdout may still hold buffered output.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
