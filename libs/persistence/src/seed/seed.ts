/** Seeds the demo store into DATABASE_URL (idempotent). `npm start` runs it after the migrations. */
import 'reflect-metadata';
import { loadConfig } from '../../../config';
import { createDataSource } from '../data-source';
import { seedDemoOutcomes } from './demo-outcomes';
import { seedDemoStore } from './demo-store';

async function main(): Promise<void> {
  const db = await createDataSource({
    url: loadConfig().database.url,
    poolSize: 1,
    applicationName: 'seamline-seed',
  }).initialize();
  try {
    const { customers, orders } = await seedDemoStore(db);
    console.log(`demo store: ${customers} customers, ${orders} orders (existing rows kept)`);
    const { outcomes } = await seedDemoOutcomes(db);
    if (outcomes) console.log(`demo history: ${outcomes} reviewed drafts for earned autonomy to learn from`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
