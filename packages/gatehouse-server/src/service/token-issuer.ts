/**
 * Issues the contract's access tokens (RFC 9068 profile): header `typ: "at+jwt"`, `alg`,
 * `kid`; claims `iss`, `sub`, `aud`, `exp`, `iat`, `jti`, `client_id`, `sid`, `roles`,
 * `username`.
 *
 * ES256/ES384/ES512/EdDSA/HS* sign synchronously through the core's `signJwt` (tens of
 * microseconds). RSA signing costs about a millisecond, so the RS and PS algorithms go through node:crypto's
 * callback form, which runs in libuv's thread pool instead of blocking the event loop.
 */
import { constants, sign as cryptoSign, randomUUID } from 'node:crypto';
import { type Algorithm, type JwtPayload, type Key, signJwt } from 'gatehouse';
import { accessTokenTimes } from '../domain/sessions.js';
import type { SessionRecord, UserRecord } from '../storage/types.js';
import type { Keyring } from './keyring.js';

export interface TokenIssuerOptions {
  keyring: Keyring;
  issuer: string;
  audience: string;
  clientId: string;
  /** Seconds. */
  accessTtl: number;
}

export interface IssuedAccessToken {
  token: string;
  /** Seconds until `exp`, for `expires_in`. */
  expiresIn: number;
  jti: string;
}

export interface TokenIssuer {
  issue(
    user: UserRecord,
    session: Pick<SessionRecord, 'id' | 'expiresAt'>,
    now: number,
  ): Promise<IssuedAccessToken>;
}

const RSA_HASH: Partial<Record<Algorithm, string>> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
};

/**
 * Creates the issuer.
 *
 * @example
 * ```ts
 * const issuer = createTokenIssuer({ keyring, issuer: 'http://127.0.0.1:5000', audience: 'gatehouse', clientId: 'gatehouse', accessTtl: 900 });
 * const { token, expiresIn } = await issuer.issue(user, session, Date.now());
 * ```
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  return {
    async issue(user, session, now) {
      const { iat, exp, expiresIn } = accessTokenTimes(
        options,
        now,
        user.tokensValidAfter,
        session.expiresAt,
      );
      const jti = randomUUID();
      const payload: JwtPayload = {
        iss: options.issuer,
        sub: user.id,
        aud: options.audience,
        exp,
        iat,
        jti,
        client_id: options.clientId,
        sid: session.id,
        roles: [...user.roles],
        username: user.username,
      };
      const key = options.keyring.signingKey(now);
      const token = RSA_HASH[key.alg]
        ? await signRsaOffLoop(payload, key)
        : signJwt(payload, key, { typ: 'at+jwt' });
      return { token, expiresIn, jti };
    },
  };
}

/** Compact JWS signed in the thread pool (RSxxx: PKCS#1 v1.5; PSxxx: PSS, salt = hash length, RFC 7518 3.5). */
function signRsaOffLoop(payload: JwtPayload, key: Key): Promise<string> {
  const header = { alg: key.alg, typ: 'at+jwt', kid: key.kid };
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  const pss = key.alg.startsWith('PS');
  const signingKey = pss
    ? {
        key: key.keyObject,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      }
    : { key: key.keyObject, padding: constants.RSA_PKCS1_PADDING };
  return new Promise((resolve, reject) => {
    cryptoSign(RSA_HASH[key.alg] as string, Buffer.from(input, 'ascii'), signingKey, (err, sig) => {
      if (err) reject(err);
      else resolve(`${input}.${sig.toString('base64url')}`);
    });
  });
}

function b64(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64url');
}
