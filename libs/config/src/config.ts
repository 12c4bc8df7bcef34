import { z } from 'zod';
import { DEFAULT_SLA_TARGETS, type SlaTarget } from '../../domain/src/sla/response-targets';

/** Every setting Seamline reads, validated once at boot. This is the only code that reads `process.env`. */
const port = z.coerce.number().int().min(1).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const seconds = z.number().positive().max(365 * 86_400);
const slaTargetSchema = z.strictObject({
  queue: z.enum(['risk', 'priority', 'accessibility', 'standard', 'escalations']).optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
  firstResponseSeconds: seconds,
  nextResponseSeconds: seconds,
});

const envSchema = z.object({
  API_PORT: port.default(3000),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(256_000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('tickets'),
  LLM_PROVIDER: z.enum(['offline', 'openai']).default('offline'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  AUTO_SEND_ENABLED: bool.default(true),
  AUTO_SEND_UNDO_SECONDS: z.coerce.number().min(0).max(86_400).default(120),
  REOPEN_WINDOW_SECONDS: z.coerce.number().min(0).max(90 * 86_400).default(7 * 86_400),
  SLA_TARGETS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(slaTargetSchema).min(1))
    .optional(),
  ESCALATION_WEBHOOK_URL: z.url().optional(),
  STORE_NAME: z.string().min(1).default('Seamline Demo Store'),
  STORE_RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  STORE_REFUND_PROCESSING_DAYS: z.coerce.number().int().min(0).max(90).default(5),
  STORE_DOMESTIC_SHIPPING_DAYS: z.string().min(1).default('3-5 business days'),
  STORE_INTERNATIONAL_SHIPPING_DAYS: z.string().min(1).default('7-14 business days'),
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: port.default(2525),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.email().default('support@seamline.local'),
  MESSAGE_ID_DOMAIN: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a domain name').default('seamline.local'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
});

export interface SeamlineConfig {
  api: { port: number; host: string; maxBodyBytes: number };
  database: { url: string; poolSize: number };
  temporal: { address: string; namespace: string; taskQueue: string };
  llm:
    | { provider: 'offline' }
    | { provider: 'openai'; apiKey: string; baseUrl?: string; model: string; timeoutMs: number };
  routing: { autoSendEnabled: boolean; autoSendUndoSeconds: number; reopenWindowSeconds: number };
  sla: { targets: SlaTarget[] };
  escalationWebhookUrl: string | null;
  store: {
    storeName: string;
    returnWindowDays: number;
    refundProcessingDays: number;
    domesticShippingDays: string;
    internationalShippingDays: string;
    supportSignature: string;
  };
  smtp: { host: string; port: number; secure: boolean; from: string; auth?: { user: string; pass: string } };
  messageIdDomain: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment into the typed config; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): SeamlineConfig {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  if (e.LLM_PROVIDER === 'openai' && !e.OPENAI_API_KEY) {
    throw new ConfigError(['OPENAI_API_KEY: required when LLM_PROVIDER=openai']);
  }
  return {
    api: { port: e.API_PORT, host: e.API_HOST, maxBodyBytes: e.API_MAX_BODY_BYTES },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE },
    llm:
      e.LLM_PROVIDER === 'openai'
        ? {
            provider: 'openai',
            apiKey: e.OPENAI_API_KEY as string,
            baseUrl: e.OPENAI_BASE_URL,
            model: e.OPENAI_MODEL,
            timeoutMs: e.OPENAI_TIMEOUT_MS,
          }
        : { provider: 'offline' },
    routing: {
      autoSendEnabled: e.AUTO_SEND_ENABLED,
      autoSendUndoSeconds: e.AUTO_SEND_UNDO_SECONDS,
      reopenWindowSeconds: e.REOPEN_WINDOW_SECONDS,
    },
    sla: { targets: e.SLA_TARGETS ?? DEFAULT_SLA_TARGETS },
    escalationWebhookUrl: e.ESCALATION_WEBHOOK_URL ?? null,
    store: {
      storeName: e.STORE_NAME,
      returnWindowDays: e.STORE_RETURN_WINDOW_DAYS,
      refundProcessingDays: e.STORE_REFUND_PROCESSING_DAYS,
      domesticShippingDays: e.STORE_DOMESTIC_SHIPPING_DAYS,
      internationalShippingDays: e.STORE_INTERNATIONAL_SHIPPING_DAYS,
      supportSignature: `The ${e.STORE_NAME} support team`,
    },
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      from: e.SMTP_FROM,
      ...(e.SMTP_USER ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASSWORD ?? '' } } : {}),
    },
    messageIdDomain: e.MESSAGE_ID_DOMAIN,
    logLevel: e.LOG_LEVEL,
  };
}
