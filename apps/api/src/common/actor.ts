import type { Actor } from '../../../../workflows/ticket/ticket.messages';
import type { UserPrincipal } from '../auth/principal';

/** The workflow's view of a signed-in user: the id the audit trail records and the role validators check. */
export function actorOf(user: UserPrincipal): Actor {
  return { id: user.id, role: user.role };
}
