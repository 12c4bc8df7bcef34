import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, ENCRYPTION_KEY_ID, PayloadDecryptionError } from './payload-codec';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('AesGcmPayloadCodec', () => {
  const secret = { email: 'canary.person@example.com', text: 'my parcel never came' };
  const plain = defaultPayloadConverter.toPayload(secret) as Payload;

  it('encrypts the whole payload, naming its key, and decrypts it back', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
    const [encrypted] = await codec.encode([plain]);
    expect(text(encrypted?.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted?.metadata?.[ENCRYPTION_KEY_ID])).toBe('k1');
    expect(Object.keys(encrypted?.metadata ?? {}).sort()).toEqual([
      'encoding',
      'encryption-cipher',
      'encryption-key-id',
    ]);
    expect(Buffer.from(encrypted?.data ?? []).includes('canary')).toBe(false);
    expect(Buffer.from(encrypted?.data ?? []).includes('json/plain')).toBe(false);
    const [decoded] = await codec.decode([encrypted as Payload]);
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toEqual(secret);
  });

  it('uses a fresh IV for every payload', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
  });

  it('rotates: the newest key encrypts, the old one still decrypts', async () => {
    const [old] = await new AesGcmPayloadCodec([k1]).encode([plain]);
    const rotated = new AesGcmPayloadCodec([k1, k2]);
    expect(rotated.currentKeyId).toBe('k2');
    const [fresh] = await rotated.encode([plain]);
    expect(text(fresh?.metadata?.[ENCRYPTION_KEY_ID])).toBe('k2');
    const decoded = await rotated.decode([old as Payload, fresh as Payload]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([secret, secret]);
  });

  it('passes payloads without its encoding through (histories from before encryption)', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses an unknown key, a tampered payload and a payload passed off as another key', async () => {
    const [encrypted] = (await new AesGcmPayloadCodec([k1]).encode([plain])) as Payload[];
    await expect(new AesGcmPayloadCodec([k2]).decode([encrypted as Payload])).rejects.toThrow(/"k1" is not configured/);
    const data = Buffer.from(encrypted?.data ?? []);
    data[20] = (data[20] as number) ^ 1;
    await expect(new AesGcmPayloadCodec([k1]).decode([{ ...encrypted, data }])).rejects.toBeInstanceOf(
      PayloadDecryptionError,
    );
    const sameKeyOtherId = { id: 'k2', key: k1.key };
    const relabelled = {
      ...encrypted,
      metadata: { ...encrypted?.metadata, [ENCRYPTION_KEY_ID]: Buffer.from('k2') },
    };
    await expect(new AesGcmPayloadCodec([sameKeyOtherId]).decode([relabelled])).rejects.toThrow(
      /failed authentication/,
    );
  });
});
