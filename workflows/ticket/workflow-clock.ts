/**
 * Workflow time. Inside the workflow sandbox `Date` is deterministic: it is the time of the current workflow
 * task, the same on every replay. All workflow code reads time through here, so it is easy to audit.
 */
export function workflowNow(): Date {
  return new Date(Date.now());
}
