import { ConfigError, loadConfig } from '../../../../libs/config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/seamline' };

describe('access configuration', () => {
  it('requires an explicit JWT secret in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(
      /AUTH_JWT_SECRET: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', AUTH_JWT_SECRET: 'short' })).toThrow(
      /AUTH_JWT_SECRET: must be at least 32/,
    );
    // production also needs the payload keys (libs/config's operations settings)
    const payloadKeys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    const config = loadConfig({
      ...base,
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 's'.repeat(40),
      PAYLOAD_KEYS: payloadKeys,
    });
    expect(config.access).toMatchObject({
      environment: 'production',
      jwtSecret: 's'.repeat(40),
      jwtSecretSource: 'env',
    });
  });

  it('makes a per-process secret in development, and applies the defaults', () => {
    const a = loadConfig(base).access;
    const b = loadConfig(base).access;
    expect(a.jwtSecretSource).toBe('ephemeral');
    expect(a.jwtSecret).toHaveLength(64);
    expect(a.jwtSecret).not.toBe(b.jwtSecret);
    expect(a).toMatchObject({
      tokenTtlSeconds: 28_800,
      loginLimitPerMinute: 10,
      actionLimitPerMinute: 120,
      trustProxy: false,
      staticDir: null,
    });
  });

  it('names bad access settings', () => {
    expect(() => loadConfig({ ...base, AUTH_TOKEN_TTL_SECONDS: '5', AUTH_ACTION_LIMIT_PER_MINUTE: 'lots' })).toThrow(
      /AUTH_TOKEN_TTL_SECONDS[\s\S]*AUTH_ACTION_LIMIT_PER_MINUTE|AUTH_ACTION_LIMIT_PER_MINUTE[\s\S]*AUTH_TOKEN_TTL_SECONDS/,
    );
  });
});
