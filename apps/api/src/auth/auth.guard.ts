import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../../../../libs/domain';
import { looksLikeApiKey } from '../../../../libs/persistence';
import { ACCESS_METADATA, type AccessRule } from './access.decorators';
import { AuthService } from './auth.service';
import { codecCookieToken } from './codec-cookie';
import type { AuthenticatedRequest, Principal } from './principal';

/**
 * The API's one door, on every route: authenticates the caller (`Authorization: Bearer <token or API key>` or
 * `X-Api-Key`; on the codec routes also the codec cookie) and checks the route's access rule. Routes are for
 * signed-in users unless marked otherwise; an API key opens only routes that admit its scope (ingest keys can only
 * ingest).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const rule =
      this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [ctx.getHandler(), ctx.getClass()]) ??
      {};
    if (rule.public) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(req, rule);
    req.principal = principal;
    if (!allows(rule, principal)) {
      throw new DomainError(
        'FORBIDDEN',
        principal.kind === 'api_key' ? 'this API key may not call this route' : 'your role may not call this route',
      );
    }
    return true;
  }

  private async authenticate(req: AuthenticatedRequest, rule: AccessRule): Promise<Principal> {
    const header = req.header('authorization');
    const apiKey = req.header('x-api-key');
    if (header !== undefined && apiKey !== undefined)
      throw new DomainError('UNAUTHENTICATED', 'send one credential, not two');
    if (apiKey !== undefined) return this.auth.authenticateApiKey(apiKey.trim());
    const cookieToken = header === undefined && rule.codecCookie ? codecCookieToken(req) : undefined;
    if (cookieToken !== undefined) return this.auth.authenticateToken(cookieToken);
    const match = header ? /^Bearer\s+(\S{1,4096})\s*$/i.exec(header) : null;
    if (!match)
      throw new DomainError(
        'UNAUTHENTICATED',
        'sign in (Authorization: Bearer <token>) or send an API key (X-Api-Key)',
      );
    const token = match[1] as string;
    return looksLikeApiKey(token) ? this.auth.authenticateApiKey(token) : this.auth.authenticateToken(token);
  }
}

function allows(rule: AccessRule, principal: Principal): boolean {
  if (principal.kind === 'api_key') return (rule.apiKeyScopes ?? []).some((scope) => principal.scopes.includes(scope));
  return rule.roles === undefined || rule.roles.includes(principal.role);
}
