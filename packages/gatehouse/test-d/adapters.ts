/**
 * Compile-only type tests (`npx tsc -p tsconfig.test.json`): they pin the `req.auth` and
 * `request.auth` augmentations and the adapters' public signatures.
 */
import type { Request as ExpressRequest, RequestHandler } from 'express';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, requireRole, requireScope } from '../src/adapters/express.js';
import { authenticate as fastifyAuthenticate, gatehouse } from '../src/adapters/fastify.js';
import { type AdapterOptions, createWebAuth, type WebAuthResult } from '../src/adapters/web.js';
import type { Verifier } from '../src/verifier/create-verifier.js';
import type { AuthInfo, VerifierStatus } from '../src/verifier/types.js';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_: T): void => {};

// --- Express: declaration merging on Express.Request -----------------------------------------
declare const expressReq: ExpressRequest;
expectType<Equals<typeof expressReq.auth, AuthInfo | undefined>>(true);
expectType<Equals<NonNullable<typeof expressReq.auth>['claims']['roles'], string[] | undefined>>(true);
expectType<Equals<NonNullable<typeof expressReq.auth>['claims']['sub'], string | undefined>>(true);
const mw = authenticate({ secret: 'x'.repeat(32) });
expectType<Equals<typeof mw.verifier, Verifier>>(true);
const asHandler: RequestHandler = mw;
const guards: RequestHandler[] = [requireRole('admin'), requireScope('a', 'b')];
// getToken receives the Express request
authenticate({ secret: 'x'.repeat(32), getToken: (req) => req.get('x-token') });
// @ts-expect-error: a verifier option object is not a token getter
authenticate({ secret: 'x'.repeat(32), getToken: 'header' });
// @ts-expect-error: roles are strings
requireRole(1);

// --- Fastify: module augmentation of FastifyRequest / FastifyInstance ------------------------
declare const fastifyReq: FastifyRequest;
expectType<Equals<typeof fastifyReq.auth, AuthInfo | undefined>>(true);
declare const app: FastifyInstance;
expectType<Equals<typeof app.gatehouse, Verifier>>(true);
app.get(
  '/x',
  { preHandler: [app.authenticate, fastifyAuthenticate({ verifier: app.gatehouse })] },
  async () => 'ok',
);
app.register(gatehouse, { issuer: 'https://auth.example', audience: 'api', global: true });
// @ts-expect-error: global is a boolean
app.register(gatehouse, { issuer: 'https://auth.example', global: 'yes' });

// --- Web -------------------------------------------------------------------------------------
const webAuth = createWebAuth({ jwksUrl: 'https://auth.example/jwks.json' });
declare const result: WebAuthResult;
if (result.ok) expectType<Equals<typeof result.auth, AuthInfo | undefined>>(true);
else expectType<Equals<typeof result.response, Response>>(true);
// A token is required by default: auth is always set on success.
expectType<Equals<ReturnType<typeof webAuth>, Promise<WebAuthResult<AuthInfo>>>>(true);
const optionalAuth = createWebAuth({ jwksUrl: 'https://auth.example/jwks.json', credentialsRequired: false });
expectType<Equals<ReturnType<typeof optionalAuth>, Promise<WebAuthResult<AuthInfo | undefined>>>>(true);
declare const maybe: boolean;
const unknownAuth = createWebAuth({ jwksUrl: 'https://auth.example/jwks.json', credentialsRequired: maybe });
expectType<Equals<ReturnType<typeof unknownAuth>, Promise<WebAuthResult<AuthInfo | undefined>>>>(true);
const explicitAuth = createWebAuth({ jwksUrl: 'https://auth.example/jwks.json', credentialsRequired: true });
expectType<Equals<ReturnType<typeof explicitAuth>, Promise<WebAuthResult<AuthInfo>>>>(true);
declare const someOptions: AdapterOptions<Request>;
expectType<Equals<ReturnType<ReturnType<typeof createWebAuth<typeof someOptions>>>, Promise<WebAuthResult>>>(
  true,
);
expectType<Equals<ReturnType<Verifier['status']>, VerifierStatus>>(true);
expectType<Equals<Awaited<ReturnType<Verifier['verify']>>, AuthInfo>>(true);

export { asHandler, guards };
