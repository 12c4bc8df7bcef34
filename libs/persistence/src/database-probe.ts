import type { DataSource } from 'typeorm';

/** A round trip to PostgreSQL, for health checks: the apps ask it instead of holding the DataSource. */
export class DatabaseProbe {
  constructor(private readonly db: DataSource) {}

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
