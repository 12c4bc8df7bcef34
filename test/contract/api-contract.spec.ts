/**
 * The API's contract: schemathesis generates requests from the OpenAPI document the running API serves
 * (/docs-json) and checks every answer against it — no server error, every status, media type, header and body
 * documented, every schema-valid request accepted and every invalid one refused, 405 with Allow for methods a
 * path does not serve (test/contract/schemathesis.toml has the settings). The built API and worker run as real
 * processes on a database of their own.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmtpSink } from '../../libs/integrations';
import { createIngestKey, createTestUser, startApps, type RunningApps } from '../support/apps';
import { isolatedDatabase, type IsolatedDatabase } from '../support/inbox';

const CONFIG = join(__dirname, 'schemathesis.toml');
const HOOKS = join(__dirname, 'schemathesis_hooks.py');
const POSTMARK = { user: 'contract-postmark', password: 'contract-postmark-secret' };
/** One run's budget; the admin run takes about a minute on two cores, the ingest-key run seconds. */
const RUN_TIMEOUT_MS = 180_000;

interface RunResult {
  code: number | null;
  output: string;
}

describe('the OpenAPI document', () => {
  let apps: RunningApps;
  let db: IsolatedDatabase;
  let sink: SmtpSink;
  let work: string;
  let admin: { token: string };
  let targetUserId: string;

  beforeAll(async () => {
    if (!process.env.SCHEMATHESIS) {
      throw new Error(
        'SCHEMATHESIS is not set: run the tests with `npm test`, which installs schemathesis into .tools/ ' +
          '(scripts/lib/schemathesis.js), or set SCHEMATHESIS to a schemathesis 4.32.5 executable.',
      );
    }
    work = mkdtempSync(join(tmpdir(), 'seamline-contract-'));
    db = await isolatedDatabase('contract');
    // Approvals the run makes send real replies; they land here.
    sink = new SmtpSink();
    const smtpPort = await sink.listen(0);
    apps = await startApps({
      DATABASE_URL: db.url,
      SMTP_PORT: String(smtpPort),
      POSTMARK_INBOUND_USER: POSTMARK.user,
      POSTMARK_INBOUND_PASSWORD: POSTMARK.password,
      // Generated requests come fast; the limits would answer most of them 429 and hide what is behind them.
      AUTH_LOGIN_LIMIT_PER_MINUTE: '100000',
      AUTH_ACTION_LIMIT_PER_MINUTE: '100000',
    });
    const [adminUser, target] = await Promise.all([
      createTestUser(apps, 'admin'),
      createTestUser(apps, 'agent', ['standard']),
    ]);
    admin = { token: (adminUser.headers.authorization as string).replace(/^Bearer /, '') };
    targetUserId = target.id;
  }, 120_000);

  afterAll(async () => {
    await apps?.stop();
    await sink?.close();
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(
    'tells an admin the truth about every operation',
    async () => {
      const result = await schemathesis(
        '[auth.openapi.bearer]\nbearer = "${SEAMLINE_CONTRACT_TOKEN}"\n\n' +
          '[auth.openapi.postmark]\nusername = "${SEAMLINE_CONTRACT_POSTMARK_USER}"\n' +
          'password = "${SEAMLINE_CONTRACT_POSTMARK_PASSWORD}"\n',
        { SEAMLINE_CONTRACT_TOKEN: admin.token },
      );
      expectClean(result);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'tells an integration with an ingest API key the truth about what it may call',
    async () => {
      // Made after the admin run, which revokes the API keys it finds.
      const key = (await createIngestKey(apps))['x-api-key'] as string;
      const result = await schemathesis(
        '[auth.openapi.apiKey]\napi_key = "${SEAMLINE_CONTRACT_API_KEY}"\n',
        { SEAMLINE_CONTRACT_API_KEY: key },
        ['--include-path', '/api/v1/tickets', '--include-path', '/api/v1/inbound/mime'],
      );
      expectClean(result);
    },
    RUN_TIMEOUT_MS,
  );

  /** One `schemathesis run` with the shared settings plus this run's credentials; resolves with its report. */
  async function schemathesis(auth: string, secrets: Record<string, string>, args: string[] = []): Promise<RunResult> {
    const config = join(work, `schemathesis-${Date.now()}.toml`);
    writeFileSync(config, `${readFileSync(CONFIG, 'utf8')}\n${auth}`);
    const seed = process.env.SEAMLINE_CONTRACT_SEED ? ['--seed', process.env.SEAMLINE_CONTRACT_SEED] : [];
    const child = spawn(
      process.env.SCHEMATHESIS as string,
      ['--config-file', config, '--no-color', 'run', `${new URL(apps.baseUrl).origin}/docs-json`, ...seed, ...args],
      {
        // Its working directory is a scratch one: nothing it writes lands in the repository.
        cwd: work,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? work,
          SCHEMATHESIS_HOOKS: HOOKS,
          // The hooks file is imported from the repository; no bytecode cache next to it.
          PYTHONDONTWRITEBYTECODE: '1',
          SEAMLINE_CONTRACT_USER_ID: targetUserId,
          SEAMLINE_CONTRACT_POSTMARK_USER: POSTMARK.user,
          SEAMLINE_CONTRACT_POSTMARK_PASSWORD: POSTMARK.password,
          ...secrets,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS - 10_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    clearTimeout(timer);
    return { code, output };
  }
});

/** Exit code 0 and every selected operation tested; otherwise the failure shows schemathesis' whole report. */
function expectClean({ code, output }: RunResult): void {
  const selected = /Selected: (\d+)\/\d+\s+Tested: (\d+)/.exec(output);
  const generated = /(\d+) generated/.exec(output);
  if (code !== 0 || !selected || !generated) {
    throw new Error(`schemathesis found the API and its OpenAPI document disagree (exit code ${code}):\n\n${output}`);
  }
  expect(Number(selected[2])).toBe(Number(selected[1]));
  expect(Number(generated[1])).toBeGreaterThan(0);
  // One line of our own: schemathesis' closing banner reads like another test runner's summary to CI log readers.
  console.log(`schemathesis tested ${selected[2]}/${selected[1]} operations with ${generated[1]} generated cases`);
}
