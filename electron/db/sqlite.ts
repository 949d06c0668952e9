import type Database from 'better-sqlite3';

/** An open plan database (better-sqlite3): its own module so the checks open.ts runs can name it without importing open.ts back. */
export type Sqlite = Database.Database;
