import type {
  AdminAuditEntry,
  AutonomyView,
  DecisionResult,
  InboxPage,
  Intent,
  IntentCorrection,
  LoginResponse,
  Me,
  QuarantinePage,
  QueueCount,
  Ticket,
} from './types';

/** An answer from the API that is not 2xx: the stable code decides what the inbox says. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  token: string;
  user: Me;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const SESSION_KEY = 'seamline.session';

/** The token lives in this tab's sessionStorage only: closing the tab signs out; other sites cannot read it. */
export function loadSession(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    return session && session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Fired when the API says the session ended; the app returns to the login page. */
export const SESSION_ENDED = 'seamline:session-ended';

async function request<T>(
  path: string,
  options: { method?: string; body?: unknown; idempotencyKey?: string; token?: string | null } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.token === undefined ? loadSession()?.token : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    const code = body?.error?.code ?? `HTTP_${res.status}`;
    if (res.status === 401 && token) window.dispatchEvent(new CustomEvent(SESSION_ENDED));
    throw new ApiError(res.status, code, body?.error?.message ?? res.statusText);
  }
  return body as T;
}

export const api = {
  login: (email: string, password: string) =>
    request<LoginResponse>('/auth/login', { method: 'POST', body: { email, password }, token: null }),
  logout: () => request<void>('/auth/logout', { method: 'POST', body: {} }),
  inbox: (params: URLSearchParams) => request<InboxPage>(`/inbox?${params.toString()}`),
  counts: () => request<QueueCount[]>('/inbox/counts'),
  ticket: (id: string) => request<Ticket>(`/tickets/${encodeURIComponent(id)}`),
  act: (id: string, action: string, body: Record<string, unknown>, idempotencyKey: string) =>
    request<DecisionResult>(`/tickets/${encodeURIComponent(id)}/actions/${action}`, {
      method: 'POST',
      body,
      idempotencyKey,
    }),
  quarantine: (state: 'open' | 'resolved', cursor: string | null) =>
    request<QuarantinePage>(
      `/inbound/quarantine?${new URLSearchParams({ state, limit: '50', ...(cursor ? { cursor } : {}) }).toString()}`,
    ),
  release: (id: string) =>
    request<{ status: 'released'; ticketId: string }>(`/inbound/quarantine/${encodeURIComponent(id)}/release`, {
      method: 'POST',
      body: {},
    }),
  discard: (id: string, reason: string) =>
    request<{ status: 'discarded' }>(`/inbound/quarantine/${encodeURIComponent(id)}/discard`, {
      method: 'POST',
      body: { reason },
    }),
  correctIntent: (id: string, intent: Intent) =>
    request<IntentCorrection>(`/tickets/${encodeURIComponent(id)}/intent`, { method: 'POST', body: { intent } }),
  autonomy: () => request<AutonomyView>('/admin/routing/autonomy'),
  setIntentControl: (intent: Intent, body: { pinnedHuman?: boolean; targetRisk?: number | null }) =>
    request<AutonomyView>(`/admin/routing/intents/${encodeURIComponent(intent)}`, { method: 'PATCH', body }),
  routingAudit: () => request<AdminAuditEntry[]>('/admin/routing/audit'),
};

/**
 * A protected file (an attachment, a raw message) as a Blob: fetched with the session's Authorization header,
 * because a plain link or <img src> cannot carry it. `path` is the API's absolute path (`/api/v1/...`).
 */
export async function fetchBlob(path: string): Promise<Blob> {
  if (!path.startsWith('/api/v1/')) throw new ApiError(0, 'INVALID_PATH', 'This file cannot be fetched.');
  const token = loadSession()?.token;
  let res: Response;
  try {
    res = await fetch(path, {
      headers: { authorization: `Bearer ${token ?? ''}` },
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (res.status === 401 && token) window.dispatchEvent(new CustomEvent(SESSION_ENDED));
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
  }
  return res.blob();
}

/** Saves a Blob under `filename` through a temporary object URL (revoked right after the click). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export type StreamEvent =
  { type: 'ready' | 'resync' } | { type: 'ticket'; ticketId: string; status: string; queue: string | null };

/**
 * Follows GET /inbox/stream (server-sent events) with fetch, so the token goes in the Authorization header rather
 * than the URL. Reconnects with backoff until `signal` aborts; every (re)connection starts with `ready`.
 */
export async function followInbox(
  onEvent: (event: StreamEvent) => void,
  onStatus: (live: boolean) => void,
  signal: AbortSignal,
): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    try {
      const token = loadSession()?.token;
      const res = await fetch('/api/v1/inbox/stream', {
        headers: { authorization: `Bearer ${token ?? ''}`, accept: 'text/event-stream' },
        signal,
        cache: 'no-store',
      });
      if (res.status === 401) {
        window.dispatchEvent(new CustomEvent(SESSION_ENDED));
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseEvent(block);
          if (!event) continue;
          if (event.type === 'ready') {
            failures = 0;
            onStatus(true);
          }
          onEvent(event);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    onStatus(false);
    failures += 1;
    await new Promise((resolve) => setTimeout(resolve, Math.min(15_000, 500 * 2 ** Math.min(failures, 5))));
  }
}

function parseEvent(block: string): StreamEvent | null {
  let name = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trim();
  }
  if (name === 'ready' || name === 'resync') return { type: name };
  if (name === 'ticket') {
    try {
      const payload = JSON.parse(data) as { ticketId: string; status: string; queue: string | null };
      return { type: 'ticket', ...payload };
    } catch {
      return null;
    }
  }
  return null;
}

/** A fresh key per intended action: a retry of the same click reuses it, a new click gets a new one. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
