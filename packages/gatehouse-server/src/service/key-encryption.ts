/**
 * Encryption at rest of private signing keys (`GATEHOUSE_KEY_ENCRYPTION_SECRET`).
 *
 * Format, versioned so that a later scheme can sit beside it:
 *   `enc:v1:<salt>.<iv>.<ciphertext>.<tag>` (each part base64url)
 * - key: scrypt(secret, salt, N = 2^14, r = 8, p = 1) → 32 bytes. A memory-hard KDF because the
 *   secret is an operator-chosen string that may be weak; the salt is random per key.
 * - cipher: AES-256-GCM, 96-bit random IV, 128-bit tag; the key id is bound as additional
 *   authenticated data, so a ciphertext moved to another row does not decrypt.
 * Values without the `enc:` prefix are plain JSON (keys written while no secret was set).
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { GatehouseError } from 'gatehouse/errors';

const PREFIX = 'enc:v1:';
const SCRYPT = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/**
 * True when the stored private JWK is encrypted (any version).
 *
 * @example
 * ```ts
 * isEncrypted(record.privateJwk); // true for 'enc:v1:...'
 * ```
 */
export function isEncrypted(stored: string): boolean {
  return stored.startsWith('enc:');
}

function deriveKey(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Encrypts a private JWK (JSON text) for storage.
 *
 * @example
 * ```ts
 * const stored = await encryptPrivateJwk(JSON.stringify(jwk), secret, kid); // 'enc:v1:...'
 * ```
 */
export async function encryptPrivateJwk(plaintext: string, secret: string, kid: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(secret, salt);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`gatehouse-signing-key:${kid}`, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return PREFIX + [salt, iv, ct, tag].map((b) => b.toString('base64url')).join('.');
}

/**
 * Decrypts a stored private JWK; plain values are returned unchanged. Throws `OPTION_INVALID`
 * (naming GATEHOUSE_KEY_ENCRYPTION_SECRET, never the secret) when the key is encrypted and no
 * secret, or the wrong one, is configured.
 *
 * @example
 * ```ts
 * const jwk = JSON.parse(await decryptPrivateJwk(record.privateJwk, secret, record.kid));
 * ```
 */
export async function decryptPrivateJwk(
  stored: string,
  secret: string | undefined,
  kid: string,
): Promise<string> {
  if (!isEncrypted(stored)) return stored;
  if (!stored.startsWith(PREFIX)) {
    throw new GatehouseError('OPTION_INVALID', `signing key ${kid} uses an unknown encryption format`, {
      claim: 'GATEHOUSE_KEY_ENCRYPTION_SECRET',
    });
  }
  if (secret === undefined || secret === '') {
    throw new GatehouseError(
      'OPTION_INVALID',
      `signing key ${kid} is encrypted: GATEHOUSE_KEY_ENCRYPTION_SECRET must be set`,
      { claim: 'GATEHOUSE_KEY_ENCRYPTION_SECRET' },
    );
  }
  const parts = stored.slice(PREFIX.length).split('.');
  const [salt, iv, ct, tag] = parts.map((p) => Buffer.from(p, 'base64url'));
  if (parts.length !== 4 || !salt || !iv || !ct || !tag || iv.length !== 12 || tag.length !== 16) {
    throw new GatehouseError(
      'OPTION_INVALID',
      `signing key ${kid}: the value encrypted under GATEHOUSE_KEY_ENCRYPTION_SECRET is malformed`,
      {
        claim: 'GATEHOUSE_KEY_ENCRYPTION_SECRET',
      },
    );
  }
  try {
    const key = await deriveKey(secret, salt);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(`gatehouse-signing-key:${kid}`, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new GatehouseError(
      'OPTION_INVALID',
      `signing key ${kid} does not decrypt: GATEHOUSE_KEY_ENCRYPTION_SECRET is wrong`,
      { claim: 'GATEHOUSE_KEY_ENCRYPTION_SECRET', cause },
    );
  }
}
