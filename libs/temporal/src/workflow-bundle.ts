/**
 * How the worker bundles the workflows. The worker runs every workflow in one reusable V8 context, but each
 * workflow evaluates its own copy of the bundle's modules, so that no module state leaks from one workflow to the
 * next. For a ticket evicted from the cache and replayed when its SLA timer fires, that evaluation was a large part
 * of the cost of the level.
 *
 * The pure rules the workflows run (libs/domain's workflow entry and luxon under it) hold no per-workflow state:
 * functions and constants, and a per-calendar-object memo of pure results. They are evaluated once per context and
 * shared. The workflow SDK and the workflow code stay per workflow.
 */
export const WORKFLOW_PRELOADED_MODULES: readonly string[] = [require.resolve('../../domain/workflow-rules')];
