/** `gatehouse demo`: the auth server and the articles resource server with its web page. */

import { DEMO_CLIENT_NAME, startDemo } from '../../demo/start-demo.js';
import { closeOnSignals } from '../../http/shutdown.js';
import { expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command } from '../command.js';
import { cliConfig } from '../context.js';
import { type CliIo, EXIT, UsageError } from '../io.js';

const HELP = `Usage:
  gatehouse demo [--articles-port N] [--port N] [--database-url URL] [...]

The whole system of the seed documents on one machine: the auth server on 127.0.0.1:5000,
the "articles" resource server (examples/articles-server) on 127.0.0.1:4000 and its web page
at http://127.0.0.1:4000/. Embedded SQLite at ./data/gatehouse.db unless a database URL is
given. The page's origin is added to GATEHOUSE_CORS_ORIGINS. SIGINT or SIGTERM stops both.

Options:
  --articles-port N   where the articles server listens (default 4000)

${CONFIG_HELP}`;

function banner(authUrl: string, articlesUrl: string, accessTtl: number): string {
  return `
  Gatehouse demo is running.

    Web page         ${articlesUrl}/
    Articles API     ${articlesUrl}/public, /articles, /articles/all (role admin)
    Auth server      ${authUrl}  (JWKS: ${authUrl}/.well-known/jwks.json)

  Open the web page, create an account and log in. Access tokens live ${accessTtl} s;
  the page refreshes them silently. The articles server follows the revocation feed
  (client "${DEMO_CLIENT_NAME}"), so an ended session is refused there within 2 s.

  Make an admin (in another terminal, from this directory):
    printf '%s\\n' 'a long password' | npx gatehouse users add alice --role admin --password-stdin

  Press Ctrl-C to stop.
`;
}

function portValue(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || port > 65535) {
    throw new UsageError('--articles-port must be a port number (0 to 65535)');
  }
  return port;
}

/** `gatehouse demo` */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'the seed documents\u2019 system on one machine: auth server, articles server, web page',
  help: HELP,
  async run(args: string[], io: CliIo) {
    const { values, positionals } = parse(args, { 'articles-port': { type: 'string' } });
    if (values.help) {
      io.stdout(`${HELP}\n`);
      return EXIT.OK;
    }
    expectPositionals(positionals, []);
    const articlesPort = portValue(values['articles-port']);
    const config = cliConfig(io, values);
    // The banner is for people: request logs only when a log level was asked for explicitly.
    const quiet = io.env.GATEHOUSE_LOG_LEVEL === undefined && values['log-level'] === undefined;
    const demo = await startDemo({
      config,
      ...(articlesPort !== undefined ? { articlesPort } : {}),
      ...(quiet ? { logger: { level: 'warn' as const } } : {}),
    });
    io.stdout(banner(demo.authUrl, demo.articlesUrl, config.accessTtl));
    return new Promise<number>((resolve) => {
      const remove = closeOnSignals(demo, {
        log: (m) => io.stderr(`gatehouse demo: ${m}\n`),
        exit: (code) => {
          remove();
          resolve(code);
        },
      });
    });
  },
};
