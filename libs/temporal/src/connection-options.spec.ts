import type { TemporalConfig } from '../../config';
import { describeTemporalConnection, temporalConnectionOptions } from './connection-options';

const plain: TemporalConfig = {
  address: '127.0.0.1:7233',
  namespace: 'default',
  taskQueue: 'tickets',
  tls: null,
  apiKey: null,
};

describe('temporalConnectionOptions', () => {
  it('connects in plaintext when TLS is off, saying so explicitly', () => {
    expect(temporalConnectionOptions(plain)).toEqual({ address: '127.0.0.1:7233', tls: false });
    expect(describeTemporalConnection(plain)).toBe('127.0.0.1:7233, namespace default, plaintext');
  });

  it('passes the CA, the server name and the client pair as the SDK wants them', () => {
    const options = temporalConnectionOptions({
      ...plain,
      tls: { serverCaPem: 'CA', serverName: 'temporal.internal', client: { certPem: 'CRT', keyPem: 'KEY' } },
    });
    expect(options.tls).toEqual({
      serverRootCACertificate: Buffer.from('CA'),
      serverNameOverride: 'temporal.internal',
      clientCertPair: { crt: Buffer.from('CRT'), key: Buffer.from('KEY') },
    });
    expect(options.apiKey).toBeUndefined();
  });

  it('sends an API key with the namespace header Temporal Cloud routes by, and never logs the key', () => {
    const cloud: TemporalConfig = {
      ...plain,
      address: 'us-east-1.aws.api.temporal.io:7233',
      namespace: 'support.a1b2c',
      tls: { serverCaPem: null, serverName: null, client: null },
      apiKey: 'secret-key',
    };
    expect(temporalConnectionOptions(cloud)).toEqual({
      address: 'us-east-1.aws.api.temporal.io:7233',
      tls: {},
      apiKey: 'secret-key',
      metadata: { 'temporal-namespace': 'support.a1b2c' },
    });
    expect(describeTemporalConnection(cloud)).not.toContain('secret-key');
    expect(describeTemporalConnection(cloud)).toContain('API key');
  });
});
