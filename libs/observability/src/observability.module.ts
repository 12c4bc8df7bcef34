import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../config';
import { httpLoggerOptions, logDestination, type LogSettings } from './logging';
import { SeamlineMetrics } from './metrics';
import { startTracing, type Tracing } from './tracing';

/** The OpenTelemetry SDK of this process, or null when tracing is off. */
export const TRACING = Symbol('TRACING');

export function logSettings(config: SeamlineConfig, app: 'api' | 'worker'): LogSettings {
  return { level: config.logLevel, format: config.operations.logFormat, app };
}

/**
 * Metrics, traces and logs of one app: the metrics registry, OpenTelemetry when an OTLP endpoint is configured, and
 * pino (through nestjs-pino) as Nest's logger.
 */
@Global()
@Module({})
export class ObservabilityModule implements OnApplicationShutdown {
  constructor(@Inject(TRACING) private readonly tracing: Tracing | null) {}

  static forApp(app: 'api' | 'worker'): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [SEAMLINE_CONFIG],
          useFactory: (config: SeamlineConfig) => {
            const settings = logSettings(config, app);
            return { pinoHttp: [httpLoggerOptions(settings), logDestination(settings)] };
          },
        }),
      ],
      providers: [
        { provide: SeamlineMetrics, useFactory: () => new SeamlineMetrics(app) },
        {
          provide: TRACING,
          inject: [SEAMLINE_CONFIG],
          useFactory: (config: SeamlineConfig): Tracing | null =>
            config.operations.tracing ? startTracing(config.operations.tracing, app) : null,
        },
      ],
      exports: [SeamlineMetrics, TRACING],
    };
  }

  /** Flushes the spans still in the batch. */
  async onApplicationShutdown(): Promise<void> {
    await this.tracing?.shutdown().catch(() => undefined);
  }
}
