import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../libs/config';
import { ROOT } from './support/manifests';

/* eslint-disable @typescript-eslint/no-require-imports */
const { readSearchAttributes } = require('../../scripts/lib/temporal-dev-server') as {
  readSearchAttributes(): Record<string, string>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  entrypoint?: string[];
  command?: string[];
  stop_grace_period?: string;
}

const COMPOSE_DIR = join(ROOT, 'deploy', 'compose');

/** `${NAME:?message}` and `${NAME:-default}` as compose fills them in, from `values`. */
function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, op?: string, rest?: string) => {
    if (values[name] !== undefined) return values[name] as string;
    if (op === '-') return rest ?? '';
    throw new Error(`${name} is required: ${rest}`);
  });
}

/**
 * The single-host compose file, offline (Docker cannot run here): parsed as YAML, its start order, images, ports and
 * the apps' settings checked; the Temporal setup script run against a stand-in `temporal` CLI.
 */
describe('deploy/compose', () => {
  const text = readFileSync(join(COMPOSE_DIR, 'compose.yaml'), 'utf8');
  const example = Object.fromEntries(
    readFileSync(join(COMPOSE_DIR, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^\w+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  // As compose does it: YAML first, then the variables in each string.
  const fill = (value: unknown): unknown =>
    typeof value === 'string'
      ? interpolate(value, example)
      : Array.isArray(value)
        ? value.map(fill)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]))
          : value;
  const compose = fill(parse(text, { merge: true })) as { services: Record<string, ComposeService> };
  const services = compose.services;

  it('parses, with every service production needs, and environment values compose accepts (no booleans)', () => {
    const raw = parse(text, { merge: true }) as { services: Record<string, ComposeService> };
    for (const [name, service] of Object.entries(raw.services))
      for (const [key, value] of Object.entries(service.environment ?? {}))
        expect({ [`${name}.${key}`]: typeof value }).toEqual({ [`${name}.${key}`]: 'string' });
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'migrate', 'postgres', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('starts in order, each step gated on the one before being healthy or done', () => {
    const gate = (service: string, on: string) => services[service]?.depends_on?.[on]?.condition;
    expect(gate('temporal-schema', 'postgres')).toBe('service_healthy');
    expect(gate('temporal', 'temporal-schema')).toBe('service_completed_successfully');
    expect(gate('temporal-setup', 'temporal')).toBe('service_healthy');
    expect(gate('temporal-ui', 'temporal')).toBe('service_healthy');
    expect(gate('migrate', 'postgres')).toBe('service_healthy');
    for (const app of ['worker', 'api']) {
      expect(gate(app, 'migrate')).toBe('service_completed_successfully');
      expect(gate(app, 'temporal-setup')).toBe('service_completed_successfully');
    }
    expect(gate('api', 'worker')).toBe('service_healthy');
    // A gate on health needs a health check: its own, or the image's (the Seamline image has a HEALTHCHECK).
    for (const [name, service] of Object.entries(services)) {
      for (const [on, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition !== 'service_healthy') continue;
        const target = services[on] as ComposeService;
        const own = target.healthcheck?.test && !target.healthcheck.disable;
        expect({ [`${name} waits for ${on}`]: own || target.image?.startsWith('seamline:') }).toEqual({
          [`${name} waits for ${on}`]: true,
        });
      }
    }
  });

  it('runs the official Temporal images of the pinned server version, on PostgreSQL with SQL visibility', () => {
    expect(services.temporal?.image).toBe('temporalio/server:1.29.1');
    expect(services['temporal-schema']?.image).toMatch(/^temporalio\/admin-tools:1\.29\.1-/);
    expect(services['temporal-setup']?.image).toBe(services['temporal-schema']?.image);
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(services.temporal?.environment).toMatchObject({
      DB: 'postgres12',
      VISIBILITY_DBNAME: 'temporal_visibility',
    });
  });

  it('builds one image for the API, the worker and the migrations, and publishes ports on loopback only', () => {
    const images = new Set(['api', 'worker', 'migrate'].map((s) => services[s]?.image));
    expect(images.size).toBe(1);
    expect(services.migrate?.build).toEqual({ context: '../..', dockerfile: 'Dockerfile' });
    for (const service of Object.values(services))
      for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    expect(services.worker?.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(Number.parseInt(services.worker?.stop_grace_period ?? '0', 10)).toBeGreaterThan(90);
  });

  it('gives the apps settings the real config validation accepts', () => {
    for (const app of ['api', 'worker']) {
      const config = loadConfig(services[app]?.environment ?? {});
      expect(config.temporal.address).toBe('temporal:7233');
      expect(config.access.environment).toBe('production');
    }
    expect(loadConfig(services.worker?.environment ?? {}).workerHealth?.port).toBe(8081);
  });

  it('refuses to start without the secrets', () => {
    expect(() => interpolate(text, { ...example, AUTH_JWT_SECRET: undefined } as never)).toThrow(/AUTH_JWT_SECRET/);
  });

  describe('Temporal setup scripts (run here against stand-in tools)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'seamline-compose-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** A `name` on PATH that logs its arguments and answers from `script`. */
    const stub = (name: string, script: string): void => {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\necho "$*" >> "${dir}/${name}.calls"\n${script}\n`);
      chmodSync(path, 0o755);
    };
    const calls = (name: string): string[] =>
      readFileSync(join(dir, `${name}.calls`), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean);

    it('creates the namespace and registers every search attribute of search-attributes.json', () => {
      stub(
        'temporal',
        [
          'case "$*" in',
          '  *"namespace describe"*) exit 1 ;;',
          '  *"search-attribute list"*) echo \'{"customAttributes":{"TicketStatus":"Keyword"}}\' ;;',
          'esac',
          'exit 0',
        ].join('\n'),
      );
      execFileSync('sh', [join(COMPOSE_DIR, 'temporal-setup.sh')], {
        env: {
          PATH: `${dir}:${process.env.PATH ?? ''}`,
          SEARCH_ATTRIBUTES_FILE: join(ROOT, 'deploy', 'temporal', 'search-attributes.json'),
        },
        stdio: 'pipe',
      });
      const made = calls('temporal');
      expect(made).toContain('operator namespace create --namespace default --retention 72h');
      const expected = Object.entries(readSearchAttributes()).filter(([name]) => name !== 'TicketStatus');
      const created = made.filter((c) => c.startsWith('operator search-attribute create'));
      expect(created.sort()).toEqual(
        expected
          .map(([name, type]) => `operator search-attribute create --namespace default --name ${name} --type ${type}`)
          .sort(),
      );
    });

    it('sets up both databases with temporal-sql-tool and its embedded schemas', () => {
      stub('temporal-sql-tool', 'exit 0');
      execFileSync('sh', [join(COMPOSE_DIR, 'temporal-schema.sh')], {
        env: { PATH: `${dir}:${process.env.PATH ?? ''}` },
        stdio: 'pipe',
      });
      expect(calls('temporal-sql-tool')).toEqual([
        '--plugin postgres12 --database temporal create-database --defaultdb postgres',
        '--plugin postgres12 --database temporal setup-schema --version 0.0',
        '--plugin postgres12 --database temporal update-schema --schema-name postgresql/v12/temporal',
        '--plugin postgres12 --database temporal_visibility create-database --defaultdb postgres',
        '--plugin postgres12 --database temporal_visibility setup-schema --version 0.0',
        '--plugin postgres12 --database temporal_visibility update-schema --schema-name postgresql/v12/visibility',
      ]);
    });
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => m[2]);
  const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds in stages and runs production dependencies only, as a non-root user under tini, with a health check', () => {
    expect(stages).toEqual(['build', 'prod-deps', 'runtime']);
    expect(dockerfile).toMatch(/FROM \$\{NODE_IMAGE\} AS build[\s\S]*RUN npm ci --no-audit/);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(final).toMatch(/COPY --from=prod-deps .*\/app\/node_modules/);
    expect(final).not.toMatch(/COPY --from=build \S* ?\/app\/node_modules/);
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(final).toMatch(/^HEALTHCHECK .*deploy\/docker\/healthcheck\.js/m);
  });

  it('copies only what exists and is not excluded from the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(\S+)/gm)) {
      for (const path of (source as string).split(' ')) {
        expect({ path, ignored: ignored.some((i) => path === i || path.startsWith(`${i}/`)) }).toEqual({
          path,
          ignored: false,
        });
      }
    }
  });
});
