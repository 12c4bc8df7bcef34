import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DomainError, isUuid } from '../../../../libs/domain';
import {
  apiKeySecretMatches,
  IdentityRepository,
  parseApiKey,
  verifyPassword,
  type UserRecord,
} from '../../../../libs/persistence';
import type { ApiKeyPrincipal, UserPrincipal } from './principal';

export const TOKEN_ISSUER = 'seamline';
export const TOKEN_AUDIENCE = 'seamline-inbox';

interface TokenClaims {
  sub: string;
  /** The user's token version when the token was issued; a newer version revokes it. */
  ver: number;
  role: string;
  exp: number;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  user: UserRecord;
}

const BAD_LOGIN = 'email or password is incorrect';
const BAD_TOKEN = 'sign in again: the token is missing, expired or revoked';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: IdentityRepository,
    private readonly jwt: JwtService,
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
  ) {}

  /**
   * Password login. Every failure (unknown email, wrong password, disabled account) is the same answer after
   * the same work (one argon2 verification), so the response tells nothing about which part was wrong.
   */
  async login(email: string, password: string): Promise<IssuedToken> {
    const credentials = await this.users.findCredentials(email);
    const usable = credentials?.active ? credentials.passwordHash : null;
    const valid = await verifyPassword(usable, password);
    if (!credentials || !usable || !valid) throw new DomainError('INVALID_CREDENTIALS', BAD_LOGIN);
    const user = await this.users.findUser(credentials.id);
    if (!user?.active) throw new DomainError('INVALID_CREDENTIALS', BAD_LOGIN);
    const expiresIn = this.config.access.tokenTtlSeconds;
    const accessToken = await this.jwt.signAsync({ sub: user.id, ver: user.tokenVersion, role: user.role });
    return { accessToken, expiresIn, user };
  }

  /** Ends every session of the user: tokens issued so far stop working. */
  async logoutEverywhere(userId: string): Promise<void> {
    await this.users.revokeTokens(userId);
  }

  /** A bearer token to the user it was issued to, with role and queues as they are now. */
  async authenticateToken(token: string): Promise<UserPrincipal> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new DomainError('UNAUTHENTICATED', BAD_TOKEN);
    }
    if (typeof claims.sub !== 'string' || !isUuid(claims.sub) || typeof claims.ver !== 'number') {
      throw new DomainError('UNAUTHENTICATED', BAD_TOKEN);
    }
    const user = await this.users.findUser(claims.sub);
    if (!user || !user.active || user.tokenVersion !== claims.ver) throw new DomainError('UNAUTHENTICATED', BAD_TOKEN);
    return toPrincipal(user, claims.exp);
  }

  /** Re-reads a signed-in user (long-lived streams check now and then that access still holds). */
  async refresh(principal: UserPrincipal): Promise<UserPrincipal | null> {
    if (principal.expiresAt * 1000 <= Date.now()) return null;
    const user = await this.users.findUser(principal.id);
    if (!user || !user.active || user.tokenVersion !== principal.tokenVersion) return null;
    return toPrincipal(user, principal.expiresAt);
  }

  async authenticateApiKey(token: string): Promise<ApiKeyPrincipal> {
    const parsed = parseApiKey(token);
    const key = parsed ? await this.users.findApiKey(parsed.keyId) : null;
    if (
      !parsed ||
      !key ||
      key.revokedAt !== null ||
      !apiKeySecretMatches(key.secretHash, parsed.keyId, parsed.secret)
    ) {
      throw new DomainError('UNAUTHENTICATED', 'the API key is unknown or revoked');
    }
    await this.users.touchApiKey(key.id);
    return { kind: 'api_key', id: key.id, name: key.name, scopes: key.scopes };
  }
}

function toPrincipal(user: UserRecord, expiresAt: number): UserPrincipal {
  return {
    kind: 'user',
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    queues: user.queues,
    expiresAt,
    tokenVersion: user.tokenVersion,
  };
}
