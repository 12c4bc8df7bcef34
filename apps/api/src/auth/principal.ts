import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, type Queue } from '../../../../libs/domain';
import type { ApiKeyScope, UserRole } from '../../../../libs/persistence';

/** A person signed in with a token. Queues and role are read from the database on every request. */
export interface UserPrincipal {
  kind: 'user';
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  queues: Queue[];
  /** When the token ends (epoch seconds). */
  expiresAt: number;
  /** The token's version; revoking sessions raises the user's version. */
  tokenVersion: number;
}

/** An integration calling with an API key. */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  id: string;
  name: string;
  scopes: ApiKeyScope[];
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

export type AuthenticatedRequest = Request & { principal?: Principal };

/** Supervisors and admins see every queue; agents only their own. A ticket without a queue is nobody's yet. */
export function canSeeQueue(user: UserPrincipal, queue: Queue | null): boolean {
  if (user.role === 'supervisor' || user.role === 'admin') return true;
  return queue !== null && user.queues.includes(queue);
}

export function principalOf(ctx: ExecutionContext): Principal | undefined {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
}

/** The signed-in person (the route must not admit API keys, or must check the kind itself). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): UserPrincipal => {
  const principal = principalOf(ctx);
  if (principal?.kind !== 'user') throw new DomainError('FORBIDDEN', 'this route is for signed-in users');
  return principal;
});

/** Whoever called: a user or an integration's API key. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx);
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'sign in or send an API key');
  return principal;
});
