import { createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  ACKNOWLEDGEMENT_PLACEHOLDERS,
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATES,
  DEFAULT_SLA_CONFIG,
  QUEUES,
  unknownPlaceholders,
  validateSlaConfig,
  type AcknowledgementTemplates,
  type SlaConfig,
} from '../../domain';

/** The demo store's account help (how to change details, reset a password); a real store writes its own. */
const DEFAULT_ACCOUNT_HELP =
  'You can look after your account yourself: sign in and open \u201cMy account\u201d to change your name, address or e-mail address. If you have forgotten your password, choose \u201cForgot password?\u201d on the sign-in page and we will e-mail you a link to set a new one. If something there does not work as it should, simply reply to this e-mail.';

/** Every setting Seamline reads, validated once at boot. This is the only code that reads `process.env`. */
const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** A JSON-valued setting. */
const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

/** SLA policies, calendars and ladders, checked by the SLA model's own validator (errors name the path). */
const slaConfigSchema = jsonText.transform((raw, ctx) => {
  const checked = validateSlaConfig(raw);
  if (checked.ok) return checked.value;
  for (const error of checked.errors) ctx.addIssue({ code: 'custom', message: error });
  return z.NEVER;
});

// ---- Identity, access and the inbox ----------------------------------------------------------------------
// NODE_ENV=production makes AUTH_JWT_SECRET mandatory. Elsewhere an unset secret is generated per process
// (tokens then end with the API process; `npm start` passes a secret it keeps in .data/ so logins survive restarts).
const perMinute = z.coerce.number().int().min(1).max(1_000_000);
const accessEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
  AUTH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(8 * 3_600),
  AUTH_LOGIN_LIMIT_PER_MINUTE: perMinute.default(10),
  AUTH_ACTION_LIMIT_PER_MINUTE: perMinute.default(120),
  API_TRUST_PROXY: bool.default(false),
  INBOX_STATIC_DIR: z.string().min(1).optional(),
  INBOX_STREAM_HEARTBEAT_SECONDS: z.coerce.number().min(1).max(300).default(25),
};

export interface AccessConfig {
  environment: 'development' | 'test' | 'production';
  /** HS256 key for access tokens; `ephemeral` when generated for this process (never in production). */
  jwtSecret: string;
  jwtSecretSource: 'env' | 'ephemeral';
  tokenTtlSeconds: number;
  /** Login attempts per minute, per client address and per account. */
  loginLimitPerMinute: number;
  /** Ticket actions per minute, per user. */
  actionLimitPerMinute: number;
  /** Honour X-Forwarded-For (behind one trusted reverse proxy) for rate limits. */
  trustProxy: boolean;
  /** Where the built inbox UI is; default: dist/inbox next to the API build. */
  staticDir: string | null;
  streamHeartbeatSeconds: number;
}

function accessConfig(e: z.infer<z.ZodObject<typeof accessEnv>>): AccessConfig {
  if (e.NODE_ENV === 'production' && !e.AUTH_JWT_SECRET) {
    throw new ConfigError(['AUTH_JWT_SECRET: required when NODE_ENV=production (at least 32 random characters)']);
  }
  return {
    environment: e.NODE_ENV,
    jwtSecret: e.AUTH_JWT_SECRET ?? randomBytes(48).toString('base64url'),
    jwtSecretSource: e.AUTH_JWT_SECRET ? 'env' : 'ephemeral',
    tokenTtlSeconds: e.AUTH_TOKEN_TTL_SECONDS,
    loginLimitPerMinute: e.AUTH_LOGIN_LIMIT_PER_MINUTE,
    actionLimitPerMinute: e.AUTH_ACTION_LIMIT_PER_MINUTE,
    trustProxy: e.API_TRUST_PROXY,
    staticDir: e.INBOX_STATIC_DIR ?? null,
    streamHeartbeatSeconds: e.INBOX_STREAM_HEARTBEAT_SECONDS,
  };
}
// ---- end of identity, access and the inbox ------------------------------------------------------------------

// --- inbound email: SMTP listener, raw MIME, Postmark webhook, parse bounds, sender trust ---
const emailList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((a) => a.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.email()).min(1).max(100));
const inboundEnv = {
  INBOUND_SMTP_ENABLED: bool.default(false),
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  INBOUND_SMTP_PORT: port.default(2526),
  INBOUND_SMTP_NAME: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a host name')
    .optional(),
  INBOUND_SMTP_MAX_CLIENTS: z.coerce.number().int().min(1).max(1000).default(20),
  INBOUND_SMTP_MAX_RECIPIENTS: z.coerce.number().int().min(1).max(1000).default(50),
  INBOUND_SMTP_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  INBOUND_SMTP_TLS_KEY_FILE: z.string().min(1).optional(),
  INBOUND_SMTP_TLS_CERT_FILE: z.string().min(1).optional(),
  INBOUND_SMTP_AUTH_USER: z.string().min(1).optional(),
  INBOUND_SMTP_AUTH_PASSWORD: z.string().min(8).optional(),
  SUPPORT_ADDRESSES: emailList.default(['support@seamline.local']),
  INBOUND_MAX_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(10_000_000),
  INBOUND_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(0).max(50_000_000).default(2_000_000),
  INBOUND_MAX_PARTS: z.coerce.number().int().min(1).max(1000).default(100),
  INBOUND_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(10),
  INBOUND_PARSE_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).default(5_000),
  INBOUND_PARSE_MEMORY_MB: z.coerce.number().int().min(16).max(4096).default(256),
  INBOUND_PARSERS: z.coerce.number().int().min(1).max(32).default(2),
  INBOUND_RETRY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  INBOUND_DMARC_REQUIRED: bool.default(true),
  INBOUND_TRUSTED_AUTHSERV_IDS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((id) => id.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]{1,253}$/, 'must be host names separated by commas')))
    .optional(),
  INBOUND_DNS_SERVERS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^[\w.:[\]-]+$/, 'must be ip or ip:port'))
        .min(1)
        .max(8),
    )
    .optional(),
  INBOUND_DNS_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
  POSTMARK_INBOUND_USER: z.string().min(1).optional(),
  POSTMARK_INBOUND_PASSWORD: z.string().min(12).optional(),
};

export interface InboundConfig {
  smtp: {
    enabled: boolean;
    host: string;
    port: number;
    name: string | null;
    maxClients: number;
    maxRecipients: number;
    socketTimeoutMs: number;
    tls: { keyFile: string; certFile: string } | null;
    auth: { user: string; password: string } | null;
  };
  supportAddresses: string[];
  maxBytes: number;
  attachmentMaxBytes: number;
  maxParts: number;
  maxDepth: number;
  parseTimeoutMs: number;
  parseMemoryMb: number;
  parsers: number;
  /** Stored mail whose intake broke off is taken up again after this many quiet seconds (0: never). */
  retrySeconds: number;
  /** Mail needs a DMARC pass (aligned SPF or DKIM) before VIP treatment, order lookup by sender and auto-send. */
  dmarcRequired: boolean;
  /** Relays whose Authentication-Results (dmarc=pass) vouch for the From of mail on the MIME and Postmark routes. */
  trustedAuthservIds: string[];
  dns: { servers: string[] | null; timeoutMs: number };
  /** Postmark inbound webhook basic-auth credentials; null: the webhook answers 404. */
  postmark: { user: string; password: string } | null;
}

function toInboundConfig(e: z.infer<z.ZodObject<typeof inboundEnv>>): InboundConfig {
  const problems: string[] = [];
  if (Boolean(e.INBOUND_SMTP_TLS_KEY_FILE) !== Boolean(e.INBOUND_SMTP_TLS_CERT_FILE)) {
    problems.push('INBOUND_SMTP_TLS_KEY_FILE / INBOUND_SMTP_TLS_CERT_FILE: set both or neither');
  }
  if (Boolean(e.INBOUND_SMTP_AUTH_USER) !== Boolean(e.INBOUND_SMTP_AUTH_PASSWORD)) {
    problems.push('INBOUND_SMTP_AUTH_USER / INBOUND_SMTP_AUTH_PASSWORD: set both or neither');
  }
  if (Boolean(e.POSTMARK_INBOUND_USER) !== Boolean(e.POSTMARK_INBOUND_PASSWORD)) {
    problems.push('POSTMARK_INBOUND_USER / POSTMARK_INBOUND_PASSWORD: set both or neither');
  }
  if (e.INBOUND_ATTACHMENT_MAX_BYTES > e.INBOUND_MAX_BYTES) {
    problems.push('INBOUND_ATTACHMENT_MAX_BYTES: must not exceed INBOUND_MAX_BYTES');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    smtp: {
      enabled: e.INBOUND_SMTP_ENABLED,
      host: e.INBOUND_SMTP_HOST,
      port: e.INBOUND_SMTP_PORT,
      name: e.INBOUND_SMTP_NAME ?? null,
      maxClients: e.INBOUND_SMTP_MAX_CLIENTS,
      maxRecipients: e.INBOUND_SMTP_MAX_RECIPIENTS,
      socketTimeoutMs: e.INBOUND_SMTP_SOCKET_TIMEOUT_MS,
      tls:
        e.INBOUND_SMTP_TLS_KEY_FILE && e.INBOUND_SMTP_TLS_CERT_FILE
          ? { keyFile: e.INBOUND_SMTP_TLS_KEY_FILE, certFile: e.INBOUND_SMTP_TLS_CERT_FILE }
          : null,
      auth:
        e.INBOUND_SMTP_AUTH_USER && e.INBOUND_SMTP_AUTH_PASSWORD
          ? { user: e.INBOUND_SMTP_AUTH_USER, password: e.INBOUND_SMTP_AUTH_PASSWORD }
          : null,
    },
    supportAddresses: e.SUPPORT_ADDRESSES,
    maxBytes: e.INBOUND_MAX_BYTES,
    attachmentMaxBytes: e.INBOUND_ATTACHMENT_MAX_BYTES,
    maxParts: e.INBOUND_MAX_PARTS,
    maxDepth: e.INBOUND_MAX_DEPTH,
    parseTimeoutMs: e.INBOUND_PARSE_TIMEOUT_MS,
    parseMemoryMb: e.INBOUND_PARSE_MEMORY_MB,
    parsers: e.INBOUND_PARSERS,
    retrySeconds: e.INBOUND_RETRY_SECONDS,
    dmarcRequired: e.INBOUND_DMARC_REQUIRED,
    trustedAuthservIds: e.INBOUND_TRUSTED_AUTHSERV_IDS ?? [],
    dns: { servers: e.INBOUND_DNS_SERVERS ?? null, timeoutMs: e.INBOUND_DNS_TIMEOUT_MS },
    postmark:
      e.POSTMARK_INBOUND_USER && e.POSTMARK_INBOUND_PASSWORD
        ? { user: e.POSTMARK_INBOUND_USER, password: e.POSTMARK_INBOUND_PASSWORD }
        : null,
  };
}
// --- end inbound email ---

// ---- Temporal connection: TLS, mTLS and Temporal Cloud ------------------------------------------------------
// The variable names are Temporal's own environment configuration (the `temporal` CLI and the SDKs read the same
// ones), so an operator's CLI and the apps share one set of settings. A certificate or key comes as a file path
// (a mounted Secret) or as PEM text (an environment variable); either is read and checked here, once, so a wrong
// file stops the process at boot with the setting named instead of failing later inside a TLS handshake.
const pemSetting = z.string().min(1).optional();
const temporalConnectionEnv = {
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: pemSetting,
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: pemSetting,
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a host name')
    .optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: pemSetting,
  TEMPORAL_TLS_CLIENT_CERT_DATA: pemSetting,
  TEMPORAL_TLS_CLIENT_KEY_PATH: pemSetting,
  TEMPORAL_TLS_CLIENT_KEY_DATA: pemSetting,
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: bool.optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
};

/** How to reach Temporal: the frontend address, the namespace, and how to authenticate (TLS, mTLS, API key). */
export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /** null: plaintext gRPC (the dev server, a cluster on a private network). */
  tls: TemporalTlsConfig | null;
  /** Sent as `Authorization: Bearer <key>` (Temporal Cloud API keys). */
  apiKey: string | null;
}

export interface TemporalTlsConfig {
  /** PEM CA bundle that signed the server's certificate; null: the system's trusted roots (Temporal Cloud). */
  serverCaPem: string | null;
  /** The name to expect in the server's certificate, when it differs from the host in TEMPORAL_ADDRESS. */
  serverName: string | null;
  /** mTLS: the client certificate (PEM, may include intermediates) and its private key. */
  client: { certPem: string; keyPem: string } | null;
}

type TemporalEnv = z.infer<z.ZodObject<typeof temporalConnectionEnv>> & {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
};

/** Temporal Cloud endpoints: namespace endpoints (`<ns>.<account>.tmprl.cloud`) and regional API-key endpoints. */
const TEMPORAL_CLOUD_HOST = /\.(tmprl\.cloud|api\.temporal\.io)$/i;

function toTemporalConfig(e: TemporalEnv, now: Date): TemporalConfig {
  const problems: string[] = [];
  const pem = (name: 'SERVER_CA_CERT' | 'CLIENT_CERT' | 'CLIENT_KEY') => {
    const pathName = `TEMPORAL_TLS_${name}_PATH` as const;
    const dataName = `TEMPORAL_TLS_${name}_DATA` as const;
    const path = e[pathName];
    const data = e[dataName];
    if (path && data) {
      problems.push(`${pathName} / ${dataName}: set one of them, not both`);
      return null;
    }
    if (data) return { setting: dataName, text: unescapeNewlines(data) };
    if (!path) return null;
    try {
      return { setting: pathName, text: readFileSync(path, 'utf8') };
    } catch (error) {
      problems.push(`${pathName}: cannot read "${path}" (${(error as Error).message})`);
      return null;
    }
  };
  const ca = pem('SERVER_CA_CERT');
  const cert = pem('CLIENT_CERT');
  const key = pem('CLIENT_KEY');

  if (ca) checkCertificates(ca.setting, ca.text, now, problems);
  const certificate = cert ? checkCertificates(cert.setting, cert.text, now, problems) : null;
  const privateKey = key ? checkPrivateKey(key.setting, key.text, problems) : null;
  const certGiven = Boolean(e.TEMPORAL_TLS_CLIENT_CERT_PATH || e.TEMPORAL_TLS_CLIENT_CERT_DATA);
  const keyGiven = Boolean(e.TEMPORAL_TLS_CLIENT_KEY_PATH || e.TEMPORAL_TLS_CLIENT_KEY_DATA);
  if (certGiven && !keyGiven) {
    problems.push(
      'TEMPORAL_TLS_CLIENT_KEY_PATH (or TEMPORAL_TLS_CLIENT_KEY_DATA): required with a client certificate (mTLS needs the certificate and its key)',
    );
  }
  if (keyGiven && !certGiven) {
    problems.push(
      'TEMPORAL_TLS_CLIENT_CERT_PATH (or TEMPORAL_TLS_CLIENT_CERT_DATA): required with a client key (mTLS needs the certificate and its key)',
    );
  }
  if (certificate && privateKey && cert && key && !certificate.checkPrivateKey(privateKey)) {
    problems.push(`${key.setting}: is not the private key of the certificate in ${cert.setting}`);
  }

  if (e.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION) {
    problems.push(
      "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: not supported by Temporal's TypeScript SDK; set TEMPORAL_TLS_SERVER_NAME to the name in the server's certificate instead",
    );
  }
  const tlsSettings = [
    'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
    'TEMPORAL_TLS_SERVER_NAME',
    'TEMPORAL_TLS_CLIENT_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_CERT_DATA',
    'TEMPORAL_TLS_CLIENT_KEY_PATH',
    'TEMPORAL_TLS_CLIENT_KEY_DATA',
  ] as const;
  const setTlsSettings = tlsSettings.filter((name) => e[name] !== undefined);
  if (e.TEMPORAL_TLS === false && setTlsSettings.length > 0) {
    problems.push(
      `TEMPORAL_TLS: is false, but ${setTlsSettings.join(', ')} ${setTlsSettings.length > 1 ? 'are' : 'is'} set`,
    );
  }
  // Like Temporal's own environment configuration: TLS when asked for, when any TLS setting is given, or with an
  // API key (unless TEMPORAL_TLS=false says otherwise, e.g. behind a local TLS-terminating proxy).
  const tlsOn = e.TEMPORAL_TLS ?? (setTlsSettings.length > 0 || Boolean(e.TEMPORAL_API_KEY));

  const host = e.TEMPORAL_ADDRESS.replace(/:\d+$/, '');
  if (TEMPORAL_CLOUD_HOST.test(host)) {
    if (!tlsOn) problems.push(`TEMPORAL_TLS: Temporal Cloud (${e.TEMPORAL_ADDRESS}) accepts TLS connections only`);
    if (!e.TEMPORAL_API_KEY && !certGiven) {
      problems.push(
        `TEMPORAL_API_KEY or TEMPORAL_TLS_CLIENT_CERT_PATH/TEMPORAL_TLS_CLIENT_KEY_PATH: Temporal Cloud (${e.TEMPORAL_ADDRESS}) needs an API key or a client certificate`,
      );
    }
    if (!e.TEMPORAL_NAMESPACE.includes('.')) {
      problems.push(
        `TEMPORAL_NAMESPACE: a Temporal Cloud namespace is named "<namespace>.<account-id>" (got "${e.TEMPORAL_NAMESPACE}")`,
      );
    }
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    address: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    tls: tlsOn
      ? {
          serverCaPem: ca?.text ?? null,
          serverName: e.TEMPORAL_TLS_SERVER_NAME ?? null,
          client: cert && key ? { certPem: cert.text, keyPem: key.text } : null,
        }
      : null,
    apiKey: e.TEMPORAL_API_KEY ?? null,
  };
}

/** PEM text put in one line with literal `\n` (some secret stores and .env files do that) gets its line breaks back. */
function unescapeNewlines(text: string): string {
  return text.includes('\n') ? text : text.replace(/\\n/g, '\n');
}

/** The first certificate of a PEM bundle, checked to parse and to be valid now; null (and a problem) otherwise. */
function checkCertificates(setting: string, text: string, now: Date, problems: string[]): X509Certificate | null {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    problems.push(`${setting}: no PEM certificate in it (expected "-----BEGIN CERTIFICATE-----")`);
    return null;
  }
  const certificates: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      certificates.push(new X509Certificate(block));
    } catch (error) {
      problems.push(`${setting}: a certificate in it does not parse (${(error as Error).message})`);
      return null;
    }
  }
  const first = certificates[0] as X509Certificate;
  if (new Date(first.validTo).getTime() < now.getTime()) {
    problems.push(`${setting}: the certificate for ${first.subject.replace(/\n/g, ', ')} expired on ${first.validTo}`);
  } else if (new Date(first.validFrom).getTime() > now.getTime()) {
    problems.push(
      `${setting}: the certificate for ${first.subject.replace(/\n/g, ', ')} is valid only from ${first.validFrom}`,
    );
  }
  return first;
}

function checkPrivateKey(setting: string, text: string, problems: string[]): KeyObject | null {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    problems.push(`${setting}: no PEM private key in it (expected "-----BEGIN PRIVATE KEY-----")`);
    return null;
  }
  try {
    return createPrivateKey(text);
  } catch (error) {
    problems.push(`${setting}: the private key does not parse (${(error as Error).message})`);
    return null;
  }
}
// ---- end of the Temporal connection -------------------------------------------------------------------------

// ---- The shop's order system: the built-in tables or a Shopify shop ------------------------------------------
// ORDER_SOURCE=shopify reads orders from a shop's Admin GraphQL API. The token only ever goes over TLS: a
// SHOPIFY_BASE_URL (another origin speaking the same API) may be plain http only on a loopback address (tests).
const SHOPIFY_DEFAULT_API_VERSION = '2026-10';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const ordersEnv = {
  ORDER_SOURCE: z.enum(['builtin', 'shopify']).default('builtin'),
  SHOPIFY_SHOP: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/,
      "must be the shop's *.myshopify.com domain (e.g. acme.myshopify.com)",
    )
    .optional(),
  SHOPIFY_ACCESS_TOKEN: z
    .string()
    .regex(/^\S{8,}$/, 'must be an Admin API access token (at least 8 characters, no spaces)')
    .optional(),
  SHOPIFY_API_VERSION: z
    .string()
    .regex(/^\d{4}-(01|04|07|10)$/, `must be a stable Admin API version, YYYY-MM (e.g. ${SHOPIFY_DEFAULT_API_VERSION})`)
    .default(SHOPIFY_DEFAULT_API_VERSION),
  SHOPIFY_BASE_URL: z
    .url()
    .refine((text) => {
      const url = URL.canParse(text) ? new URL(text) : null;
      return url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    }, 'must be an https:// URL (http:// only on a loopback address)')
    .optional(),
  SHOPIFY_VIP_TAG: z.string().trim().min(1).max(255).default('VIP'),
  // One lookup (two requests) ends before the fetchOrder activity's 15 s start-to-close timeout, so a slow shop
  // fails as a timeout this adapter names instead of an activity timeout.
  SHOPIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(14_000).default(8_000),
  STORE_HOME_COUNTRY: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code (e.g. US)')
    .transform((code) => code.toUpperCase())
    .default('US'),
};

/**
 * Where orders come from. `homeCountry`: orders shipped elsewhere are international. Shopify: the shop, its Admin
 * API token and version, the customer tag that marks a VIP, the time one lookup may take.
 */
export type OrdersConfig =
  | { source: 'builtin'; homeCountry: string }
  | {
      source: 'shopify';
      homeCountry: string;
      shop: string;
      accessToken: string;
      apiVersion: string;
      baseUrl: string | null;
      vipTag: string;
      timeoutMs: number;
    };

function toOrdersConfig(e: z.infer<z.ZodObject<typeof ordersEnv>>): OrdersConfig {
  if (e.ORDER_SOURCE === 'builtin') return { source: 'builtin', homeCountry: e.STORE_HOME_COUNTRY };
  const problems: string[] = [];
  if (!e.SHOPIFY_SHOP) problems.push('SHOPIFY_SHOP: required when ORDER_SOURCE=shopify (the *.myshopify.com domain)');
  if (!e.SHOPIFY_ACCESS_TOKEN) {
    problems.push("SHOPIFY_ACCESS_TOKEN: required when ORDER_SOURCE=shopify (the custom app's Admin API access token)");
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    source: 'shopify',
    homeCountry: e.STORE_HOME_COUNTRY,
    shop: e.SHOPIFY_SHOP as string,
    accessToken: e.SHOPIFY_ACCESS_TOKEN as string,
    apiVersion: e.SHOPIFY_API_VERSION,
    baseUrl: e.SHOPIFY_BASE_URL ?? null,
    vipTag: e.SHOPIFY_VIP_TAG,
    timeoutMs: e.SHOPIFY_TIMEOUT_MS,
  };
}
// ---- end of the shop's order system -------------------------------------------------------------------------

// ---- Operations: payload encryption, metrics, tracing, logs ------------------------------------------------
// PAYLOAD_KEYS: `id:base64key,id:base64key`, oldest first; the last key encrypts, every key decrypts (rotation:
// append a new key, keep the old ones until no history needs them). Required with NODE_ENV=production.
const PAYLOAD_KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const payloadKeys = z.string().transform((text, ctx) => {
  const keys: PayloadKey[] = [];
  let problems = 0;
  const problem = (message: string) => {
    problems += 1;
    ctx.addIssue({ code: 'custom', message });
  };
  for (const [index, entry] of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .entries()) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const material = colon > 0 ? entry.slice(colon + 1) : '';
    if (!PAYLOAD_KEY_ID.test(id)) {
      problem(`entry ${index + 1}: expected id:base64key, the id of letters, digits, . _ -`);
      continue;
    }
    const key = Buffer.from(material, 'base64');
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(material) || key.length !== 32) {
      problem(`key "${id}": must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
      continue;
    }
    if (keys.some((k) => k.id === id)) {
      problem(`key "${id}": listed twice`);
      continue;
    }
    keys.push({ id, key });
  }
  if (!keys.length && !problems) problem('no key in it');
  return problems ? z.NEVER : keys;
});
const originList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  )
  .pipe(
    z.array(z.url().regex(/^https?:\/\/[^/]+$/, 'must be origins (scheme://host[:port]) separated by commas')).max(20),
  );
const operationsEnv = {
  PAYLOAD_KEYS: payloadKeys.optional(),
  CODEC_CORS_ORIGINS: originList.default(['http://127.0.0.1:8233', 'http://localhost:8233']),
  API_METRICS_PORT: port.optional(),
  API_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .optional(),
  TRACING_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
};

/** One payload encryption key: its id (in every payload it encrypts) and its 32 bytes. */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

export interface OperationsConfig {
  /** Oldest first; the last encrypts. null: payloads go to Temporal unencrypted (never in production). */
  payloadKeys: PayloadKey[] | null;
  /** Origins (Temporal UI) allowed to call the codec endpoint from a browser. */
  codecCorsOrigins: string[];
  /** The API's Prometheus listener (GET /metrics); null: none. The worker serves /metrics on its health port. */
  apiMetrics: { host: string; port: number } | null;
  /** OTLP/HTTP trace export; null: tracing off. `serviceName` is suffixed per app unless set. */
  tracing: { tracesUrl: string; serviceName: string | null; sampleRatio: number } | null;
  logFormat: 'json' | 'pretty';
}

function toOperationsConfig(e: z.infer<z.ZodObject<typeof operationsEnv>> & { NODE_ENV: string }): OperationsConfig {
  if (e.NODE_ENV === 'production' && !e.PAYLOAD_KEYS) {
    throw new ConfigError([
      'PAYLOAD_KEYS: required when NODE_ENV=production (id:base64key, e.g. k1:$(openssl rand -base64 32))',
    ]);
  }
  const tracesUrl =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : null);
  return {
    payloadKeys: e.PAYLOAD_KEYS ?? null,
    codecCorsOrigins: e.CODEC_CORS_ORIGINS,
    apiMetrics: e.API_METRICS_PORT ? { host: e.API_METRICS_HOST, port: e.API_METRICS_PORT } : null,
    tracing: tracesUrl
      ? { tracesUrl, serviceName: e.OTEL_SERVICE_NAME ?? null, sampleRatio: e.TRACING_SAMPLE_RATIO }
      : null,
    logFormat: e.LOG_FORMAT,
  };
}
// ---- end of operations ---------------------------------------------------------------------------------------

const envSchema = z.object({
  API_PORT: port.default(3000),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(256_000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('tickets'),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .max(100_000)
    .refine((n) => n === 0 || n >= 2, 'must be 0 (no cache) or at least 2')
    .default(250),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1_000).default(40),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  // The worker's health endpoint (GET /livez, /readyz) for an orchestrator's probes; unset: none.
  WORKER_HEALTH_PORT: port.optional(),
  WORKER_HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
  LLM_PROVIDER: z.enum(['offline', 'openai']).default('offline'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  AUTO_SEND_ENABLED: bool.default(true),
  AUTO_SEND_UNDO_SECONDS: z.coerce.number().min(0).max(86_400).default(120),
  /**
   * `earned`: each allow-listed intent sends on its own only once its recorded outcomes prove it safe (shadow until
   * then); `fixed`: every allow-listed intent sends at the fixed thresholds (the policy `npm run eval` measures).
   */
  ROUTING_AUTONOMY: z.enum(['earned', 'fixed']).default('earned'),
  AUTONOMY_TARGET_RISK: z.coerce.number().gt(0).max(0.2).default(0.02),
  AUTONOMY_MIN_OUTCOMES: z.coerce.number().int().min(10).max(100_000).default(50),
  AUTONOMY_MAX_EDIT_DISTANCE: z.coerce.number().min(0).max(1).default(0.2),
  AUTONOMY_RECOMPUTE_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(3600),
  ACK_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  ACK_TEMPLATES: jsonText.pipe(z.record(z.string(), z.string().min(1).max(5_000))).optional(),
  REOPEN_WINDOW_SECONDS: z.coerce
    .number()
    .min(0)
    .max(90 * 86_400)
    .default(7 * 86_400),
  CLOSED_TICKET_REPLIES: z.enum(['link', 'reopen']).default('link'),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  RECONCILE_QUIET_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
  SLA_CONFIG: slaConfigSchema.optional(),
  SLA_WEBHOOKS: jsonText.pipe(z.record(z.string().regex(/^[\w.-]{1,64}$/), z.url())).optional(),
  SLA_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  SLA_NOTIFY_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(3_600),
  SLA_NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  SLA_NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  STORE_NAME: z.string().min(1).default('Seamline Demo Store'),
  STORE_RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  STORE_REFUND_PROCESSING_DAYS: z.coerce.number().int().min(0).max(90).default(5),
  STORE_DOMESTIC_SHIPPING_DAYS: z.string().min(1).default('3-5 business days'),
  STORE_INTERNATIONAL_SHIPPING_DAYS: z.string().min(1).default('7-14 business days'),
  /** How customers look after their account, in the store's words; empty: account questions go to people. */
  STORE_ACCOUNT_HELP: z.string().max(2_000).default(DEFAULT_ACCOUNT_HELP),
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: port.default(2525),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.email().default('support@seamline.local'),
  MESSAGE_ID_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name')
    .default('seamline.local'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  ...accessEnv,
  ...inboundEnv,
  ...temporalConnectionEnv,
  ...ordersEnv,
  ...operationsEnv,
});

export interface SeamlineConfig {
  api: { port: number; host: string; maxBodyBytes: number };
  database: { url: string; poolSize: number };
  temporal: TemporalConfig;
  /**
   * Worker sizing. `maxCachedWorkflows` bounds memory: a ticket evicted from the cache is replayed from its
   * history when it next wakes, so thousands of tickets waiting on SLA timers need not all stay in memory.
   */
  worker: { maxCachedWorkflows: number; maxConcurrentWorkflowTasks: number; maxConcurrentActivities: number };
  /** Where the worker answers its liveness and readiness probes; null: no listener. */
  workerHealth: { host: string; port: number } | null;
  llm:
    | { provider: 'offline' }
    | { provider: 'openai'; apiKey: string; baseUrl?: string; model: string; timeoutMs: number };
  /** `closedTicketReplies`: a reply to a closed ticket opens a new ticket linked to it, or reopens it. */
  routing: {
    autoSendEnabled: boolean;
    autoSendUndoSeconds: number;
    reopenWindowSeconds: number;
    closedTicketReplies: 'link' | 'reopen';
    /**
     * The customer hears that a person has their request `acknowledgeAfterSeconds` after a handoff with no reply
     * (0: never), in the store's words per queue.
     */
    acknowledgeAfterSeconds: number;
    acknowledgementTemplates: AcknowledgementTemplates;
    /** Earned autonomy (see ROUTING_AUTONOMY): how much risk, how much evidence, what counts as a real edit. */
    autonomy: {
      mode: 'earned' | 'fixed';
      targetRisk: number;
      minOutcomes: number;
      maxEditDistance: number;
      recomputeSeconds: number;
    };
  };
  /** How often the worker looks for open tickets without a running workflow (0: never), and how long a ticket must be quiet first. */
  reconcile: { intervalSeconds: number; quietSeconds: number };
  /**
   * SLA policies, calendars and escalation ladders; `webhooks` maps the webhook names they use to URLs; `notify`
   * bounds how the notifier delivers: attempts, age, back-off and the timeout of one request.
   */
  sla: {
    config: SlaConfig;
    webhooks: Record<string, string>;
    notify: { maxAttempts: number; maxAgeSeconds: number; retryBaseMs: number; timeoutMs: number };
  };
  store: {
    storeName: string;
    returnWindowDays: number;
    refundProcessingDays: number;
    domesticShippingDays: string;
    internationalShippingDays: string;
    supportSignature: string;
    accountHelp?: string;
  };
  smtp: { host: string; port: number; secure: boolean; from: string; auth?: { user: string; pass: string } };
  messageIdDomain: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  access: AccessConfig;
  inbound: InboundConfig;
  orders: OrdersConfig;
  operations: OperationsConfig;
}

/** ACK_TEMPLATES: `default` and queue names, each a template with known placeholders only. */
function acknowledgementTemplates(raw: Record<string, string> | undefined): AcknowledgementTemplates {
  if (!raw) return DEFAULT_ACKNOWLEDGEMENT_TEMPLATES;
  const problems: string[] = [];
  for (const [queue, template] of Object.entries(raw)) {
    if (queue !== 'default' && !(QUEUES as readonly string[]).includes(queue)) {
      problems.push(`ACK_TEMPLATES.${queue}: not a queue; use default or one of ${QUEUES.join(', ')}`);
    }
    const unknown = unknownPlaceholders(template);
    if (unknown.length) {
      problems.push(
        `ACK_TEMPLATES.${queue}: unknown placeholders ${unknown.map((p) => `{${p}}`).join(', ')}; ` +
          `known: ${ACKNOWLEDGEMENT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
      );
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return { ...DEFAULT_ACKNOWLEDGEMENT_TEMPLATES, ...raw } as AcknowledgementTemplates;
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
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.LLM_PROVIDER === 'openai' && !e.OPENAI_API_KEY) {
    throw new ConfigError(['OPENAI_API_KEY: required when LLM_PROVIDER=openai']);
  }
  return {
    api: { port: e.API_PORT, host: e.API_HOST, maxBodyBytes: e.API_MAX_BODY_BYTES },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    temporal: toTemporalConfig(e, new Date()),
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTasks: Math.min(
        e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
        e.WORKER_MAX_CACHED_WORKFLOWS || Infinity,
      ),
      maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    workerHealth: e.WORKER_HEALTH_PORT ? { host: e.WORKER_HEALTH_HOST, port: e.WORKER_HEALTH_PORT } : null,
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
      closedTicketReplies: e.CLOSED_TICKET_REPLIES,
      acknowledgeAfterSeconds: e.ACK_DELAY_SECONDS,
      acknowledgementTemplates: acknowledgementTemplates(e.ACK_TEMPLATES),
      autonomy: {
        mode: e.ROUTING_AUTONOMY,
        targetRisk: e.AUTONOMY_TARGET_RISK,
        minOutcomes: e.AUTONOMY_MIN_OUTCOMES,
        maxEditDistance: e.AUTONOMY_MAX_EDIT_DISTANCE,
        recomputeSeconds: e.AUTONOMY_RECOMPUTE_SECONDS,
      },
    },
    reconcile: { intervalSeconds: e.RECONCILE_INTERVAL_SECONDS, quietSeconds: e.RECONCILE_QUIET_SECONDS },
    sla: {
      config: e.SLA_CONFIG ?? DEFAULT_SLA_CONFIG,
      webhooks: e.SLA_WEBHOOKS ?? {},
      notify: {
        maxAttempts: e.SLA_NOTIFY_MAX_ATTEMPTS,
        maxAgeSeconds: e.SLA_NOTIFY_MAX_AGE_SECONDS,
        retryBaseMs: e.SLA_NOTIFY_RETRY_BASE_MS,
        timeoutMs: e.SLA_NOTIFY_TIMEOUT_MS,
      },
    },
    store: {
      storeName: e.STORE_NAME,
      returnWindowDays: e.STORE_RETURN_WINDOW_DAYS,
      refundProcessingDays: e.STORE_REFUND_PROCESSING_DAYS,
      domesticShippingDays: e.STORE_DOMESTIC_SHIPPING_DAYS,
      internationalShippingDays: e.STORE_INTERNATIONAL_SHIPPING_DAYS,
      supportSignature: `The ${e.STORE_NAME} support team`,
      ...(e.STORE_ACCOUNT_HELP.trim() ? { accountHelp: e.STORE_ACCOUNT_HELP.trim() } : {}),
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
    access: accessConfig(e),
    inbound: toInboundConfig(e),
    orders: toOrdersConfig(e),
    operations: toOperationsConfig(e),
  };
}
