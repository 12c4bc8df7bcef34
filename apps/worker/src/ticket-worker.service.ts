import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { getHeapStatistics } from 'node:v8';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import {
  DefaultLogger,
  makeTelemetryFilterString,
  NativeConnection,
  Runtime,
  Worker,
  type LogEntry,
  type LogLevel,
} from '@temporalio/worker';
import { PinoLogger } from 'nestjs-pino';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../libs/config';
import { SeamlineMetrics, TRACING, type Tracing } from '../../../libs/observability';
import {
  describeTemporalConnection,
  RoutingPolicyWorkflow,
  seamlineDataConverter,
  temporalConnectionError,
  temporalConnectionOptions,
  TicketWorkflowClient,
  WORKFLOW_PRELOADED_MODULES,
} from '../../../libs/temporal';
import { activityMetrics } from './activity-metrics';
import { TICKET_ACTIVITIES, type WorkerActivities } from './activities.provider';
import { WorkerHealthService } from './worker-health.service';

/** Runs the Temporal Worker for ticket workflows. Its `run()` promise is kept and awaited on shutdown. */
@Injectable()
export class TicketWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TicketWorker');
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    @Inject(TICKET_ACTIVITIES) private readonly activities: WorkerActivities,
    private readonly workflows: TicketWorkflowClient,
    private readonly routingPolicy: RoutingPolicyWorkflow,
    private readonly health: WorkerHealthService,
    private readonly metrics: SeamlineMetrics,
    @Inject(TRACING) private readonly tracing: Tracing | null,
    private readonly pino: PinoLogger,
  ) {
    health.watch({
      state: () => this.worker?.getState() ?? 'STARTING',
      temporal: async () => {
        if (!this.connection) throw new Error('not connected yet');
        return this.connection.workflowService.getSystemInfo({});
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { namespace, taskQueue } = this.config.temporal;
    // The SDK's own metrics (task slots, latencies, polls, failures) on a loopback port the health listener's
    // /metrics appends to Seamline's, so one scrape has both.
    const sdkMetrics = this.config.workerHealth ? await this.health.sdkMetricsAddress() : null;
    Runtime.install({
      logger: new DefaultLogger(TEMPORAL_LOG_LEVEL[this.config.logLevel], (entry) => this.sdkLog(entry)),
      telemetryOptions: {
        // The native core's lines too go through pino (JSON, scrubbed), never straight to the console.
        logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
        ...(sdkMetrics
          ? {
              metrics: {
                prometheus: { bindAddress: sdkMetrics, countersTotalSuffix: true, useSecondsForDurations: true },
              },
            }
          : {}),
      },
    });
    this.connection = await NativeConnection.connect(temporalConnectionOptions(this.config.temporal)).catch(
      (error: unknown) => {
        throw temporalConnectionError(this.config.temporal, error);
      },
    );
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      workflowsPath: require.resolve('../../../workflows'),
      bundlerOptions: { preloadModules: [...WORKFLOW_PRELOADED_MODULES] },
      activities: this.activities,
      dataConverter: seamlineDataConverter(this.config.operations.payloadKeys),
      interceptors: { activity: [activityMetrics(this.metrics)] },
      // Tracing on: workflow and activity spans (the workflow interceptors join the bundle), exported with ours.
      ...(this.tracing
        ? {
            plugins: [
              new OpenTelemetryPlugin({ resource: this.tracing.resource, spanProcessor: this.tracing.processor }),
            ],
          }
        : {}),
      maxCachedWorkflows: this.config.worker.maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions: this.config.worker.maxConcurrentWorkflowTasks,
      maxConcurrentActivityTaskExecutions: this.config.worker.maxConcurrentActivities,
    });
    this.running = this.worker.run();
    this.running.catch((error: unknown) => {
      this.logger.error(`worker stopped: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
    await this.workflows.ensureSlaNotifier();
    if (this.config.routing.autonomy.mode === 'earned') await this.routingPolicy.ensureRunning();
    const heapMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
    this.logger.log(
      `polling task queue ${taskQueue} on ${describeTemporalConnection(this.config.temporal)}; ` +
        `up to ${this.config.worker.maxCachedWorkflows} workflows cached, heap limit ${heapMiB} MiB`,
    );
  }

  /** The SDK's log lines through pino: the same JSON, the same scrubbing, the ticket of the workflow named. */
  private sdkLog(entry: LogEntry): void {
    const meta = { ...(entry.meta ?? {}) } as Record<string, unknown>;
    const workflowId = typeof meta.workflowId === 'string' ? meta.workflowId : null;
    if (workflowId?.startsWith('ticket-')) meta.ticketId = workflowId.slice('ticket-'.length);
    const fields = { context: 'Temporal', ...meta };
    const level =
      entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
    this.pino[level](fields, entry.message);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}

const TEMPORAL_LOG_LEVEL: Record<SeamlineConfig['logLevel'], LogLevel> = {
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
};
