/**
 * What every service operation shares: storage, the injected clock, the lifetimes, the
 * password hasher, the keyring and the token issuer. Built once by `create-auth-service.ts`.
 */
import type { SessionPolicy } from '../domain/sessions.js';
import type { Store } from '../storage/types.js';
import type { Keyring } from './keyring.js';
import type { RevocationNotifier } from './notifier.js';
import type { PasswordHasher } from './password-hasher.js';
import type { TokenIssuer } from './token-issuer.js';
import type { ServiceEvent } from './types.js';

export interface ServiceContext {
  readonly store: Store;
  /** Epoch milliseconds. */
  readonly clock: () => number;
  readonly policy: SessionPolicy;
  readonly hasher: PasswordHasher;
  readonly keyring: Keyring;
  readonly tokens: TokenIssuer;
  readonly issuer: string;
  readonly audience: string;
  readonly openRegistration: boolean;
  /** Nudged after every revocation append (the store is wrapped by `withRevocationNotices`). */
  readonly notifier: RevocationNotifier;
  /** Reports an event; never throws (a failing metrics hook must not fail a login). */
  emit(event: ServiceEvent): void;
}

/**
 * Wraps an optional event hook so that it can never throw into the caller.
 *
 * @example
 * ```ts
 * const emit = safeEmitter(options.onEvent);
 * emit({ type: 'logout', outcome: 'ended' });
 * ```
 */
export function safeEmitter(
  onEvent: ((event: ServiceEvent) => void) | undefined,
): (event: ServiceEvent) => void {
  if (!onEvent) return () => {};
  return (event) => {
    try {
      onEvent(event);
    } catch {
      // Metrics and logging hooks are best effort.
    }
  };
}
