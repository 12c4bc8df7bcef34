import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../libs/config';
import { SeamlineMetrics } from '../../../libs/observability';
import { DatabaseProbe, OperationsStats } from '../../../libs/persistence';

/** What the worker reports about itself: the SDK worker's state, and a round trip to its Temporal connection. */
export interface WorkerProbes {
  state(): string;
  temporal(): Promise<unknown>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * The worker's only HTTP listener, for an orchestrator's probes (WORKER_HEALTH_PORT; none when unset):
 *
 * - `GET /livez`: 200 while the process and its Temporal worker are alive, draining included. It checks nothing
 *   outside the process, so an outage of Temporal or PostgreSQL never gets healthy workers restarted.
 * - `GET /readyz`: 200 when the worker polls its task queue and both Temporal and PostgreSQL answer within 2 s;
 *   503 before that, while draining after SIGTERM, and when either is unreachable.
 *
 * - `GET /metrics`: Prometheus text: Seamline's worker metrics (routing, escalations, SLA, deliveries, the outbox
 *   and quarantine backlogs), then the Temporal SDK's own (`temporal_*`), which the SDK serves on a loopback port
 *   of its own that this endpoint reads. No authentication: the port is the boundary (keep it off any ingress).
 *
 * TicketWorkerService depends on this service, so Nest stops the Temporal worker (and waits for its drain) before
 * this listener closes: probes keep answering during the whole drain.
 */
@Injectable()
export class WorkerHealthService implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerHealth');
  private server?: Server;
  private probes?: WorkerProbes;
  private draining = false;
  private sdkMetrics: string | null = null;

  constructor(
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    private readonly database: DatabaseProbe,
    private readonly metrics: SeamlineMetrics,
    stats: OperationsStats,
  ) {
    metrics.reportBacklogFrom(stats);
  }

  /** A free loopback address for the SDK's Prometheus exporter, remembered for /metrics. */
  async sdkMetricsAddress(): Promise<string> {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createNetServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    this.sdkMetrics = `127.0.0.1:${port}`;
    return this.sdkMetrics;
  }

  /** Called by the worker service once it exists. */
  watch(probes: WorkerProbes): void {
    this.probes = probes;
  }

  async onModuleInit(): Promise<void> {
    const listen = this.config.workerHealth;
    if (!listen) return;
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `WORKER_HEALTH_PORT: cannot listen on ${listen.host}:${listen.port} (${error.code ?? error.message})`,
          ),
        ),
      );
      server.listen(listen.port, listen.host, () => resolve());
    });
    server.unref(); // never the reason the process stays up
    this.server = server;
    this.logger.log(`health checks on http://${listen.host}:${listen.port}/livez and /readyz`);
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async readSdkMetrics(): Promise<string | null> {
    if (!this.sdkMetrics) return null;
    try {
      const res = await fetch(`http://${this.sdkMetrics}/metrics`, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
      return res.ok ? await res.text() : null;
    } catch {
      return null;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { status: 'method not allowed' });
    const state = this.probes?.state() ?? 'STARTING';
    if (path === '/metrics') {
      const own = await this.metrics.text();
      const sdk = await this.readSdkMetrics();
      const text = sdk ? `${own}\n${sdk}` : own;
      res.writeHead(200, { 'content-type': this.metrics.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    if (path === '/livez') {
      const alive = state !== 'FAILED' && !(state === 'STOPPED' && !this.draining);
      return send(res, alive ? 200 : 503, { status: alive ? 'ok' : 'dead', worker: state });
    }
    if (path === '/readyz') {
      const probes = this.probes;
      const [temporal, database] = await Promise.all([
        probes ? check(() => probes.temporal()) : Promise.resolve('unreachable' as const),
        check(() => this.database.ping()),
      ]);
      const ready = state === 'RUNNING' && !this.draining && temporal === 'ok' && database === 'ok';
      return send(res, ready ? 200 : 503, {
        status: ready ? 'ok' : this.draining ? 'draining' : 'not ready',
        worker: state,
        temporal,
        database,
      });
    }
    send(res, 404, { status: 'not found' });
  }
}

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'unreachable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'unreachable'>((resolve) => {
    timer = setTimeout(() => resolve('unreachable'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe().then(() => 'ok' as const), timeout]);
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, status: number, body: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
