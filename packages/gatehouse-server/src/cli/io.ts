/**
 * The CLI's view of the outside world, injectable so that commands run in tests without a
 * terminal, and the errors that decide exit codes: 0 ok, 1 error, 2 usage.
 */

/** Streams and environment a command may use. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Wrong command line: printed with a hint to `--help`, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit statuses scripts can trust. */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2 } as const;

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Reads stdin to its end, refusing more than `maxBytes` (a password or a token, never a file).
 *
 * @example
 * ```ts
 * const password = stripNewline(await readStdin(io, 4096));
 * ```
 */
export async function readStdin(io: CliIo, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) throw new UsageError(`standard input is longer than ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Drops one trailing line break (`echo` adds one). */
export function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/**
 * Prompts on a terminal without echoing what is typed (raw mode; backspace works, Ctrl-C and
 * Ctrl-D abort). The typed text never appears on the screen or in the shell history.
 */
export function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin;
  if (typeof stdin.setRawMode !== 'function')
    return Promise.reject(new UsageError('standard input is not a terminal'));
  io.stderr(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
