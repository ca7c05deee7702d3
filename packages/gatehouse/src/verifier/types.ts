/** Public result types of the resource-server verifier. */
import type { JwsHeader, JwtPayload } from '../core/jws-decode.js';
import type { JwksStatus } from './jwks-remote.js';
import type { RevocationFeedStatus } from './revocation-feed.js';

/** Claims of a Gatehouse access token (RFC 9068 plus Gatehouse's own), all optional. */
export interface AccessTokenClaims extends JwtPayload {
  /** Session id (revocable through the feed). */
  sid?: string;
  /** Roles granted to the user, e.g. ['admin']. */
  roles?: string[];
  username?: string;
  client_id?: string;
  /** OAuth scopes, space-separated (RFC 9068). */
  scope?: string;
  /** Scopes as an array (some issuers). */
  scp?: string[];
}

/** What a successful verification gives: the verified claims and protected header. */
export interface AuthInfo {
  claims: AccessTokenClaims;
  header: JwsHeader;
}

/** Health of a verifier, to expose on a status endpoint. Times are epoch seconds. */
export interface VerifierStatus {
  keys: JwksStatus | { source: 'static'; up: true; keys: number };
  /** null when no revocation feed is configured. */
  revocation: RevocationFeedStatus | null;
  cache: { enabled: boolean; hits: number; misses: number; size: number; hitRate: number };
}
