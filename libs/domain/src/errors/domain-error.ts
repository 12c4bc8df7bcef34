/** Stable error codes. The API maps each to one HTTP status; clients may rely on the code, never on the message. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  ROUTE_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  TICKET_NOT_FOUND: 404,
  TICKET_NOT_AWAITING_REVIEW: 409,
  STALE_DRAFT_VERSION: 409,
  TICKET_CLOSED: 409,
  TICKET_CLAIMED_BY_OTHER: 409,
  NO_AUTO_SEND_PENDING: 409,
  INVALID_DECISION: 422,
  WORKFLOW_UNAVAILABLE: 503,
  // inbound email (issue 7)
  INBOUND_UNSUPPORTED_MEDIA_TYPE: 415,
  INBOUND_TOO_LARGE: 413,
  INBOUND_INVALID_PAYLOAD: 400,
  INBOUND_UNAUTHORIZED: 401,
  INBOUND_CHANNEL_DISABLED: 404,
  INBOUND_BUSY: 503,
  INBOUND_STORAGE_UNAVAILABLE: 503,
  QUARANTINE_ENTRY_NOT_FOUND: 404,
  // end inbound email
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}
