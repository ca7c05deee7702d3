/** Helpers of the SQLite-specific tests. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isGatehouseError } from 'gatehouse/errors';

const CHILD = fileURLToPath(new URL('./fixtures/child.ts', import.meta.url));

/** A temp folder removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-sqlite-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `fixtures/child.ts` in another Node process; resolves with its parsed stdout. */
export function runChild(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CHILD, ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`child failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

/** Asserts a SERVICE_UNAVAILABLE with a retryAfter in 1..5 and no driver detail in the message. */
export function isUnavailable(err: unknown): boolean {
  return (
    isGatehouseError(err) &&
    err.code === 'SERVICE_UNAVAILABLE' &&
    err.status === 503 &&
    typeof err.retryAfter === 'number' &&
    err.retryAfter >= 1 &&
    err.retryAfter <= 5 &&
    err.message === 'Storage unavailable'
  );
}
