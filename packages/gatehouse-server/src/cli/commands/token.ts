/**
 * `gatehouse token decode JWT`, `gatehouse token verify JWT [--issuer URL]`.
 *
 * Security: both work locally. `decode` sends the token nowhere; `verify` fetches only the
 * issuer's public JWKS (a GET without the token) and checks the signature, issuer, expiry and
 * optional audience here. `-` reads the token from standard input, which keeps it out of the
 * shell history.
 */
import {
  ALGORITHMS,
  type Algorithm,
  decodeJwt,
  importJwks,
  importSecret,
  type Key,
  type KeySet,
  verifyJwt,
} from 'gatehouse';
import { GatehouseError, isGatehouseError } from 'gatehouse/errors';
import { configFlags, expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command, subcommands } from '../command.js';
import { cliConfig } from '../context.js';
import { json } from '../format.js';
import { type CliIo, EXIT, readStdin, UsageError } from '../io.js';

const HELP = `Usage:
  gatehouse token decode JWT|-
  gatehouse token verify JWT|- [--issuer URL] [--audience AUD]

decode   Prints the header and claims of a token WITHOUT verifying it. Nothing is sent
         anywhere.
verify   Verifies the signature against the issuer's JWKS (URL/.well-known/jwks.json; the
         token itself is never sent), then the issuer, expiry and, with --audience, the
         audience. The issuer defaults to GATEHOUSE_ISSUER. In HS* mode the shared
         GATEHOUSE_HS_SECRET is used instead (a symmetric secret is never published).
         Exit status 0 when valid, 1 when not.

Pass - instead of the token to read it from standard input (keeps it out of shell history).

${CONFIG_HELP}`;

/** Our access tokens are well under this; the JWKS document too. */
const MAX_TOKEN = 16 * 1024;
const MAX_JWKS = 1024 * 1024;

function help(io: CliIo): number {
  io.stdout(`${HELP}\n`);
  return EXIT.OK;
}

async function tokenArg(io: CliIo, arg: string): Promise<string> {
  const token = arg === '-' ? (await readStdin(io, MAX_TOKEN)).trim() : arg.trim();
  if (token === '') throw new UsageError('expected a token (or - to read it from standard input)');
  return token;
}

function reportInvalid(io: CliIo, err: unknown): number {
  if (!isGatehouseError(err)) throw err;
  const claim = err.claim === undefined ? '' : ` (claim ${err.claim})`;
  io.stderr(`invalid token: ${err.code}${claim}: ${err.message}\n`);
  return EXIT.ERROR;
}

async function decode(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {}, false);
  if (values.help) return help(io);
  const [arg] = expectPositionals(positionals, ['jwt']);
  const token = await tokenArg(io, arg!);
  try {
    const { header, payload } = decodeJwt(token, { maxTokenSize: MAX_TOKEN });
    io.stdout(json({ header, payload }));
    io.stderr('note: decoded only; the signature was NOT verified (use gatehouse token verify)\n');
    return EXIT.OK;
  } catch (err) {
    return reportInvalid(io, err);
  }
}

/** GET `${issuer}/.well-known/jwks.json`, no redirects, bounded in time and size. */
async function fetchJwks(issuer: string): Promise<unknown> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
  let res: Response;
  try {
    res = await fetch(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(5000),
      headers: { accept: 'application/json' },
    });
  } catch (err) {
    throw new GatehouseError('JWKS_UNAVAILABLE', `Cannot fetch ${url}`, { cause: err });
  }
  const text = await res.text();
  if (res.status !== 200 || text.length > MAX_JWKS) {
    throw new GatehouseError('JWKS_UNAVAILABLE', `${url} answered ${res.status}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new GatehouseError('JWKS_UNAVAILABLE', `${url} is not JSON`, { cause: err });
  }
}

async function verify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { audience: { type: 'string' } });
  if (values.help) return help(io);
  const [arg] = expectPositionals(positionals, ['jwt']);
  const token = await tokenArg(io, arg!);
  const config = cliConfig(io, values);
  const issuer = config.issuer;
  const explicitIssuer = configFlags(values).issuer !== undefined;

  let keys: Key | KeySet;
  let algorithms: readonly Algorithm[];
  if (config.alg.startsWith('HS') && config.hsSecret !== null && !explicitIssuer) {
    algorithms = [config.alg];
    keys = importSecret(config.hsSecret, config.alg as 'HS256' | 'HS384' | 'HS512');
  } else {
    // Asymmetric algorithms only: a public key must never be usable as an HMAC secret.
    algorithms = ALGORITHMS.filter((a) => !a.startsWith('HS'));
    try {
      keys = importJwks(await fetchJwks(issuer), { algorithms });
    } catch (err) {
      if (isGatehouseError(err)) {
        io.stderr(`error: ${err.code}: ${err.message}\n`);
        return EXIT.ERROR;
      }
      throw err;
    }
  }
  try {
    const opts: Parameters<typeof verifyJwt>[2] = { algorithms, issuer, clockTolerance: 5 };
    if (typeof values.audience === 'string') opts.audience = values.audience;
    const { header, payload } = verifyJwt(token, keys, opts);
    io.stdout(json({ valid: true, header, payload }));
    return EXIT.OK;
  } catch (err) {
    return reportInvalid(io, err);
  }
}

/** `gatehouse token ...` */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'decode or verify a token locally',
  help: HELP,
  run: subcommands('token', { decode, verify }, help),
};
