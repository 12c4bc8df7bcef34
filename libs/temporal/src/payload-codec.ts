import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from '../../config';

/** The metadata that marks a payload this codec encrypted, and names the key that did. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const ENCRYPTION_KEY_ID = 'encryption-key-id';
export const ENCRYPTION_CIPHER = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encrypts every payload that reaches Temporal with AES-256-GCM: the whole original payload (its metadata and
 * data, as a Payload protobuf) becomes the ciphertext, so neither the data nor its encoding shows. The payload's
 * metadata keeps only the encoding `binary/encrypted`, the cipher and the id of the key that encrypted it; the key id
 * is also the authenticated data, so a payload cannot be passed off as another key's.
 *
 * Keys rotate: the newest key encrypts, every configured key decrypts. Payloads without this codec's encoding
 * (histories recorded before encryption, plain payloads from another client) pass through unchanged.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: PayloadKey;

  /** `keys` oldest first: the last one encrypts. */
  constructor(keys: readonly PayloadKey[]) {
    const current = keys[keys.length - 1];
    if (!current) throw new Error('AesGcmPayloadCodec needs at least one key');
    for (const key of keys) {
      if (key.key.length !== 32) throw new Error(`payload key ${key.id}: must be 32 bytes`);
    }
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    this.current = current;
  }

  /** The id of the key new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.current;
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(encoder.encode(id));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: encoder.encode(ENCRYPTED_ENCODING),
        [ENCRYPTION_CIPHER]: encoder.encode(CIPHER),
        [ENCRYPTION_KEY_ID]: encoder.encode(id),
      },
      data: Buffer.concat([iv, body, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[ENCRYPTION_KEY_ID];
    if (!idBytes) throw new PayloadDecryptionError('an encrypted payload without a key id');
    const id = decoder.decode(idBytes);
    const key = this.keys.get(id);
    if (!key) throw new PayloadDecryptionError(`payload key "${id}" is not configured (PAYLOAD_KEYS)`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('an encrypted payload that is too short');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(encoder.encode(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`a payload under key "${id}" failed authentication`);
    }
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: decoded.metadata ?? {}, data: decoded.data ?? new Uint8Array() };
  }
}

export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

/** The data converter of every Temporal client and worker: encrypted payloads when keys are configured. */
export function seamlineDataConverter(keys: readonly PayloadKey[] | null): DataConverter {
  return keys?.length ? { payloadCodecs: [new AesGcmPayloadCodec(keys)] } : {};
}
