import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { createServer, type Server } from 'node:http';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { SeamlineMetrics } from '../../../../libs/observability';

/**
 * The API's Prometheus endpoint, `GET /metrics` on a listener of its own (API_METRICS_PORT, loopback unless
 * API_METRICS_HOST says otherwise): it never shares the public port, so no ingress or CORS rule can expose it and it
 * needs no credentials; the network is its boundary, as for the worker's health port.
 */
@Injectable()
export class ApiMetricsServer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    private readonly metrics: SeamlineMetrics,
  ) {}

  async onModuleInit(): Promise<void> {
    const listen = this.config.operations.apiMetrics;
    if (!listen) return;
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/metrics') return void res.writeHead(404).end();
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      this.metrics.text().then(
        (text) => {
          res.writeHead(200, { 'content-type': this.metrics.contentType, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        () => void res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `API_METRICS_PORT: cannot listen on ${listen.host}:${listen.port} (${error.code ?? error.message})`,
          ),
        ),
      );
      server.listen(listen.port, listen.host, () => resolve());
    });
    server.unref();
    this.server = server;
    this.logger.log(`metrics on http://${listen.host}:${listen.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Times every request into the HTTP histogram, labelled by route template (never the raw path) and status. */
export function httpMetrics(metrics: SeamlineMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const label = route ?? (req.path.startsWith('/api/') ? 'unmatched' : 'static');
      metrics.observeHttp(req.method, label, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
