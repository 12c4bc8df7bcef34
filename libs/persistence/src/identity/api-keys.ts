import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `slk_<keyId>.<secret>`: the key id finds the row, the secret (256 bits) is only ever stored as a SHA-256. */
const TOKEN = /^slk_([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/;
const KEY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface NewApiKey {
  keyId: string;
  token: string;
  secretHash: Buffer;
}

export function generateApiKey(): NewApiKey {
  const bytes = randomBytes(12);
  const keyId = Array.from(bytes, (b) => KEY_ID_ALPHABET[b % KEY_ID_ALPHABET.length]).join('');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, token: `slk_${keyId}.${secret}`, secretHash: hashApiKeySecret(keyId, secret) };
}

/** A key from fixed parts (demo data); the secret must look like a generated one. */
export function apiKeyFromParts(keyId: string, secret: string): NewApiKey {
  const token = `slk_${keyId}.${secret}`;
  if (!TOKEN.test(token))
    throw new Error('an API key needs a 12-character [a-z0-9] id and a 43-character base64url secret');
  return { keyId, token, secretHash: hashApiKeySecret(keyId, secret) };
}

export function parseApiKey(token: string): { keyId: string; secret: string } | null {
  const match = TOKEN.exec(token);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : null;
}

export function hashApiKeySecret(keyId: string, secret: string): Buffer {
  return createHash('sha256').update(`${keyId}.${secret}`).digest();
}

export function apiKeySecretMatches(stored: Buffer, keyId: string, secret: string): boolean {
  const actual = hashApiKeySecret(keyId, secret);
  return stored.length === actual.length && timingSafeEqual(stored, actual);
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('slk_');
}
