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

  it('builds with only workflow-safe modules', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: silent });
    const modules = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((m) => m[1] as string);
    expect(modules.length).toBeGreaterThan(5);
    expect(modules.some((m) => m.includes('workflows/ticket/ticket.workflow'))).toBe(true);
    const offenders = modules.filter((m) => forbidden.some((f) => m.includes(f)));
    expect(offenders).toEqual([]);
  });
});

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
