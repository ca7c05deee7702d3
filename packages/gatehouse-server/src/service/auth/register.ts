/** `POST /auth/register` and the admin's `users add`: validation, hashing, insertion. */
import { randomUUID } from 'node:crypto';
import { GatehouseError } from 'gatehouse/errors';
import { ipBucket } from '../../domain/ip-prefix.js';
import { validateNewPassword } from '../../domain/passwords.js';
import { DEFAULT_ROLES } from '../../domain/roles.js';
import { registerRule } from '../../domain/throttle.js';
import { normalizeUsername } from '../../domain/usernames.js';
import type { UserRecord } from '../../storage/types.js';
import type { ServiceContext } from '../context.js';
import type { PublicUser, RequestContext } from '../types.js';
import { toPublicUser } from '../views.js';
import { chargeAttempts } from './throttle-gate.js';

/**
 * Creates a user with the given roles. VALIDATION_FAILED, USERNAME_TAKEN.
 *
 * @example
 * ```ts
 * const user = await createUserRecord(ctx, { username: 'alice', password: 'long enough' }, ['admin']);
 * ```
 */
export async function createUserRecord(
  ctx: ServiceContext,
  input: { username: unknown; password: unknown },
  roles: string[],
): Promise<UserRecord> {
  const { username, usernameKey } = normalizeUsername(input.username);
  const password = validateNewPassword(input.password);
  // Cheap early answer; the insert below is what decides under a race.
  if (await ctx.store.findUserByUsernameKey(usernameKey)) {
    throw new GatehouseError('USERNAME_TAKEN', 'That username is taken');
  }
  const passwordHash = await ctx.hasher.hash(password);
  const user = await ctx.store.createUser({
    id: randomUUID(),
    username,
    usernameKey,
    passwordHash,
    roles,
    now: ctx.clock(),
  });
  if (!user) throw new GatehouseError('USERNAME_TAKEN', 'That username is taken');
  return user;
}

/**
 * Self-registration. REGISTRATION_CLOSED, TOO_MANY_ATTEMPTS (per client address),
 * VALIDATION_FAILED, USERNAME_TAKEN.
 *
 * @example
 * ```ts
 * await register(ctx, { username: 'alice', password: 'correct horse' }, { ip: null, userAgent: null });
 * ```
 */
export async function register(
  ctx: ServiceContext,
  input: { username: string; password: string },
  req: RequestContext,
): Promise<PublicUser> {
  if (!ctx.openRegistration) {
    ctx.emit({ type: 'register', outcome: 'closed' });
    throw new GatehouseError('REGISTRATION_CLOSED', 'Registration is closed');
  }
  // Security: every attempt is charged to the client address (IPv6 by /64) before any lookup
  // or hash, which bounds both account spam and username probing through USERNAME_TAKEN.
  const rule = registerRule(ipBucket(req?.ip));
  if (rule !== null) await chargeAttempts(ctx, [rule], req, 'register');
  try {
    const user = await createUserRecord(ctx, input ?? {}, [...DEFAULT_ROLES]);
    ctx.emit({ type: 'register', outcome: 'created' });
    return toPublicUser(user);
  } catch (err) {
    if (err instanceof GatehouseError && err.code === 'USERNAME_TAKEN')
      ctx.emit({ type: 'register', outcome: 'taken' });
    if (err instanceof GatehouseError && err.code === 'VALIDATION_FAILED') {
      ctx.emit({ type: 'register', outcome: 'invalid' });
    }
    throw err;
  }
}
