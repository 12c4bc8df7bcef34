import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an SLA notification webhook (a chat tool) received: one POST, and how it answered. */
export interface WebhookDelivery {
  key: string;
  event: { ticketId?: string; level?: string; metric?: string; firedAt?: string; key?: string };
  receivedAt: number;
  /** The status it answered; null when it hung (never answered). */
  status: number | null;
}

/** How the receiver misbehaves: answer 503 to everything, or hold every request without an answer. */
export type WebhookFault = 'fail' | 'hang' | null;

/**
 * A real HTTP server on loopback standing in for the SLA notification webhook (SLA_WEBHOOKS). It records every
 * POST with its idempotency key; `fault` makes it fail (503, which the notifier retries) or hang (the notifier's
 * timeout ends the attempt). Hung requests are released when the receiver closes.
 */
export class WebhookReceiver {
  readonly deliveries: WebhookDelivery[] = [];
  fault: WebhookFault = null;
  private server?: Server;
  private readonly hung = new Set<ServerResponse>();

  async listen(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sla`;
  }

  /** Deliveries the receiver accepted (2xx), which is what "the notification arrived" means. */
  accepted(): WebhookDelivery[] {
    return this.deliveries.filter((d) => d.status !== null && d.status < 300);
  }

  /** Back to answering 200; requests it held are dropped (their senders time out and retry). */
  heal(): void {
    this.fault = null;
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  async close(): Promise<void> {
    this.heal();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let event: WebhookDelivery['event'] = {};
    try {
      event = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event?: WebhookDelivery['event'] }).event ?? {};
    } catch {
      // recorded with an empty event: the checks report it
    }
    const delivery: WebhookDelivery = {
      key: String(req.headers['idempotency-key'] ?? ''),
      event,
      receivedAt: Date.now(),
      status: null,
    };
    this.deliveries.push(delivery);
    const fault = this.fault;
    if (fault === 'hang') {
      this.hung.add(res);
      res.once('close', () => this.hung.delete(res));
      return;
    }
    delivery.status = fault === 'fail' ? 503 : 200;
    res.writeHead(delivery.status, { 'content-type': 'application/json' }).end('{}');
  }
}
