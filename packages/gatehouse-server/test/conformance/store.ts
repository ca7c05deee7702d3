/**
 * The conformance suite every storage backend passes: `testStore(name, makeStore)` declares
 * one `describe` block per concern. `makeStore` must return a fresh, empty, migrated store for
 * each test (the suite closes it). Tests use injected times only, never the clock or sleeps.
 *
 * @example
 * ```ts
 * testStore('sqlite :memory:', () => createSqliteStore({ path: ':memory:' }));
 * ```
 */
import { describe } from 'node:test';
import { attemptsAuditSuite } from './attempts-audit-suite.js';
import type { MakeStore } from './fixtures.js';
import { keyClientSuite } from './keys-clients-suite.js';
import { lifecycleSuite } from './lifecycle-suite.js';
import { purgeSuite } from './purge-suite.js';
import { revocationSuite } from './revocations-suite.js';
import { rotationSuite } from './rotation-suite.js';
import { sessionSuite } from './sessions-suite.js';
import { userSuite } from './users-suite.js';

export type { MakeStore } from './fixtures.js';

export function testStore(name: string, makeStore: MakeStore): void {
  describe(`Store conformance: ${name}`, () => {
    describe('lifecycle', () => lifecycleSuite(makeStore));
    describe('users', () => userSuite(makeStore));
    describe('sessions', () => sessionSuite(makeStore));
    describe('rotateRefreshToken', () => rotationSuite(makeStore));
    describe('revocation log', () => revocationSuite(makeStore));
    describe('signing keys and clients', () => keyClientSuite(makeStore));
    describe('attempts and audit', () => attemptsAuditSuite(makeStore));
    describe('purge and stats', () => purgeSuite(makeStore));
  });
}
