// This spec reads the sources it checks; the shipped SLA code never does I/O.
/* eslint-disable no-restricted-imports */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
/* eslint-enable no-restricted-imports */

/**
 * The SLA model runs inside the Temporal workflow sandbox, so its source must be deterministic: time comes in as
 * a parameter, never from the machine. ESLint already forbids Node builtins in libs/domain; this checks the rest.
 */
const SOURCES = readdirSync(__dirname)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts') && name !== 'test-fixtures.ts')
  .map((name) => ({ name, text: stripComments(readFileSync(join(__dirname, name), 'utf8')) }));

const FORBIDDEN: [RegExp, string][] = [
  [/Date\.now\s*\(/, 'Date.now()'],
  [/new Date\(\s*\)/, 'new Date() without an argument'],
  [/Math\.random/, 'Math.random'],
  [/\bprocess\./, 'process'],
  [/DateTime\.(now|local)\s*\(/, 'luxon DateTime.now()/local() (the current time, the machine zone)'],
  [/\bSettings\b/, 'luxon Settings (global, machine-dependent defaults)'],
  [/\bsetTimeout\b|\bsetInterval\b/, 'timers'],
];

describe('SLA model purity', () => {
  it('has sources to check', () => {
    expect(SOURCES.map((s) => s.name)).toEqual(
      expect.arrayContaining(['business-calendar.ts', 'metric-clock.ts', 'ladder.ts', 'policy.ts']),
    );
  });

  it.each(FORBIDDEN)('no source uses %s', (pattern) => {
    expect(SOURCES.filter((s) => pattern.test(s.text)).map((s) => s.name)).toEqual([]);
  });

  it('imports only luxon and files of libs/domain', () => {
    const imports = SOURCES.flatMap((s) => [...s.text.matchAll(/from '([^']+)'/g)].map((m) => `${s.name}: ${m[1]}`));
    expect(imports.filter((line) => !/: (luxon|\.\/[\w.-]+|\.\.\/(triage|tickets)\/[\w.-]+)$/.test(line))).toEqual([]);
  });
});

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}
