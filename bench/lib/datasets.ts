/**
 * The labelled development sets the model is trained and evaluated on. They live beside the repository, in
 * `../shared/datasets/<name>/dev.jsonl` (relative to the repository root), and are never copied into it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INTENTS, type Intent, type Route } from '../../libs/domain';

export const DATASETS = ['banking77', 'bitext_customer_support', 'hint3_ecommerce'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface LabelledRow {
  dataset: DatasetName;
  id: string;
  text: string;
  /** Seamline intent family (the dataset's mapping of its own labels). */
  family: Intent;
  /** The route labellers chose; null where the label does not decide it (out of domain). */
  route: Route | null;
  /** The dataset's own label, for error listings. */
  sourceIntent: string;
  /** sha256 of the normalised text: duplicates share it, so they always land in the same fold. */
  textSha256: string;
}

/** Repository root, from dist/bench/lib (compiled) or bench/lib (ts). */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', '..', '..');
})();

/** `--datasets <dir>` or SEAMLINE_DATASETS, else `<repo>/../shared/datasets`. */
export function datasetsRoot(argv: readonly string[] = process.argv): string {
  const i = argv.indexOf('--datasets');
  if (i >= 0 && argv[i + 1]) return path.resolve(argv[i + 1]);
  if (process.env.SEAMLINE_DATASETS) return path.resolve(process.env.SEAMLINE_DATASETS);
  return path.resolve(REPO_ROOT, '..', 'shared', 'datasets');
}

export class MissingDatasetsError extends Error {}

/** Fails with instructions (never skips) when a dev set is missing. */
export function assertDatasets(root: string): void {
  const missing = DATASETS.map((d) => path.join(root, d, 'dev.jsonl')).filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return;
  throw new MissingDatasetsError(
    [
      `The labelled dev sets are missing: ${missing.join(', ')}.`,
      `Training and the evaluation gate read ${DATASETS.map((d) => `${d}/dev.jsonl`).join(', ')} from ${root}`,
      '(by default ../shared/datasets next to the repository root, as in CI).',
      'Put the shared datasets folder there (each dev.jsonl with its PROVENANCE.md), or point to it with',
      '--datasets <dir> or SEAMLINE_DATASETS=<dir>. The rows are never copied into this repository.',
    ].join('\n'),
  );
}

function isRoute(x: unknown): x is Route {
  return x === 'auto' || x === 'review' || x === 'escalate';
}

export function loadDataset(root: string, dataset: DatasetName): LabelledRow[] {
  const file = path.join(root, dataset, 'dev.jsonl');
  const rows: LabelledRow[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line) continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    if (typeof r.text !== 'string' || typeof r.family !== 'string') continue;
    if (!(INTENTS as readonly string[]).includes(r.family))
      throw new Error(`${file}:${n + 1}: family ${r.family} is not a Seamline intent`);
    rows.push({
      dataset,
      id: typeof r.id === 'string' ? r.id : `${dataset}:${n + 1}`,
      text: r.text,
      family: r.family as Intent,
      route: isRoute(r.route) ? r.route : null,
      sourceIntent: typeof r.intent === 'string' ? r.intent : '',
      textSha256: typeof r.text_sha256 === 'string' ? r.text_sha256 : createHash('sha256').update(r.text).digest('hex'),
    });
  }
  return rows;
}

/** Every dev row of every dataset, in a fixed order (dataset, then file order). */
export function loadAll(root: string): LabelledRow[] {
  assertDatasets(root);
  return DATASETS.flatMap((d) => loadDataset(root, d));
}

/**
 * sha256 over the rows used, one line per row sorted by id: `id \t family \t route \t text \n` (route `null` when
 * unset, text with tabs and newlines replaced by spaces). The model card quotes it; anyone with the same rows gets
 * the same hash.
 */
export function dataHash(rows: readonly LabelledRow[]): string {
  const h = createHash('sha256');
  const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const r of sorted) h.update(`${r.id}\t${r.family}\t${r.route ?? 'null'}\t${r.text.replace(/[\t\r\n]/g, ' ')}\n`);
  return h.digest('hex');
}
