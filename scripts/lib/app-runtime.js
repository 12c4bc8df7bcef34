// @ts-check
'use strict';
/**
 * Node flags for the built apps, shared by `npm start`, the tests and the benchmarks so all of them run the
 * apps as production does.
 *
 * The worker's V8 heap is bounded: left to Node's default (a quarter of the machine's memory), the heap grows
 * lazily under load and the worker holds far more memory than its workflow cache needs. The cache itself is
 * sized by WORKER_MAX_CACHED_WORKFLOWS (libs/config); WORKER_HEAP_MIB changes the bound.
 */
const DEFAULT_WORKER_HEAP_MIB = 384;

/**
 * @param {string} app the app's name: `worker`, `api`, `smtp-sink`
 * @param {Record<string, string | undefined>} env
 * @returns {string[]}
 */
function nodeFlagsFor(app, env = process.env) {
  if (app !== 'worker') return [];
  const raw = env.WORKER_HEAP_MIB;
  const mib = raw === undefined || raw === '' ? DEFAULT_WORKER_HEAP_MIB : Number(raw);
  if (!Number.isInteger(mib) || mib < 128) {
    throw new Error(`WORKER_HEAP_MIB must be a whole number of MiB, at least 128 (got "${raw}")`);
  }
  return [`--max-old-space-size=${mib}`];
}

module.exports = { nodeFlagsFor };
