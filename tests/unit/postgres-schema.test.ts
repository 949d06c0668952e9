import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { checkStored, type FieldRule, tableRules } from '../../shared/model/field-rules';
import { columnDefinition, postgresDialect, valueCheck } from '../../electron/db/field-checks-sql';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { badValues } from '../helpers/crafted-databases';
import { freshPostgresDatabase, onServer } from '../helpers/pg-database';

/**
 * The field rules as PostgreSQL's CHECK constraints (field-checks-sql.ts, postgresDialect): the
 * typed column and its check together accept exactly what the JavaScript rule accepts, as on
 * SQLite (field-rules.test.ts), including what only PostgreSQL could take (NaN, infinities).
 */

const uuid = '6f1d1c1e-6b0a-4c1f-9a3e-2d5b8c7a6f10';

/** Values the rule must accept, and values only PostgreSQL's types would let in unless checked. */
const cases: [FieldRule, unknown[], unknown[]][] = [
  [tableRules.unit.id, [uuid, uuid.toUpperCase()], [`${uuid}\n`, ` ${uuid}`, uuid.slice(1)]],
  [tableRules.target.row_id, [null, uuid], ['row-1']],
  [tableRules.theme.text, ['', '・テーマ\n二行目\tタブ', 'あ'.repeat(50_000), '😀 emoji', '\u00a0nbsp'], ['\u0085 NEL', '\u009f', '\u007f', 'x\u000bvt', 'あ'.repeat(50_001)]],
  [tableRules.unit.name, ['国際部'], ['', 'x'.repeat(201)]],
  [tableRules.unit.short_name, [null, '国際'], ['']],
  [tableRules.action_row.key, [null, 'row-1', '9', uuid], ['-row', 'row_1', 'Row', `k${'x'.repeat(100)}`, 'row-1\n']],
  [tableRules.theme.position, [0, -3, 1_000_000, 1_000_000_000_000, -1_000_000_000_000], [1_000_000_000_001, 2.5]],
  [tableRules.action_row.page, [1, 1000], [0, 1001]],
  [tableRules.target.baseline_value, [null, 0, -2.5, 1e300, 0.1 + 0.2, 5e-324], [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]],
  [tableRules.target.baseline_year, [null, 2019, 1900, 2200], [1899, 2201]],
  [tableRules.target.kind, ['rate', 'money'], ['Rate', 'rate ']],
  [tableRules.overview_item.is_new, [0, 1], [-1]],
  [tableRules.unit_focus.period, ['term', '2021', '1900', '2200'], ['1899', '2201', '２０２１', '202', '20211', '2021\n', 'Term', '+202']],
];

describe('the rules and PostgreSQL’s schema agree', () => {
  it('every value the JavaScript check accepts, the typed column and its CHECK accept, and every one it refuses, they refuse', async () => {
    await onServer(async (c) => {
      let count = 0;
      const kinds = new Set<string>();
      for (const [rule, good, bad] of cases) {
        kinds.add(rule.kind);
        // Not for a typed column: a BLOB (pg would send a Buffer as bytes of text), a dangling reference (the foreign key's business).
        const crafted = badValues(rule)
          .filter(([name]) => name !== 'a BLOB' && name !== 'a dangling reference')
          .map(([, v]) => v);
        const probes = [...good.map((v) => [v, true] as const), ...[...bad, ...crafted].map((v) => [v, false] as const)];
        for (const [value, allowed] of probes) {
          const js = checkStored(rule, value) === null;
          const label = `${rule.kind} ${typeof value === 'number' ? String(value) : JSON.stringify(value)?.slice(0, 30)}`;
          expect(js, `${label}: the JavaScript rule`).toBe(allowed);
          // The column as the baseline defines it, but for the reference (no table to point at here).
          const column = columnDefinition('v', rule, postgresDialect).replace(/ references "[^"]+" \("id"\)/, '');
          await c.query('begin');
          let stored: boolean;
          try {
            await c.query(`create temp table t (${column}) on commit drop`);
            await c.query('insert into t values ($1)', [value]);
            stored = true;
          } catch (e) {
            // 23514 check_violation, 23502 not_null_violation, 22xxx the type refused the value (a fraction, a NUL).
            expect(String((e as { code?: string }).code), `${label}: ${(e as Error).message}`).toMatch(/^(23514|23502|22)/);
            stored = false;
          } finally {
            await c.query('rollback');
          }
          expect(stored, `${label}: PostgreSQL agrees`).toBe(js);
          count++;
        }
      }
      expect(kinds.size).toBe(10);
      expect(count).toBeGreaterThan(90);
    });
  });

  it('the value check alone is what the column relies on for a stored value of the right type', async () => {
    await onServer(async (c) => {
      const check = (sqlType: string, rule: FieldRule, value: unknown) =>
        c.query<{ ok: boolean }>(`select (${valueCheck('v', rule, postgresDialect)}) as ok from (select $1::${sqlType} as v) x`, [value]).then((r) => r.rows[0]!.ok);
      expect(await check('double precision', tableRules.target.baseline_value, 'NaN')).toBe(false);
      expect(await check('double precision', tableRules.target.baseline_value, '-Infinity')).toBe(false);
      expect(await check('double precision', tableRules.target.baseline_value, '-1e308')).toBe(true);
      expect(await check('text', tableRules.unit_focus.period, 'abcd')).toBe(false);
    });
  });

  it('a real plan table refuses a bad row', async () => {
    const fresh = await freshPostgresDatabase();
    try {
      await (await openPostgresPlan(fresh.location)).db.close();
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      try {
        await client.query(`insert into unit (id, kind, name, short_name, position) values ($1, 'department', '総務部', null, 0)`, [uuid]);
        await expect(client.query(`insert into unit (id, kind, name, short_name, position) values ($1, 'department', 'a\u0007b', null, 1)`, [uuid.replace('6f', '7f')])).rejects.toMatchObject({
          code: '23514',
        });
        await expect(client.query(`insert into unit (id, kind, name, short_name, position) values ($1, 'club', 'x', null, 1)`, [uuid.replace('6f', '8f')])).rejects.toMatchObject({ code: '23514' });
        // Binary order, as SQLite: 'B' < 'a' < 'あ'.
        await client.query(`insert into unit (id, kind, name, short_name, position) values ($1, 'department', 'B', null, 2), ($2, 'department', 'あ', null, 3)`, [
          uuid.replace('6f', '9f'),
          uuid.replace('6f', 'af'),
        ]);
        expect((await client.query('select name from unit order by name')).rows.map((r) => r.name)).toEqual(['B', 'あ', '総務部']);
      } finally {
        await client.end();
      }
    } finally {
      await fresh.drop();
    }
  });
});
