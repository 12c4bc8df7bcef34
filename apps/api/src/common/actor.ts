import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../../../../libs/domain';
import type { Actor } from '../../../../workflows/ticket/ticket.messages';

const ROLES: Actor['role'][] = ['agent', 'supervisor', 'admin'];

/**
 * The agent acting on a ticket, as asserted by the gateway in front of the API (`X-Actor-Id`, `X-Actor-Role`).
 * Without them the caller is the anonymous integration `api` with the agent role.
 */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const id = req.header('x-actor-id') ?? 'api';
  const role = (req.header('x-actor-role') ?? 'agent') as Actor['role'];
  if (!/^[\w.@-]{1,64}$/.test(id) || !ROLES.includes(role)) {
    throw new DomainError('VALIDATION_FAILED', 'X-Actor-Id must be 1-64 word characters and X-Actor-Role agent, supervisor or admin');
  }
  return { id, role };
});
