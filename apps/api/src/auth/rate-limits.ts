import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AccessConfig } from '../../../../libs/config';
import { RATE_LIMIT_METADATA, type RateLimitKind } from './access.decorators';
import type { AuthenticatedRequest } from './principal';

const MINUTE = 60_000;

function kindOf(ctx: ExecutionContext): RateLimitKind | undefined {
  return (Reflect.getMetadata(RATE_LIMIT_METADATA, ctx.getHandler()) ??
    Reflect.getMetadata(RATE_LIMIT_METADATA, ctx.getClass())) as RateLimitKind | undefined;
}

/**
 * Rate limits (in memory, per API process):
 * - login: per account (AUTH_LOGIN_LIMIT_PER_MINUTE) and per client address (5× that, for offices behind one NAT);
 * - actions: ticket actions per signed-in user (AUTH_ACTION_LIMIT_PER_MINUTE).
 * A route opts in with `@RateLimited(kind)`; the other limits skip it.
 */
export function rateLimits(access: AccessConfig): ThrottlerModuleOptions {
  return {
    errorMessage: 'too many requests',
    throttlers: [
      {
        name: 'login-address',
        ttl: MINUTE,
        limit: access.loginLimitPerMinute * 5,
        skipIf: (ctx) => kindOf(ctx) !== 'login',
        getTracker: (req) => `ip:${(req as AuthenticatedRequest).ip ?? 'unknown'}`,
      },
      {
        name: 'login-account',
        ttl: MINUTE,
        limit: access.loginLimitPerMinute,
        skipIf: (ctx) => kindOf(ctx) !== 'login',
        getTracker: (req) => {
          const email = (req as AuthenticatedRequest).body?.email;
          return `account:${typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : ''}`;
        },
      },
      {
        name: 'actions',
        ttl: MINUTE,
        limit: access.actionLimitPerMinute,
        skipIf: (ctx) => kindOf(ctx) !== 'actions',
        getTracker: (req) => {
          const principal = (req as AuthenticatedRequest).principal;
          return principal
            ? `${principal.kind}:${principal.id}`
            : `ip:${(req as AuthenticatedRequest).ip ?? 'unknown'}`;
        },
      },
    ],
  };
}
