/** Messages between the HTTP benchmark (parent, load generator) and its server child process. */
import type { BenchAlg } from '../lib/raw-jws.js';

export type Framework = 'express' | 'fastify';
export type AuthKind = 'none' | 'gatehouse' | 'peer';

/** What the child must serve. Key material travels over IPC, never argv or environment. */
export interface ServerConfig {
  framework: Framework;
  auth: AuthKind;
  alg: BenchAlg;
  kid: string;
  /** HS*: the secret, base64. */
  secret?: string;
  /** Asymmetric: SPKI PEM public key. */
  publicPem?: string;
  /** Number of revocation entries to load through a local revocation feed (0: feed off). */
  deny: number;
  /** Gatehouse only: `cache: { max }` of the verifier; absent = the verifier's default. */
  cacheMax?: number;
  issuer: string;
  audience: string;
}

export type ParentMessage =
  | { type: 'config'; config: ServerConfig }
  | { type: 'cpu-start' }
  | { type: 'cpu-stop' };

export type ChildMessage =
  | { type: 'ready'; port: number; note?: string }
  | { type: 'error'; message: string }
  /**
   * CPU time the server spent between cpu-start and cpu-stop, as a fraction of one core, and
   * (Gatehouse cells) the verified-token cache hit rate over the same interval.
   */
  | { type: 'cpu'; utilisation: number; cacheHitRate: number | null };
