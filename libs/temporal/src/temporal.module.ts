import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../config';
import { temporalConnectionError, temporalConnectionOptions } from './connection-options';
import { AesGcmPayloadCodec, seamlineDataConverter } from './payload-codec';
import { RoutingPolicyWorkflow } from './routing-policy';
import { TicketWorkflowClient } from './ticket-workflow.client';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
/** The payload codec of this deployment (for the codec endpoint), or null without PAYLOAD_KEYS. */
export const PAYLOAD_CODEC = Symbol('PAYLOAD_CODEC');

/**
 * The Temporal client for the API and the worker's reconciler: one connection (TLS, mTLS or an API key as
 * configured), the payload codec (PAYLOAD_KEYS), trace propagation when tracing is on, one facade for ticket
 * workflows.
 */
@Global()
@Module({
  providers: [
    {
      provide: PAYLOAD_CODEC,
      inject: [SEAMLINE_CONFIG],
      useFactory: (config: SeamlineConfig) => {
        const keys = config.operations.payloadKeys;
        return keys ? new AesGcmPayloadCodec(keys) : null;
      },
    },
    {
      provide: TEMPORAL_CLIENT,
      inject: [SEAMLINE_CONFIG],
      useFactory: async (config: SeamlineConfig): Promise<Client> => {
        const connection = await Connection.connect(temporalConnectionOptions(config.temporal)).catch(
          (error: unknown) => {
            throw temporalConnectionError(config.temporal, error);
          },
        );
        return new Client({
          connection,
          namespace: config.temporal.namespace,
          dataConverter: seamlineDataConverter(config.operations.payloadKeys),
          // Tracing on: starts, signals and updates carry the caller's trace context into the workflow.
          ...(config.operations.tracing
            ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } }
            : {}),
        });
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
  exports: [TEMPORAL_CLIENT, PAYLOAD_CODEC, TicketWorkflowClient, RoutingPolicyWorkflow],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
