import type { Queue } from '../../../domain';
import { apiKeyFromParts } from './api-keys';
import type { UserRole } from './identity.entities';
import type { IdentityRepository } from './identity.repository';
import { hashPassword } from './passwords';

export interface DemoUser {
  email: string;
  displayName: string;
  role: UserRole;
  password: string;
  queues: Queue[];
}

/**
 * The people `npm start` lets you log in as. Development only: the seeder refuses NODE_ENV=production, and every
 * run resets these accounts to exactly these passwords, so the credentials printed by `npm start` always work.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'admin@seamline.local', displayName: 'Alex Admin', role: 'admin', password: 'demo-admin-pass', queues: [] },
  {
    email: 'sam@seamline.local',
    displayName: 'Sam Supervisor',
    role: 'supervisor',
    password: 'demo-supervisor-pass',
    queues: [],
  },
  {
    email: 'ava@seamline.local',
    displayName: 'Ava Agent',
    role: 'agent',
    password: 'demo-agent-ava',
    queues: ['standard', 'priority'],
  },
  {
    email: 'ravi@seamline.local',
    displayName: 'Ravi Agent',
    role: 'agent',
    password: 'demo-agent-ravi',
    queues: ['risk', 'escalations'],
  },
  {
    email: 'maya@seamline.local',
    displayName: 'Maya Agent',
    role: 'agent',
    password: 'demo-agent-maya',
    queues: ['accessibility', 'standard'],
  },
];

/** An ingest-only key for trying the API with curl (development only, like the users). */
export const DEMO_INGEST_KEY = apiKeyFromParts('demoingest01', 'devonly-demo-ingest-key-not-for-production0');

export async function seedDemoIdentities(
  repo: IdentityRepository,
): Promise<{ users: readonly DemoUser[]; ingestKey: string }> {
  for (const user of DEMO_USERS) {
    await repo.upsertUser({ ...user, passwordHash: await hashPassword(user.password) });
  }
  await repo.ensureApiKey({ name: 'demo-ingest', scopes: ['ingest'] }, DEMO_INGEST_KEY);
  return { users: DEMO_USERS, ingestKey: DEMO_INGEST_KEY.token };
}
