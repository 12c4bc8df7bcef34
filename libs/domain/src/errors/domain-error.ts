/**
 * Stable error codes, each with the one HTTP status the API answers it with. Clients may rely on the code,
 * never on the message.
 */
export const ERROR_CODES = {
  // The request itself
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  // Authentication, authorization and rate limits
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  // Administration of users and API keys
  USER_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  USER_EXISTS: 409,
  API_KEY_NAME_TAKEN: 409,
  LAST_ADMIN: 409,
  // Tickets and agent decisions
  TICKET_NOT_FOUND: 404,
  TICKET_NOT_AWAITING_REVIEW: 409,
  STALE_DRAFT_VERSION: 409,
  TICKET_CLOSED: 409,
  TICKET_CLAIMED_BY_OTHER: 409,
  NO_AUTO_SEND_PENDING: 409,
  INVALID_DECISION: 422,
  WORKFLOW_UNAVAILABLE: 503,
  // Customer messages
  MESSAGE_ID_CONFLICT: 409,
  STORAGE_UNAVAILABLE: 503,
  // Inbound email
  INBOUND_UNSUPPORTED_MEDIA_TYPE: 415,
  INBOUND_TOO_LARGE: 413,
  INBOUND_INVALID_PAYLOAD: 400,
  INBOUND_UNAUTHORIZED: 401,
  INBOUND_CHANNEL_DISABLED: 404,
  INBOUND_BUSY: 503,
  INBOUND_STORAGE_UNAVAILABLE: 503,
  QUARANTINE_ENTRY_NOT_FOUND: 404,
  QUARANTINE_ALREADY_RESOLVED: 409,
  QUARANTINE_NOT_RELEASABLE: 422,
  ATTACHMENT_NOT_FOUND: 404,
  NO_ROUTED_DRAFT: 409,
  INTENT_NOT_FOUND: 404,
  // The payload codec endpoint
  PAYLOAD_NOT_DECODABLE: 422,
  // Anything unexpected: answered with an error id, never with its cause
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
