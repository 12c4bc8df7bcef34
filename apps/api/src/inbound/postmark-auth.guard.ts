import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DomainError } from '../../../../libs/domain';

/**
 * Postmark does not sign inbound webhooks; the webhook URL carries basic-auth credentials
 * (https://USER:PASSWORD@host/api/v1/inbound/postmark) and this guard checks them in constant time.
 * Without POSTMARK_INBOUND_USER/PASSWORD configured the webhook does not exist (404).
 */
@Injectable()
export class PostmarkAuthGuard implements CanActivate {
  constructor(@Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const expected = this.config.inbound.postmark;
    if (!expected) throw new DomainError('INBOUND_CHANNEL_DISABLED', 'the Postmark inbound webhook is not configured');
    const header = ctx.switchToHttp().getRequest<Request>().header('authorization') ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]{1,1024})\s*$/i.exec(header);
    const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : '';
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    // Both compared, always, so timing says nothing about which one was wrong.
    const ok = [same(user, expected.user), same(password, expected.password)].every(Boolean);
    if (!match || !ok) throw new DomainError('INBOUND_UNAUTHORIZED', 'the webhook credentials are missing or wrong');
    return true;
  }
}

function same(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}
