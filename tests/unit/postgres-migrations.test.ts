import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { copiedTables } from '../../electron/db/plan-copy';
import type { PlanDb } from '../../electron/db/plan-db';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { baselineStatements, pendingPostgresMigrations, POSTGRES_BASELINE_VERSION } from '../../electron/db/postgres-schema';
import { emptyPlan } from '../helpers/engines';
import { type FreshDatabase, freshPostgresDatabase } from '../helpers/pg-database';

/** The fixtures of every earlier schema (tests/fixtures/schemas; migrations.test.ts upgrades the files). */
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'schemas');

/**
 * PostgreSQL starts at schema 2, its baseline (postgres-schema.ts): no plan on PostgreSQL was ever
 * at schema 1. The earlier schema a PostgreSQL plan can be at is the baseline as it was shipped: its
 * statements, holding the rows of the schema-2 fixture. It must open at the latest schema with every
 * row, and its schema must then be what a new database gets.
 */
describe('schema on PostgreSQL: the baseline (schema 2)', () => {
  const fixtureRows = (table: string): Record<string, unknown>[] => {
    const raw = new Database(join(fixtures, `schema-v${POSTGRES_BASELINE_VERSION}.plandb`), { readonly: true });
    try {
      return raw.prepare(`select * from "${table}" order by id`).all() as Record<string, unknown>[];
    } finally {
      raw.close();
    }
  };

  /** A database at the baseline as shipped, with the fixture's rows, written past the app (as that version left it). */
  async function baselinePlan(fresh: FreshDatabase): Promise<void> {
    const client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(baselineStatements().join(';\n'));
      for (const table of copiedTables) {
        const rows = fixtureRows(table);
        const columns = Object.keys(rows[0] ?? {});
        for (let i = 0; i < rows.length; i += 200) {
          const chunk = rows.slice(i, i + 200);
          const values = chunk.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
          await client.query(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${values}`, chunk.flatMap((row) => columns.map((c) => row[c])));
        }
      }
      for (const table of ['change_set', 'change']) await client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from "${table}"))`);
      await client.query('commit');
    } finally {
      await client.end();
    }
  }

  /** The schema as the catalogue describes it: columns, constraints, indexes. */
  async function schemaOf(db: PlanDb): Promise<unknown> {
    const rows = async (query: string) => (await sql.raw(query).execute(db.q)).rows;
    return {
      columns: await rows(`select table_name, column_name, data_type, is_nullable, column_default, collation_name, is_identity from information_schema.columns where table_schema = current_schema() order by 1, 2`),
      constraints: await rows(`select conrelid::regclass::text as tab, conname, pg_get_constraintdef(oid) as def from pg_constraint where connamespace = current_schema()::regnamespace order by 1, 2`),
      indexes: await rows(`select tablename, indexname, indexdef from pg_indexes where schemaname = current_schema() order by 1, 2`),
    };
  }

  it('opens at the latest schema with every row of every table, and its schema is what a new database gets', async () => {
    const fresh = await freshPostgresDatabase();
    const created = await emptyPlan('postgres');
    try {
      await baselinePlan(fresh);
      const opened = await openPostgresPlan(fresh.location, { create: false });
      try {
        expect(opened.migrated).toEqual(pendingPostgresMigrations(POSTGRES_BASELINE_VERSION).map((m) => m.version));
        expect(opened.schemaVersion).toBe(latestSchemaVersion);
        expect((await opened.db.q.selectFrom('plan_format' as never).select('version' as never).execute()) as unknown).toEqual([{ version: latestSchemaVersion }]);
        for (const table of copiedTables) {
          const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by id`.execute(opened.db.q)).rows;
          expect(rows.length, table).toBeGreaterThan(0);
          expect(rows, table).toEqual(fixtureRows(table));
        }
        expect(await schemaOf(opened.db)).toEqual(await schemaOf(created.db));
      } finally {
        await opened.db.close();
      }
    } finally {
      await created.cleanup();
      await fresh.drop();
    }
  });
});
