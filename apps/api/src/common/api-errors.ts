import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema } from '@nestjs/swagger';
import { ERROR_CODES, httpStatusOf, type ErrorCode } from '../../../../libs/domain';

/** What each stable code means, as the OpenAPI document tells clients (the status comes from the code table). */
const MEANINGS: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'the request is invalid; `details.fields` names each field and what is wrong with it',
  MALFORMED_JSON: 'the body is not JSON',
  ROUTE_NOT_FOUND: 'no such route',
  METHOD_NOT_ALLOWED: 'the route does not answer this method; `Allow` lists those it does',
  PAYLOAD_TOO_LARGE: 'the body is over the size limit',
  UNAUTHENTICATED: 'no, or no valid, token or API key',
  INVALID_CREDENTIALS: 'email or password is incorrect (the same answer whichever part was wrong)',
  FORBIDDEN: 'authenticated, but not allowed here',
  RATE_LIMITED: 'too many requests; retry after the `Retry-After` seconds when given',
  USER_NOT_FOUND: 'no such user',
  API_KEY_NOT_FOUND: 'no such API key',
  USER_EXISTS: 'a user with this email exists',
  API_KEY_NAME_TAKEN: 'an active API key has this name',
  LAST_ADMIN: 'the change would leave no active admin',
  TICKET_NOT_FOUND: 'no such ticket, or not in your queues (the same answer, on purpose)',
  TICKET_NOT_AWAITING_REVIEW: 'the ticket is not waiting for an agent',
  STALE_DRAFT_VERSION: 'a newer draft or customer message exists; reload the ticket',
  TICKET_CLOSED: 'the ticket is closed',
  TICKET_CLAIMED_BY_OTHER: 'another agent holds the ticket',
  NO_AUTO_SEND_PENDING: 'no auto-reply is waiting to be sent',
  INVALID_DECISION: 'the workflow refused the content of the decision',
  WORKFLOW_UNAVAILABLE: 'the message is stored but its workflow could not be reached; retry the same request',
  MESSAGE_ID_CONFLICT:
    'this messageId was used before for another message (another sender or content); it is kept for review, in no ticket',
  STORAGE_UNAVAILABLE: 'the message could not be stored (the database is unreachable); retry the same request',
  INBOUND_UNSUPPORTED_MEDIA_TYPE: 'send the raw message with Content-Type: message/rfc822',
  INBOUND_TOO_LARGE: 'the message is over the size limit',
  INBOUND_INVALID_PAYLOAD: 'not a Postmark inbound payload; `details.problems` says why',
  INBOUND_UNAUTHORIZED: 'the webhook credentials are missing or wrong',
  INBOUND_CHANNEL_DISABLED: 'this channel is not configured',
  INBOUND_BUSY: 'every parser is busy; the message is stored, retry shortly',
  INBOUND_STORAGE_UNAVAILABLE: 'the message could not be stored; retry later',
  QUARANTINE_ENTRY_NOT_FOUND: 'no such quarantine entry',
  QUARANTINE_ALREADY_RESOLVED: 'the entry was resolved the other way already (released, or discarded)',
  QUARANTINE_NOT_RELEASABLE:
    'intake holds the message again (`details.reason`): it is unsafe or unreadable; the entry stays open',
  ATTACHMENT_NOT_FOUND: 'no such attachment on this ticket, or its content was not kept (over the size limit)',
  NO_ROUTED_DRAFT: 'the ticket has not been routed yet, so there is no intent to correct',
  INTENT_NOT_FOUND: 'no such intent among those that may earn automatic sending',
  PAYLOAD_NOT_DECODABLE:
    'a payload is encrypted under a key this deployment does not hold, or was altered; `details.index` names it',
  INTERNAL: 'an unexpected error; quote `errorId` when reporting it',
};

@ApiSchema({ name: 'Error' })
export class ApiErrorDto {
  @ApiProperty({ enum: Object.keys(ERROR_CODES), enumName: 'ErrorCode', description: 'Stable: rely on it.' })
  code!: ErrorCode;

  @ApiProperty({ description: 'For people; it may change.' })
  message!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Specifics, per code.' })
  details?: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', description: 'Set on INTERNAL errors; the server log has the cause.' })
  errorId?: string;
}

/** The one error body of the API (see ErrorFilter). */
@ApiSchema({ name: 'ErrorResponse' })
export class ApiErrorResponseDto {
  @ApiProperty({ type: ApiErrorDto })
  error!: ApiErrorDto;
}

/** The errors of any route that reads a JSON body. */
export const JSON_BODY_ERRORS = ['VALIDATION_FAILED', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE'] as const;

/**
 * Documents the error answers a route can give, by stable code: one response per HTTP status (from the code
 * table), each with the shared error body and the codes it carries. Several uses on a route add up.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, inStatus]) =>
      ApiResponse({
        status,
        type: ApiErrorResponseDto,
        description: inStatus.map((code) => `\`${code}\`: ${MEANINGS[code]}.`).join('\n\n'),
        ...(status === 429
          ? {
              headers: {
                'Retry-After': {
                  description: 'Seconds to wait before trying again (sent by the rate limits).',
                  required: false,
                  schema: { type: 'integer', minimum: 0 },
                },
              },
            }
          : {}),
      }),
    ),
  );
}
