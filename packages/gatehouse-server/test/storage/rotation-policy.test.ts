/** The pure rotation decision, table-driven. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideRotation, type SessionState } from '../../src/storage/kysely/rotation-policy.js';

const NOW = 1_000_000;
const GRACE = 10_000;
const live: SessionState = { generation: 5, revokedAt: null, expiresAt: NOW + 1, idleExpiresAt: null };

describe('decideRotation', () => {
  const cases: [string, Parameters<typeof decideRotation>, ReturnType<typeof decideRotation>][] = [
    ['current generation', [{ generation: 5, rotatedAt: null }, live, NOW, GRACE], { action: 'rotate' }],
    [
      'predecessor inside grace',
      [{ generation: 4, rotatedAt: NOW - GRACE + 1 }, live, NOW, GRACE],
      { action: 'grace' },
    ],
    [
      'predecessor at the grace limit',
      [{ generation: 4, rotatedAt: NOW - GRACE }, live, NOW, GRACE],
      { action: 'reuse' },
    ],
    ['predecessor, grace 0', [{ generation: 4, rotatedAt: NOW }, live, NOW, 0], { action: 'reuse' }],
    [
      'predecessor rotated "in the future" with grace 0',
      [{ generation: 4, rotatedAt: NOW + 5 }, live, NOW, 0],
      { action: 'reuse' },
    ],
    [
      'two generations back, inside grace',
      [{ generation: 3, rotatedAt: NOW - 1 }, live, NOW, GRACE],
      { action: 'reuse' },
    ],
    [
      'generation 1 of a long chain',
      [{ generation: 1, rotatedAt: NOW - 1 }, live, NOW, GRACE],
      { action: 'reuse' },
    ],
    [
      'revoked session, current token',
      [{ generation: 5, rotatedAt: null }, { ...live, revokedAt: NOW - 1 }, NOW, GRACE],
      { action: 'invalid' },
    ],
    [
      'revoked session, old token',
      [{ generation: 1, rotatedAt: 0 }, { ...live, revokedAt: NOW - 1 }, NOW, GRACE],
      { action: 'invalid' },
    ],
    [
      'absolute deadline reached',
      [{ generation: 5, rotatedAt: null }, { ...live, expiresAt: NOW }, NOW, GRACE],
      { action: 'invalid' },
    ],
    [
      'idle deadline reached',
      [{ generation: 5, rotatedAt: null }, { ...live, idleExpiresAt: NOW }, NOW, GRACE],
      { action: 'invalid' },
    ],
    [
      'idle deadline not yet reached',
      [{ generation: 5, rotatedAt: null }, { ...live, idleExpiresAt: NOW + 1 }, NOW, GRACE],
      { action: 'rotate' },
    ],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => assert.deepEqual(decideRotation(...args), expected));
  }
});
