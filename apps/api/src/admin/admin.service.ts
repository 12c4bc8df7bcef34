import { Inject, Injectable } from '@nestjs/common';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DEFAULT_ROUTING_POLICY, DomainError, isUuid, QUEUES } from '../../../../libs/domain';
import {
  ApiKeyNameTakenError,
  generateApiKey,
  hashPassword,
  IdentityRepository,
  InboxRepository,
  RoutingPolicyRepository,
  UserExistsError,
  type ApiKeyRecord,
  type UserRecord,
} from '../../../../libs/persistence';
import type { UserPrincipal } from '../auth/principal';
import type {
  ApiKeyDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  CreateUserDto,
  QueueDto,
  RoutingConfigDto,
  UpdateUserDto,
  UserDto,
} from './admin.dto';

/** Users, queue memberships, API keys and a read-only view of the routing configuration. Admins only. */
@Injectable()
export class AdminService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly inbox: InboxRepository,
    private readonly policies: RoutingPolicyRepository,
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
  ) {}

  async listUsers(): Promise<UserDto[]> {
    return (await this.identities.listUsers()).map(userDto);
  }

  async createUser(dto: CreateUserDto): Promise<UserDto> {
    try {
      const user = await this.identities.createUser({
        email: dto.email,
        displayName: dto.displayName,
        role: dto.role,
        passwordHash: await hashPassword(dto.password),
        queues: dto.queues,
      });
      return userDto(user);
    } catch (error) {
      if (error instanceof UserExistsError) throw new DomainError('USER_EXISTS', 'a user with this email exists');
      throw error;
    }
  }

  /**
   * Changes a user; refuses to leave the system without an active admin. A field sent as null changes nothing,
   * like one left out (validation lets null through optional fields).
   */
  async updateUser(id: string, dto: UpdateUserDto): Promise<UserDto> {
    const existing = isUuid(id) ? await this.identities.findUser(id) : null;
    if (!existing) throw new DomainError('USER_NOT_FOUND', `no user ${id}`);
    const { displayName, role, active, password, queues } = withoutNulls(dto);
    const losesAdmin =
      existing.role === 'admin' && existing.active && ((role !== undefined && role !== 'admin') || active === false);
    if (losesAdmin) {
      const admins = (await this.identities.listUsers()).filter((u) => u.role === 'admin' && u.active);
      if (admins.length <= 1)
        throw new DomainError('LAST_ADMIN', 'this is the last active admin; make another admin first');
    }
    const updated = await this.identities.updateUser(id, {
      ...(displayName !== undefined ? { displayName } : {}),
      ...(role !== undefined ? { role } : {}),
      ...(active !== undefined ? { active } : {}),
      ...(password !== undefined ? { passwordHash: await hashPassword(password) } : {}),
      ...(queues !== undefined ? { queues } : {}),
    });
    if (!updated) throw new DomainError('USER_NOT_FOUND', `no user ${id}`);
    return userDto(updated);
  }

  async queues(): Promise<QueueDto[]> {
    const [users, counts] = await Promise.all([this.identities.listUsers(), this.inbox.counts(QUEUES)]);
    return QUEUES.map((queue) => {
      const count = counts.find((c) => c.queue === queue);
      return {
        queue,
        members: users
          .filter((u) => u.active && u.queues.includes(queue))
          .map((u) => ({ id: u.id, displayName: u.displayName, role: u.role })),
        waiting: count?.waiting ?? 0,
        breached: count?.breached ?? 0,
      };
    });
  }

  async listApiKeys(): Promise<ApiKeyDto[]> {
    return (await this.identities.listApiKeys()).map(apiKeyDto);
  }

  async createApiKey(admin: UserPrincipal, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const key = generateApiKey();
    try {
      const record = await this.identities.createApiKey(
        { name: dto.name, scopes: dto.scopes ?? ['ingest'], createdBy: admin.id },
        key,
      );
      return { ...apiKeyDto(record), token: key.token };
    } catch (error) {
      if (error instanceof ApiKeyNameTakenError)
        throw new DomainError('API_KEY_NAME_TAKEN', 'an active API key has this name');
      throw error;
    }
  }

  async revokeApiKey(id: string): Promise<void> {
    if (!(await this.identities.revokeApiKey(id))) throw new DomainError('API_KEY_NOT_FOUND', `no API key ${id}`);
  }

  /** The routing in force: with earned autonomy, the newest stored policy's version and thresholds. */
  async routing(): Promise<RoutingConfigDto> {
    const earned = this.config.routing.autonomy.mode === 'earned' ? await this.policies.current() : null;
    const policy = earned?.policy ?? DEFAULT_ROUTING_POLICY;
    return {
      policyVersion: policy.version,
      autoSendEnabled: this.config.routing.autoSendEnabled,
      autoSendUndoSeconds: this.config.routing.autoSendUndoSeconds,
      reopenWindowSeconds: this.config.routing.reopenWindowSeconds,
      queues: DEFAULT_ROUTING_POLICY.queues,
      thresholds: policy.thresholds,
      sla: structuredClone(this.config.sla.config) as unknown as Record<string, unknown>,
    };
  }
}

function withoutNulls<T extends object>(dto: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== null)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}

function userDto(user: UserRecord): UserDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    active: user.active,
    queues: user.queues,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

function apiKeyDto(key: ApiKeyRecord): ApiKeyDto {
  return {
    id: key.id,
    keyId: key.keyId,
    name: key.name,
    scopes: key.scopes,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}
