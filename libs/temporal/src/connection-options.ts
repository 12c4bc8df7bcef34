import type { TLSConfig } from '@temporalio/client';
import type { TemporalConfig } from '../../config';

/**
 * What both of the SDK's connections take (`Connection.connect` in the API and the reconciler,
 * `NativeConnection.connect` in the worker): one function builds it from the validated config, so the API, the
 * worker and the reconciler always connect the same way.
 */
export interface TemporalConnectionOptions {
  address: string;
  /** false: plaintext. Never left undefined: with an API key the SDK would otherwise turn TLS on by itself. */
  tls: TLSConfig | false;
  apiKey?: string;
  metadata?: Record<string, string>;
}

export function temporalConnectionOptions(temporal: TemporalConfig): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: temporal.address, tls: false };
  if (temporal.tls) {
    const { serverCaPem, serverName, client } = temporal.tls;
    options.tls = {
      ...(serverCaPem ? { serverRootCACertificate: Buffer.from(serverCaPem) } : {}),
      ...(serverName ? { serverNameOverride: serverName } : {}),
      ...(client ? { clientCertPair: { crt: Buffer.from(client.certPem), key: Buffer.from(client.keyPem) } } : {}),
    };
  }
  if (temporal.apiKey) {
    options.apiKey = temporal.apiKey;
    // Temporal Cloud routes API-key requests by this header on its regional endpoints; namespace endpoints and
    // self-hosted servers ignore it.
    options.metadata = { 'temporal-namespace': temporal.namespace };
  }
  return options;
}

/** How the connection is made, for a start-up log line: never a key or a certificate. */
export function describeTemporalConnection(temporal: TemporalConfig): string {
  const parts = [temporal.address, `namespace ${temporal.namespace}`];
  if (!temporal.tls) parts.push('plaintext');
  else {
    parts.push(temporal.tls.client ? 'mTLS' : 'TLS');
    if (temporal.tls.serverCaPem) parts.push('own CA');
    if (temporal.tls.serverName) parts.push(`server name ${temporal.tls.serverName}`);
  }
  if (temporal.apiKey) parts.push('API key');
  return parts.join(', ');
}

/**
 * A failed connect, said so that the settings to check are named: a TLS problem (a wrong CA or server name, a
 * missing client certificate) surfaces in the SDK only as "Failed to connect before the deadline".
 */
export function temporalConnectionError(temporal: TemporalConfig, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `could not connect to Temporal at ${describeTemporalConnection(temporal)}: ${reason}. ` +
      'Check TEMPORAL_ADDRESS, and for TLS the TEMPORAL_TLS_* settings (server CA, server name, client certificate) ' +
      'or TEMPORAL_API_KEY.',
    { cause: error },
  );
}
