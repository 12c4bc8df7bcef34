import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seamlineSeriesNames } from '../../libs/observability';
import { metricNamesIn } from '../ops/support';

/**
 * The starter dashboard reads only metrics the apps export: Seamline's own (libs/observability, with prom-client's
 * process metrics) and the Temporal SDK's worker metrics named below (test/ops checks those against a live scrape).
 */
const TEMPORAL_SDK_SERIES = [
  'temporal_workflow_task_schedule_to_start_latency_bucket',
  'temporal_activity_execution_failed_total',
  'temporal_worker_task_slots_available',
];

describe('deploy/grafana/seamline.json', () => {
  const dashboard = JSON.parse(readFileSync(join(__dirname, '..', '..', 'deploy', 'grafana', 'seamline.json'), 'utf8'));
  const targets: Array<{ expr: string }> = dashboard.panels.flatMap((p: { targets?: unknown[] }) => p.targets ?? []);

  it('is a dashboard with Prometheus panels', () => {
    expect(dashboard.uid).toBe('seamline-overview');
    expect(targets.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) expect(panel.datasource.type).toBe('prometheus');
  });

  it('reads only metrics the apps export', () => {
    const exported = new Set([...seamlineSeriesNames(), ...TEMPORAL_SDK_SERIES]);
    const read = targets.flatMap((t) => metricNamesIn(t.expr));
    expect(read.filter((name) => !exported.has(name))).toEqual([]);
    // and shows each business metric somewhere
    const shown = new Set(read);
    for (const name of seamlineSeriesNames().filter((n) => n.startsWith('seamline_') && !/_(sum|bucket)$/.test(n))) {
      const base = name.replace(/_count$/, '');
      expect({ name, shown: [...shown].some((r) => r === name || r.startsWith(base)) }).toEqual({ name, shown: true });
    }
  });
});
