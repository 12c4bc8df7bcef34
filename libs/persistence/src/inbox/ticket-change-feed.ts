import { Client } from 'pg';
import type { Queue, TicketStatus } from '../../../domain';

/** What the `ticket_changes` trigger announces: enough to decide who should refresh, nothing personal. */
export interface TicketChange {
  kind: 'change';
  id: string;
  status: TicketStatus;
  queue: Queue | null;
  previousQueue: Queue | null;
}

/** Sent after the feed (re)connects: notifications may have been missed, listeners should reload. */
export interface TicketFeedResync {
  kind: 'resync';
}

export type TicketFeedEvent = TicketChange | TicketFeedResync;
export type TicketFeedListener = (event: TicketFeedEvent) => void;

const CHANNEL = 'ticket_changes';

/**
 * PostgreSQL LISTEN on `ticket_changes`, shared by every open inbox stream of one API process: one connection,
 * however many browsers. It connects on the first subscriber, reconnects with backoff when the connection
 * drops, and tells subscribers to resync after a reconnect (NOTIFY is not durable).
 */
export class TicketChangeFeed {
  private readonly listeners = new Set<TicketFeedListener>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Adds a listener; resolves once the feed listens, so nothing committed after it is missed. */
  async subscribe(listener: TicketFeedListener): Promise<() => void> {
    this.listeners.add(listener);
    await this.ensureConnected().catch(() => {
      // Reconnecting in the background; the listener gets a resync once it works.
    });
    return () => {
      this.listeners.delete(listener);
    };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** True while the LISTEN connection is up (notifications are arriving). */
  get listening(): boolean {
    return this.client !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'seamline-inbox-feed' });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      const event = parse(message.payload);
      if (event) this.emit(event);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      this.scheduleRetry(error);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    const reconnected = this.failures > 0;
    this.failures = 0;
    this.client = client;
    if (reconnected) this.emit({ kind: 'resync' });
  }

  private lost(client: Client, error: Error): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => {});
    this.scheduleRetry(error);
  }

  private scheduleRetry(error: unknown): void {
    if (this.closed || this.retryTimer) return;
    this.failures += 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6));
    this.log(`ticket change feed: ${error instanceof Error ? error.message : String(error)}; retrying in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.listeners.size > 0) void this.ensureConnected().catch(() => {});
    }, delay);
    this.retryTimer.unref();
  }

  private emit(event: TicketFeedEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // one broken stream must not stop the others
      }
    }
  }
}

function parse(payload: string): TicketChange | null {
  try {
    const data = JSON.parse(payload) as { id?: unknown; status?: unknown; queue?: unknown; previousQueue?: unknown };
    if (typeof data.id !== 'string' || typeof data.status !== 'string') return null;
    return {
      kind: 'change',
      id: data.id,
      status: data.status as TicketStatus,
      queue: (typeof data.queue === 'string' ? data.queue : null) as Queue | null,
      previousQueue: (typeof data.previousQueue === 'string' ? data.previousQueue : null) as Queue | null,
    };
  } catch {
    return null;
  }
}
