import { InitialSchema1764252000000 } from './1764252000000-initial-schema';

/** Every migration, oldest first. Landed migrations are never edited: add a new one. */
export const MIGRATIONS = [InitialSchema1764252000000];
