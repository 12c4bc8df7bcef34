import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ApiKeyScope, UserRole } from '../../../../libs/persistence';

export const ACCESS_METADATA = 'seamline:access';
export const RATE_LIMIT_METADATA = 'seamline:rate-limit';

/**
 * Who may call a route. Every route requires a signed-in user of any role unless it says otherwise:
 * `@Public()` for no authentication, `@Access({ roles, apiKeyScopes })` to narrow roles or admit API keys.
 */
export interface AccessRule {
  public?: boolean;
  /** Roles admitted; absent = every role. */
  roles?: readonly UserRole[];
  /** API key scopes admitted; absent = no API key. */
  apiKeyScopes?: readonly ApiKeyScope[];
}

export const Public = () => SetMetadata(ACCESS_METADATA, { public: true } satisfies AccessRule);

export const Access = (rule: Omit<AccessRule, 'public'>) => {
  const docs = [ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no, or no valid, token or API key.' })];
  if (rule.roles || rule.apiKeyScopes)
    docs.push(ApiForbiddenResponse({ description: 'FORBIDDEN: authenticated, but not allowed here.' }));
  if (rule.roles) docs.push(ApiBearerAuth());
  if (rule.apiKeyScopes) docs.push(ApiSecurity('apiKey'));
  return applyDecorators(SetMetadata(ACCESS_METADATA, rule), ...docs);
};

/** Users of the given roles only. */
export const Roles = (...roles: UserRole[]) => Access({ roles });

/** Signed-in users of any role (the default, spelled out for the docs). */
export const Users = () => Access({ roles: ['agent', 'supervisor', 'admin'] });

/** Taking customer messages in: an integration's ingest key, or an admin. */
export const IngestAccess = () => Access({ roles: ['admin'], apiKeyScopes: ['ingest'] });

export type RateLimitKind = 'login' | 'actions';

/** Applies the named rate limit (see rate-limits.ts) to a route or controller. */
export const RateLimited = (kind: RateLimitKind) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_METADATA, kind),
    UseGuards(ThrottlerGuard),
    ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many requests; see Retry-After.' }),
  );
