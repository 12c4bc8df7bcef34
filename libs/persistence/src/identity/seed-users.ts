/** Seeds the demo users and the demo ingest key into DATABASE_URL (idempotent). `npm start` runs it; never production. */
import 'reflect-metadata';
import { loadConfig } from '../../../config';
import { createDataSource } from '../data-source';
import { seedDemoIdentities } from './demo-users';
import { IdentityRepository } from './identity.repository';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.access.environment === 'production') {
    throw new Error('refusing to seed demo users with NODE_ENV=production: create real accounts through the admin API');
  }
  const db = await createDataSource({
    url: config.database.url,
    poolSize: 1,
    applicationName: 'seamline-seed-users',
  }).initialize();
  try {
    const { users } = await seedDemoIdentities(new IdentityRepository(db));
    console.log(`demo users: ${users.length} (passwords reset to the demo ones), demo ingest key ready`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
