import { ConfigError, loadConfig } from './config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/seamline' };

describe('loadConfig', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(base);
    expect(config.api.port).toBe(3000);
    expect(config.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'tickets' });
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

  it('reads SLA targets as validated JSON', () => {
    const targets = [{ priority: 'urgent', firstResponseSeconds: 2, nextResponseSeconds: 3 }];
    expect(loadConfig({ ...base, SLA_TARGETS: JSON.stringify(targets) }).sla.targets).toEqual(targets);
    expect(() => loadConfig({ ...base, SLA_TARGETS: '{not json' })).toThrow(/SLA_TARGETS: must be JSON/);
    expect(() => loadConfig({ ...base, SLA_TARGETS: '[{"firstResponseSeconds":-1,"nextResponseSeconds":1}]' })).toThrow(
      /SLA_TARGETS/,
    );
  });

  it('requires a key for the OpenAI provider', () => {
    expect(() => loadConfig({ ...base, LLM_PROVIDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
    const config = loadConfig({ ...base, LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'k', OPENAI_MODEL: 'm' });
    expect(config.llm).toMatchObject({ provider: 'openai', apiKey: 'k', model: 'm' });
  });
});
