import { DEFAULT_SLA_CONFIG } from '../../domain';
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
});
