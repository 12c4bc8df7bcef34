import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../config';
import { temporalConnectionError, temporalConnectionOptions } from './connection-options';
import { RoutingPolicyWorkflow } from './routing-policy';
import { TicketWorkflowClient } from './ticket-workflow.client';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/**
 * The Temporal client for the API and the worker's reconciler: one connection (TLS, mTLS or an API key as
 * configured), one facade for ticket workflows.
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [SEAMLINE_CONFIG],
      useFactory: async (config: SeamlineConfig): Promise<Client> => {
        const connection = await Connection.connect(temporalConnectionOptions(config.temporal)).catch(
          (error: unknown) => {
            throw temporalConnectionError(config.temporal, error);
          },
        );
        return new Client({ connection, namespace: config.temporal.namespace });
      },
    },
    {
      provide: TicketWorkflowClient,
      inject: [TEMPORAL_CLIENT, SEAMLINE_CONFIG],
      useFactory: (client: Client, config: SeamlineConfig) =>
        new TicketWorkflowClient(client, {
          taskQueue: config.temporal.taskQueue,
          autoSendUndoSeconds: config.routing.autoSendUndoSeconds,
          ...(config.routing.acknowledgeAfterSeconds
            ? { acknowledgeAfterSeconds: config.routing.acknowledgeAfterSeconds }
            : {}),
          reopenWindowSeconds: config.routing.reopenWindowSeconds,
          slaConfig: config.sla.config,
        }),
    },
    {
      provide: RoutingPolicyWorkflow,
      inject: [TEMPORAL_CLIENT, SEAMLINE_CONFIG],
      useFactory: (client: Client, config: SeamlineConfig) =>
        new RoutingPolicyWorkflow(client, config.temporal.taskQueue, config.routing.autonomy.recomputeSeconds),
    },
  ],
  exports: [TEMPORAL_CLIENT, TicketWorkflowClient, RoutingPolicyWorkflow],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
