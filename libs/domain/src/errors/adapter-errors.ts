/**
 * Errors adapters throw across the ports, so activities can tell Temporal what to retry
 * without knowing which vendor answered.
 */

/** A permanent delivery failure (SMTP 5xx): retrying cannot help, an agent must look. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** The language model cannot help with this request: its output stayed invalid, or the request was refused. */
export class PermanentLlmError extends Error {
  constructor(
    message: string,
    /** `invalid_output`: still invalid after the repair attempt; `request_rejected`: 400/401/403/404/422... */
    readonly reason: 'invalid_output' | 'request_rejected',
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PermanentLlmError';
  }
}

/** The endpoint is overloaded, failing or unreachable: another attempt later may succeed. */
export class RetryableLlmError extends Error {
  constructor(
    message: string,
    /** HTTP status, when there was an answer at all. */
    readonly status?: number,
    /** How long the endpoint asked us to wait (Retry-After / retry-after-ms), when it said so. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryableLlmError';
  }
}

/** The receiver refused a notification for good (a 4xx other than 408/429, an unknown target): do not retry. */
export class PermanentNotificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentNotificationError';
  }
}

/** An outbox key already holds a different reply: sending under it would skip or duplicate a reply silently. */
export class OutboxConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxConflictError';
  }
}

/**
 * The shop's order system cannot answer this request, and asking again will not change that: the access token is
 * refused or lacks a scope, the shop is unknown, frozen or locked, or our query is not one the API accepts.
 */
export class PermanentOrderLookupError extends Error {
  constructor(
    message: string,
    /** HTTP status, when the failure came with one. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PermanentOrderLookupError';
  }
}

/** The shop's order system is rate limiting, failing or unreachable: another attempt later may succeed. */
export class RetryableOrderLookupError extends Error {
  constructor(
    message: string,
    /** HTTP status, when there was an answer at all. */
    readonly status?: number,
    /** How long the shop asked us to wait (Retry-After, or what its query-cost bucket needs to refill). */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryableOrderLookupError';
  }
}
