/** Applies pending migrations to DATABASE_URL and exits. `npm start` and the test setup run it before anything else. */
import 'reflect-metadata';
import { loadConfig } from '../../config';
import { createDataSource } from './data-source';

async function main(): Promise<void> {
  const { url } = loadConfig().database;
  const dataSource = await createDataSource({ url, poolSize: 1, applicationName: 'seamline-migrate' }).initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `migrations applied: ${applied.map((m) => m.name).join(', ')}` : 'schema up to date');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
