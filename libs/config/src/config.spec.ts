import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SLA_CONFIG } from '../../domain';
import { makeTestPki, type TestPki } from '../../../test/cluster/support/certs';
import { ConfigError, loadConfig } from './config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/seamline' };

describe('loadConfig', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(base);
    expect(config.api.port).toBe(3000);
    expect(config.temporal).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'tickets',
      tls: null,
      apiKey: null,
    });
    expect(config.workerHealth).toBeNull();
    expect(config.llm).toEqual({ provider: 'offline' });
    expect(config.routing.autoSendUndoSeconds).toBe(120);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ ...base, API_PORT: 'seventy', TEMPORAL_ADDRESS: 'nohostport', DATABASE_URL: 'mysql://x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('API_PORT');
      expect(message).toContain('TEMPORAL_ADDRESS');
      expect(message).toContain('DATABASE_URL');
    }
  });

  it('reads SLA config as validated JSON, naming the path of each problem', () => {
    expect(loadConfig(base).sla.config.version).toBe(DEFAULT_SLA_CONFIG.version);
    const config = { ...DEFAULT_SLA_CONFIG, version: 'test-1' };
    expect(loadConfig({ ...base, SLA_CONFIG: JSON.stringify(config) }).sla.config.version).toBe('test-1');
    expect(() => loadConfig({ ...base, SLA_CONFIG: '{not json' })).toThrow(/SLA_CONFIG: must be JSON/);
    const broken = { ...DEFAULT_SLA_CONFIG, policies: [{ ...DEFAULT_SLA_CONFIG.policies[0], time: 'sometimes' }] };
    expect(() => loadConfig({ ...base, SLA_CONFIG: JSON.stringify(broken) })).toThrow(
      /SLA_CONFIG: .*policies\[0\]\.time/,
    );
    expect(loadConfig({ ...base, SLA_WEBHOOKS: '{"sla-alerts":"http://127.0.0.1:9/hook"}' }).sla.webhooks).toEqual({
      'sla-alerts': 'http://127.0.0.1:9/hook',
    });
  });

  it('sizes the worker: a bounded workflow cache, task slots never above it', () => {
    expect(loadConfig(base).worker).toEqual({
      maxCachedWorkflows: 250,
      maxConcurrentWorkflowTasks: 40,
      maxConcurrentActivities: 100,
    });
    expect(loadConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '8' }).worker.maxConcurrentWorkflowTasks).toBe(8);
    expect(loadConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '0' }).worker).toEqual({
      maxCachedWorkflows: 0,
      maxConcurrentWorkflowTasks: 40,
      maxConcurrentActivities: 100,
    });
    expect(() => loadConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow(
      /WORKER_MAX_CACHED_WORKFLOWS: must be 0 \(no cache\) or at least 2/,
    );
    expect(() => loadConfig({ ...base, WORKER_MAX_CONCURRENT_ACTIVITIES: 'lots' })).toThrow(
      /WORKER_MAX_CONCURRENT_ACTIVITIES/,
    );
  });

  it('requires a key for the OpenAI provider', () => {
    expect(() => loadConfig({ ...base, LLM_PROVIDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
    const config = loadConfig({ ...base, LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'k', OPENAI_MODEL: 'm' });
    expect(config.llm).toMatchObject({ provider: 'openai', apiKey: 'k', model: 'm' });
  });

  describe('Temporal connection (TLS, mTLS, Temporal Cloud)', () => {
    let dir: string;
    let pki: TestPki;
    let otherPki: TestPki;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'seamline-config-tls-'));
      pki = makeTestPki(join(dir, 'a'));
      otherPki = makeTestPki(join(dir, 'b'), 'Other');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    afterEach(() => jest.useRealTimers());

    const problemsOf = (env: Record<string, string>): string => {
      try {
        loadConfig({ ...base, ...env });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('expected a ConfigError');
    };

    it('reads a server CA, a server name and a client certificate pair from files (mTLS)', () => {
      const { temporal } = loadConfig({
        ...base,
        TEMPORAL_ADDRESS: 'temporal-frontend.temporal.svc:7233',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.ca.cert,
        TEMPORAL_TLS_SERVER_NAME: 'temporal.seamline.test',
        TEMPORAL_TLS_CLIENT_CERT_PATH: pki.client.cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: pki.client.key,
      });
      expect(temporal.tls).toEqual({
        serverCaPem: pki.read(pki.ca.cert),
        serverName: 'temporal.seamline.test',
        client: { certPem: pki.read(pki.client.cert), keyPem: pki.read(pki.client.key) },
      });
      expect(temporal.apiKey).toBeNull();
    });

    it('takes PEM text from the environment too, with literal \\n line breaks mended', () => {
      const cert = pki.read(pki.client.cert);
      const { temporal } = loadConfig({
        ...base,
        TEMPORAL_TLS_CLIENT_CERT_DATA: cert.replace(/\n/g, '\\n'),
        TEMPORAL_TLS_CLIENT_KEY_DATA: pki.read(pki.client.key),
      });
      expect(temporal.tls?.client?.certPem).toBe(cert);
      expect(temporal.tls?.serverCaPem).toBeNull();
    });

    it('turns TLS on for TEMPORAL_TLS=true alone and for an API key, and off only when told', () => {
      expect(loadConfig({ ...base, TEMPORAL_TLS: 'true' }).temporal.tls).toEqual({
        serverCaPem: null,
        serverName: null,
        client: null,
      });
      const cloud = loadConfig({
        ...base,
        TEMPORAL_ADDRESS: 'support.a1b2c.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'support.a1b2c',
        TEMPORAL_API_KEY: 'key-123',
      }).temporal;
      expect(cloud.tls).not.toBeNull();
      expect(cloud.apiKey).toBe('key-123');
      // An API key through a local TLS-terminating proxy.
      expect(loadConfig({ ...base, TEMPORAL_API_KEY: 'key-123', TEMPORAL_TLS: 'false' }).temporal.tls).toBeNull();
    });

    it('names the missing half of a certificate pair', () => {
      expect(problemsOf({ TEMPORAL_TLS_CLIENT_CERT_PATH: pki.client.cert })).toMatch(
        /TEMPORAL_TLS_CLIENT_KEY_PATH \(or TEMPORAL_TLS_CLIENT_KEY_DATA\): required with a client certificate/,
      );
      expect(problemsOf({ TEMPORAL_TLS_CLIENT_KEY_DATA: pki.read(pki.client.key) })).toMatch(
        /TEMPORAL_TLS_CLIENT_CERT_PATH \(or TEMPORAL_TLS_CLIENT_CERT_DATA\): required with a client key/,
      );
    });

    it('names an unreadable file, a file that is not PEM, and a key that belongs to another certificate', () => {
      const missing = join(dir, 'nope.pem');
      expect(problemsOf({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: missing })).toContain(
        `TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read "${missing}" (ENOENT`,
      );
      const garbage = join(dir, 'garbage.pem');
      writeFileSync(garbage, 'hello');
      expect(problemsOf({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: garbage })).toContain(
        'TEMPORAL_TLS_SERVER_CA_CERT_PATH: no PEM certificate in it',
      );
      expect(
        problemsOf({ TEMPORAL_TLS_CLIENT_CERT_PATH: pki.client.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: garbage }),
      ).toContain('TEMPORAL_TLS_CLIENT_KEY_PATH: no PEM private key in it');
      expect(
        problemsOf({
          TEMPORAL_TLS_CLIENT_CERT_PATH: pki.client.cert,
          TEMPORAL_TLS_CLIENT_KEY_PATH: otherPki.client.key,
        }),
      ).toContain(
        'TEMPORAL_TLS_CLIENT_KEY_PATH: is not the private key of the certificate in TEMPORAL_TLS_CLIENT_CERT_PATH',
      );
    });

    it('refuses contradictions: both a path and data, TLS off with TLS settings, unsupported host verification', () => {
      expect(
        problemsOf({
          TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.ca.cert,
          TEMPORAL_TLS_SERVER_CA_CERT_DATA: pki.read(pki.ca.cert),
        }),
      ).toContain('TEMPORAL_TLS_SERVER_CA_CERT_PATH / TEMPORAL_TLS_SERVER_CA_CERT_DATA: set one of them, not both');
      expect(problemsOf({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_NAME: 'temporal.example.com' })).toContain(
        'TEMPORAL_TLS: is false, but TEMPORAL_TLS_SERVER_NAME is set',
      );
      expect(problemsOf({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' })).toMatch(
        /TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: not supported .* set TEMPORAL_TLS_SERVER_NAME/,
      );
    });

    it('refuses an expired client certificate at boot', () => {
      jest.useFakeTimers({ now: Date.now() + 5 * 86_400_000 });
      expect(
        problemsOf({ TEMPORAL_TLS_CLIENT_CERT_PATH: pki.client.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: pki.client.key }),
      ).toMatch(/TEMPORAL_TLS_CLIENT_CERT_PATH: the certificate for CN=seamline-app expired on/);
    });

    it('knows what Temporal Cloud needs: TLS, an API key or a client certificate, an <ns>.<account> namespace', () => {
      const message = problemsOf({ TEMPORAL_ADDRESS: 'support.a1b2c.tmprl.cloud:7233', TEMPORAL_TLS: 'false' });
      expect(message).toContain('TEMPORAL_TLS: Temporal Cloud (support.a1b2c.tmprl.cloud:7233) accepts TLS');
      expect(message).toContain('TEMPORAL_API_KEY or TEMPORAL_TLS_CLIENT_CERT_PATH');
      expect(message).toContain('TEMPORAL_NAMESPACE: a Temporal Cloud namespace is named "<namespace>.<account-id>"');
      const mtls = loadConfig({
        ...base,
        TEMPORAL_ADDRESS: 'support.a1b2c.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'support.a1b2c',
        TEMPORAL_TLS_CLIENT_CERT_PATH: pki.client.cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: pki.client.key,
      }).temporal;
      expect(mtls.tls?.client).not.toBeNull();
    });
  });

  it('opens the worker health listener only when WORKER_HEALTH_PORT is set', () => {
    expect(loadConfig({ ...base, WORKER_HEALTH_PORT: '8081' }).workerHealth).toEqual({ host: '127.0.0.1', port: 8081 });
    expect(loadConfig({ ...base, WORKER_HEALTH_PORT: '8081', WORKER_HEALTH_HOST: '0.0.0.0' }).workerHealth).toEqual({
      host: '0.0.0.0',
      port: 8081,
    });
    expect(() => loadConfig({ ...base, WORKER_HEALTH_PORT: '99999' })).toThrow(/WORKER_HEALTH_PORT/);
  });
  describe('orders', () => {
    const shopify = {
      ...base,
      ORDER_SOURCE: 'shopify',
      SHOPIFY_SHOP: 'acme-outfitters.myshopify.com',
      SHOPIFY_ACCESS_TOKEN: 'shpat_0123456789abcdef',
    };

    it('reads orders from the built-in tables by default, shipping from the US', () => {
      expect(loadConfig(base).orders).toEqual({ source: 'builtin', homeCountry: 'US' });
      expect(loadConfig({ ...base, STORE_HOME_COUNTRY: 'de' }).orders).toEqual({
        source: 'builtin',
        homeCountry: 'DE',
      });
    });

    it('reads a Shopify shop with a pinned API version, the VIP tag and a bounded timeout', () => {
      expect(loadConfig(shopify).orders).toEqual({
        source: 'shopify',
        homeCountry: 'US',
        shop: 'acme-outfitters.myshopify.com',
        accessToken: 'shpat_0123456789abcdef',
        apiVersion: '2026-10',
        baseUrl: null,
        vipTag: 'VIP',
        timeoutMs: 8_000,
      });
      expect(
        loadConfig({
          ...shopify,
          SHOPIFY_API_VERSION: '2026-07',
          SHOPIFY_BASE_URL: 'http://127.0.0.1:4567',
          SHOPIFY_VIP_TAG: 'gold',
          STORE_HOME_COUNTRY: 'GB',
        }).orders,
      ).toMatchObject({ apiVersion: '2026-07', baseUrl: 'http://127.0.0.1:4567', vipTag: 'gold', homeCountry: 'GB' });
    });

    it('names the missing shop and token of ORDER_SOURCE=shopify, and never prints the token', () => {
      expect(() => loadConfig({ ...base, ORDER_SOURCE: 'shopify' })).toThrow(
        /SHOPIFY_SHOP: required when ORDER_SOURCE=shopify[\s\S]*SHOPIFY_ACCESS_TOKEN: required when ORDER_SOURCE=shopify/,
      );
      const { SHOPIFY_ACCESS_TOKEN: _token, ...tokenless } = shopify;
      expect(() => loadConfig(tokenless)).toThrow(/SHOPIFY_ACCESS_TOKEN: required when ORDER_SOURCE=shopify/);
      try {
        loadConfig({ ...shopify, SHOPIFY_SHOP: 'shop.example.com' });
        throw new Error('expected a ConfigError');
      } catch (error) {
        expect((error as Error).message).toMatch(/SHOPIFY_SHOP: must be the shop's \*\.myshopify\.com domain/);
        expect((error as Error).message).not.toContain(shopify.SHOPIFY_ACCESS_TOKEN);
      }
    });

    it('rejects a bad source, version, base URL, country or timeout, naming the setting', () => {
      expect(() => loadConfig({ ...base, ORDER_SOURCE: 'magento' })).toThrow(/ORDER_SOURCE/);
      expect(() => loadConfig({ ...shopify, SHOPIFY_API_VERSION: 'unstable' })).toThrow(
        /SHOPIFY_API_VERSION: must be a stable Admin API version/,
      );
      expect(() => loadConfig({ ...shopify, SHOPIFY_API_VERSION: '2026-05' })).toThrow(/SHOPIFY_API_VERSION/);
      // The token would travel in clear text to a host that is not this machine.
      expect(() => loadConfig({ ...shopify, SHOPIFY_BASE_URL: 'http://shop.example.com' })).toThrow(
        /SHOPIFY_BASE_URL: must be an https:\/\/ URL/,
      );
      expect(() => loadConfig({ ...shopify, SHOPIFY_BASE_URL: 'not a url' })).toThrow(/SHOPIFY_BASE_URL/);
      expect(() => loadConfig({ ...shopify, STORE_HOME_COUNTRY: 'USA' })).toThrow(/STORE_HOME_COUNTRY/);
      expect(() => loadConfig({ ...shopify, SHOPIFY_TIMEOUT_MS: '60000' })).toThrow(/SHOPIFY_TIMEOUT_MS/);
      expect(() => loadConfig({ ...shopify, SHOPIFY_ACCESS_TOKEN: 'has spaces in it' })).toThrow(
        /SHOPIFY_ACCESS_TOKEN/,
      );
    });
  });
});

describe('operations settings', () => {
  const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

  it('reads PAYLOAD_KEYS oldest first, and names what is wrong without echoing key material', () => {
    const keys = loadConfig({ ...base, PAYLOAD_KEYS: `old:${key(1)}, new:${key(2)}` }).operations.payloadKeys;
    expect(keys?.map((k) => k.id)).toEqual(['old', 'new']);
    expect(keys?.[1]?.key.equals(Buffer.alloc(32, 2))).toBe(true);
    expect(loadConfig(base).operations.payloadKeys).toBeNull();
    const short = Buffer.alloc(16, 3).toString('base64');
    expect(() => loadConfig({ ...base, PAYLOAD_KEYS: `k1:${short}` })).toThrow(
      /PAYLOAD_KEYS: key "k1": must be 32 bytes/,
    );
    try {
      loadConfig({ ...base, PAYLOAD_KEYS: `k1:${short}` });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => loadConfig({ ...base, PAYLOAD_KEYS: `k1:${key(1)},k1:${key(2)}` })).toThrow(/listed twice/);
    expect(() => loadConfig({ ...base, PAYLOAD_KEYS: key(1) })).toThrow(/PAYLOAD_KEYS: entry 1: expected id:base64key/);
  });

  it('requires PAYLOAD_KEYS in production', () => {
    const production = { ...base, NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(40) };
    expect(() => loadConfig(production)).toThrow(/PAYLOAD_KEYS: required when NODE_ENV=production/);
    expect(loadConfig({ ...production, PAYLOAD_KEYS: `k1:${key(1)}` }).operations.payloadKeys).toHaveLength(1);
  });

  it('turns tracing on only with an OTLP endpoint, metrics only with a port', () => {
    expect(loadConfig(base).operations).toMatchObject({ tracing: null, apiMetrics: null, logFormat: 'json' });
    const on = loadConfig({
      ...base,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/',
      API_METRICS_PORT: '9464',
      LOG_FORMAT: 'pretty',
    }).operations;
    expect(on.tracing).toEqual({ tracesUrl: 'http://127.0.0.1:4318/v1/traces', serviceName: null, sampleRatio: 1 });
    expect(on.apiMetrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(on.logFormat).toBe('pretty');
    expect(
      loadConfig({ ...base, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom' }).operations.tracing?.tracesUrl,
    ).toBe('http://c:4318/custom');
    expect(() => loadConfig({ ...base, CODEC_CORS_ORIGINS: 'http://ui:8233/path' })).toThrow(/CODEC_CORS_ORIGINS/);
  });
});
