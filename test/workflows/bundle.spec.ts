import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../support/temporal';

/** The workflow bundle must build, and must not carry framework, database, network or model code. */
describe('workflow bundle', () => {
  const forbidden = [
    '@nestjs',
    'typeorm',
    'node_modules/pg/',
    'openai',
    'nodemailer',
    'prom-client',
    'pino',
    'libs/observability',
    '@opentelemetry/sdk-node',
    '@opentelemetry/exporter-trace-otlp-http',
    'grpc',
    'smtp-server',
    'libs/persistence',
    'libs/integrations',
    'libs/config',
    'libs/temporal',
    '/apps/',
    // Triage runs in activities: its trained model and lexicon have no business in every workflow's sandbox.
    'triage/model',
    'triage/lexicon',
    'triage/classify',
  ];

  it.each([
    ['without interceptors', []],
    // what the worker bundles with tracing on (the OpenTelemetry plugin's workflow interceptors)
    [
      'with the tracing interceptors',
      [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    ],
  ])('builds with only workflow-safe modules, %s', async (_name, workflowInterceptorModules: string[]) => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules,
      logger: silent,
    });
    const modules = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((m) => m[1] as string);
    expect(modules.length).toBeGreaterThan(5);
    expect(modules.some((m) => m.includes('workflows/ticket/ticket.workflow'))).toBe(true);
    if (workflowInterceptorModules.length) {
      expect(modules.some((m) => m.includes('interceptors-opentelemetry/lib/workflow'))).toBe(true);
    }
    const offenders = modules.filter((m) => forbidden.some((f) => m.includes(f)));
    expect(offenders).toEqual([]);
  });
});

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
