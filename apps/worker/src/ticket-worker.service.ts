import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { getHeapStatistics } from 'node:v8';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../libs/config';
import {
  describeTemporalConnection,
  RoutingPolicyWorkflow,
  temporalConnectionError,
  temporalConnectionOptions,
  TicketWorkflowClient,
} from '../../../libs/temporal';
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
    health: WorkerHealthService,
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
    Runtime.install({ logger: new DefaultLogger(TEMPORAL_LOG_LEVEL[this.config.logLevel]) });
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
      activities: this.activities,
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
