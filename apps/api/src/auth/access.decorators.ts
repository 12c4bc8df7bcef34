import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiSecurity } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ApiKeyScope, UserRole } from '../../../../libs/persistence';
import { ApiErrors } from '../common/api-errors';

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
  /** The codec cookie (codec-cookie.ts) is accepted in place of the bearer token. */
  codecCookie?: boolean;
}

/** No authentication; the OpenAPI document declares no security for the route. */
export const Public = () => SetMetadata(ACCESS_METADATA, { public: true } satisfies AccessRule);

/**
 * The route's access rule, and its documentation: the credentials it takes (bearer token for users, the API key
 * for the scopes it admits) and the 401/403 every authenticated route can answer, and the 503 it answers while the
 * database (which every credential check reads) is unreachable.
 */
export const Access = (rule: Omit<AccessRule, 'public'>) => {
  const docs = [ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'STORAGE_UNAVAILABLE')];
  if (rule.roles || !rule.apiKeyScopes) docs.push(ApiBearerAuth());
  if (rule.apiKeyScopes) docs.push(ApiSecurity('apiKey'));
  if (rule.codecCookie) docs.push(ApiCookieAuth('codecCookie'));
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
  applyDecorators(SetMetadata(RATE_LIMIT_METADATA, kind), UseGuards(ThrottlerGuard), ApiErrors('RATE_LIMITED'));
