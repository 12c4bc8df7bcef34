import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '../../../../libs/domain';
import type { Actor } from '../../../../workflows/ticket/ticket.messages';
import { principalOf, type UserPrincipal } from '../auth/principal';

/** The workflow's view of a signed-in user: the id the audit trail records and the role validators check. */
export function actorOf(user: UserPrincipal): Actor {
  return { id: user.id, role: user.role };
}

/**
 * The person acting on a ticket, from the authenticated request (never from headers or the body).
 * The route's access rule must admit users only; an API key here is refused.
 */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const principal = principalOf(ctx);
  if (principal?.kind !== 'user') throw new DomainError('FORBIDDEN', 'only signed-in users act on tickets');
  return actorOf(principal);
});
