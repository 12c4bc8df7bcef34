const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` has the shape of a UUID (any version), so it can be handed to a `uuid` column without a
 * database error. Ids that are not UUIDs name nothing: callers answer "not found", as for an unknown id.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The ticket's workflow id: one workflow per ticket, found by the ticket's id alone. */
export function ticketWorkflowId(ticketId: string): string {
  return `ticket-${ticketId}`;
}
