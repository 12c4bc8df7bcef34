import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DomainError } from '../../../../libs/domain';
import { TicketChangeFeed, type TicketFeedEvent } from '../../../../libs/persistence';
import { AuthService } from '../auth/auth.service';
import { canSeeQueue, type UserPrincipal } from '../auth/principal';

/** Open streams per user; a runaway client cannot hold more connections than this per API process. */
const MAX_STREAMS_PER_USER = 10;
/** How often an open stream re-checks that its user may still see what it streams. */
const RECHECK_MS = 60_000;

interface OpenStream {
  user: UserPrincipal;
  res: Response;
  close(): void;
}

/**
 * Server-sent events for open inboxes, fed by PostgreSQL LISTEN/NOTIFY (one connection per API process).
 * Each event carries only the ticket id, status and queue; clients reload the page they show. A stream only
 * gets events of queues its user may see, is re-checked every minute (role, queues, revoked sessions) and ends
 * when the token expires; on shutdown every stream is ended so the server can close.
 */
@Injectable()
export class InboxStreamService implements BeforeApplicationShutdown {
  private readonly streams = new Set<OpenStream>();

  constructor(
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    private readonly auth: AuthService,
    private readonly feed: TicketChangeFeed,
  ) {}

  async open(initialUser: UserPrincipal, req: Request, res: Response): Promise<void> {
    if ([...this.streams].filter((s) => s.user.id === initialUser.id).length >= MAX_STREAMS_PER_USER) {
      throw new DomainError('RATE_LIMITED', `at most ${MAX_STREAMS_PER_USER} open streams per user`);
    }
    let user = initialUser;
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-store, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);

    const send = (event: string, data: unknown) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const onEvent = (event: TicketFeedEvent) => {
      if (event.kind === 'resync') return send('resync', {});
      if (canSeeQueue(user, event.queue) || canSeeQueue(user, event.previousQueue)) {
        send('ticket', {
          ticketId: event.id,
          status: event.status,
          queue: canSeeQueue(user, event.queue) ? event.queue : null,
        });
      }
    };

    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe: () => void = () => {};
    const stream: OpenStream = {
      user,
      res,
      close: () => {
        if (closed) return;
        closed = true;
        timers.forEach(clearInterval);
        unsubscribe();
        this.streams.delete(stream);
        if (!res.writableEnded) res.end();
      },
    };
    this.streams.add(stream);
    req.on('close', stream.close);

    unsubscribe = await this.feed.subscribe(onEvent);
    if (closed) return unsubscribe();
    res.write(`retry: 3000\n\n`);
    send('ready', { queues: user.role === 'agent' ? user.queues : 'all' });

    timers.push(setInterval(() => res.write(`: keep-alive\n\n`), this.config.access.streamHeartbeatSeconds * 1000));
    const recheck = async () => {
      const fresh = await this.auth.refresh(user).catch(() => user);
      if (!fresh) {
        send('unauthorized', { message: 'sign in again' });
        stream.close();
        return;
      }
      user = stream.user = fresh;
    };
    timers.push(setInterval(() => void recheck(), RECHECK_MS));
    const untilExpiry = user.expiresAt * 1000 - Date.now();
    timers.push(setTimeout(() => void recheck(), Math.max(0, Math.min(untilExpiry + 1000, 2 ** 31 - 1))));
    timers.forEach((t) => t.unref());
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /** Ends every open stream, so the HTTP server can close; the feed itself closes with the module. */
  beforeApplicationShutdown(): void {
    for (const stream of [...this.streams]) stream.close();
  }
}
