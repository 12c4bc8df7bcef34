import { isUuid, type Queue } from '../../../domain';
import type { NewApiKey } from './api-keys';
import type { ApiKeyScope, UserRole } from './identity.entities';

/**
 * What the repository needs from a connection: a TypeORM DataSource, or a pg Client adapted to return rows.
 * Statements that change rows are written as `WITH … RETURNING … SELECT` so every call answers rows.
 */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(text: string, params?: unknown[]): Promise<any>;
}

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  active: boolean;
  tokenVersion: number;
  queues: Queue[];
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: UserRole;
  passwordHash: string;
  queues: readonly Queue[];
}

export interface UserPatch {
  displayName?: string;
  role?: UserRole;
  active?: boolean;
  passwordHash?: string;
  queues?: readonly Queue[];
}

export interface ApiKeyRecord {
  id: string;
  keyId: string;
  name: string;
  scopes: ApiKeyScope[];
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export class UserExistsError extends Error {
  constructor(email: string) {
    super(`a user with email ${email} exists`);
    this.name = 'UserExistsError';
  }
}

export class ApiKeyNameTakenError extends Error {
  constructor(name: string) {
    super(`an active API key named ${name} exists`);
    this.name = 'ApiKeyNameTakenError';
  }
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: UserRole;
  active: boolean;
  token_version: number;
  queues: Queue[] | null;
  created_at: Date;
  updated_at: Date;
}

interface ApiKeyRow {
  id: string;
  key_id: string;
  name: string;
  scopes: ApiKeyScope[];
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const USER_COLUMNS = `u.id, u.email, u.display_name, u.role, u.active, u.token_version, u.created_at, u.updated_at,
  coalesce((SELECT array_agg(m.queue ORDER BY m.queue) FROM queue_memberships m WHERE m.user_id = u.id), '{}') AS queues`;
const API_KEY_COLUMNS = 'k.id, k.key_id, k.name, k.scopes, k.created_by, k.created_at, k.last_used_at, k.revoked_at';

/** Users, their queues and integration API keys. Emails are stored lower-case. */
export class IdentityRepository {
  constructor(private readonly db: Queryable) {}

  /** The password hash of an account by email, for login only. */
  async findCredentials(email: string): Promise<{ id: string; passwordHash: string; active: boolean } | null> {
    const rows: { id: string; password_hash: string; active: boolean }[] = await this.db.query(
      `SELECT id, password_hash, active FROM users WHERE email = $1`,
      [email.trim().toLowerCase()],
    );
    const row = rows[0];
    return row ? { id: row.id, passwordHash: row.password_hash, active: row.active } : null;
  }

  async findUser(id: string): Promise<UserRecord | null> {
    const rows: UserRow[] = await this.db.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const rows: UserRow[] = await this.db.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.email = $1`, [
      email.trim().toLowerCase(),
    ]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows: UserRow[] = await this.db.query(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.role, u.email`);
    return rows.map(toUser);
  }

  /** Display names of the given user ids (for audit trails and claims). */
  async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)].filter(isUuid);
    if (wanted.length === 0) return new Map();
    const rows: { id: string; display_name: string }[] = await this.db.query(
      `SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])`,
      [wanted],
    );
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    const email = user.email.trim().toLowerCase();
    try {
      const rows: { id: string }[] = await this.db.query(
        `WITH u AS (
           INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id
         ), m AS (
           INSERT INTO queue_memberships (user_id, queue) SELECT u.id, q FROM u, unnest($5::text[]) AS q
         )
         SELECT id FROM u`,
        [email, user.displayName, user.role, user.passwordHash, [...new Set(user.queues)]],
      );
      return (await this.findUser((rows[0] as { id: string }).id)) as UserRecord;
    } catch (error) {
      if (isUniqueViolation(error)) throw new UserExistsError(email);
      throw error;
    }
  }

  /**
   * Changes a user. A new role, a new password or deactivation also revokes the tokens issued so far
   * (`token_version` + 1); queue changes apply to the next request without that.
   */
  async updateUser(id: string, patch: UserPatch): Promise<UserRecord | null> {
    const revoke = patch.role !== undefined || patch.passwordHash !== undefined || patch.active === false;
    const rows: { id: string }[] = await this.db.query(
      `WITH u AS (
         UPDATE users SET
           display_name = coalesce($2, display_name),
           role = coalesce($3, role),
           active = coalesce($4, active),
           password_hash = coalesce($5, password_hash),
           token_version = token_version + CASE WHEN $6::boolean THEN 1 ELSE 0 END,
           updated_at = now()
         WHERE id = $1 RETURNING id
       ), gone AS (
         DELETE FROM queue_memberships m USING u
          WHERE $7::text[] IS NOT NULL AND m.user_id = u.id AND m.queue <> ALL($7::text[])
       ), added AS (
         INSERT INTO queue_memberships (user_id, queue)
         SELECT u.id, q FROM u, unnest(coalesce($7::text[], '{}')) AS q
         ON CONFLICT DO NOTHING
       )
       SELECT id FROM u`,
      [
        id,
        patch.displayName ?? null,
        patch.role ?? null,
        patch.active ?? null,
        patch.passwordHash ?? null,
        revoke,
        patch.queues ? [...new Set(patch.queues)] : null,
      ],
    );
    return rows[0] ? this.findUser(id) : null;
  }

  /** Ends every session of the user (logout everywhere). */
  async revokeTokens(id: string): Promise<void> {
    await this.db.query(
      `WITH u AS (UPDATE users SET token_version = token_version + 1, updated_at = now() WHERE id = $1 RETURNING id) SELECT id FROM u`,
      [id],
    );
  }

  /** Creates the user or resets it to exactly this (demo seeding). */
  async upsertUser(user: NewUser): Promise<UserRecord> {
    const existing = await this.findUserByEmail(user.email);
    if (!existing) return this.createUser(user);
    return (await this.updateUser(existing.id, {
      displayName: user.displayName,
      role: user.role,
      active: true,
      passwordHash: user.passwordHash,
      queues: user.queues,
    })) as UserRecord;
  }

  async createApiKey(
    input: { name: string; scopes: readonly ApiKeyScope[]; createdBy: string | null },
    key: NewApiKey,
  ): Promise<ApiKeyRecord> {
    try {
      const rows: ApiKeyRow[] = await this.db.query(
        `WITH k AS (
           INSERT INTO api_keys (key_id, name, secret_hash, scopes, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *
         ) SELECT ${API_KEY_COLUMNS} FROM k`,
        [key.keyId, input.name, key.secretHash, [...new Set(input.scopes)], input.createdBy],
      );
      return toApiKey(rows[0] as ApiKeyRow);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiKeyNameTakenError(input.name);
      throw error;
    }
  }

  /** Creates the key unless one with this key id exists (demo seeding). */
  async ensureApiKey(input: { name: string; scopes: readonly ApiKeyScope[] }, key: NewApiKey): Promise<void> {
    await this.db.query(
      `INSERT INTO api_keys (key_id, name, secret_hash, scopes) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, revoked_at = NULL
       RETURNING id`,
      [key.keyId, input.name, key.secretHash, [...input.scopes]],
    );
  }

  async findApiKey(keyId: string): Promise<(ApiKeyRecord & { secretHash: Buffer }) | null> {
    const rows: (ApiKeyRow & { secret_hash: Buffer })[] = await this.db.query(
      `SELECT ${API_KEY_COLUMNS}, k.secret_hash FROM api_keys k WHERE k.key_id = $1`,
      [keyId],
    );
    const row = rows[0];
    return row ? { ...toApiKey(row), secretHash: row.secret_hash } : null;
  }

  /** Records use at most once a minute per key, so authentication does not write on every request. */
  async touchApiKey(id: string): Promise<void> {
    await this.db.query(
      `WITH k AS (
         UPDATE api_keys SET last_used_at = now()
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') RETURNING id
       ) SELECT id FROM k`,
      [id],
    );
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const rows: ApiKeyRow[] = await this.db.query(
      `SELECT ${API_KEY_COLUMNS} FROM api_keys k ORDER BY k.created_at, k.id`,
    );
    return rows.map(toApiKey);
  }

  async revokeApiKey(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows: { id: string }[] = await this.db.query(
      `WITH k AS (UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id) SELECT id FROM k`,
      [id],
    );
    return rows.length > 0;
  }
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    active: row.active,
    tokenVersion: row.token_version,
    queues: row.queues ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    keyId: row.key_id,
    name: row.name,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.code === '23505' || e?.driverError?.code === '23505';
}
