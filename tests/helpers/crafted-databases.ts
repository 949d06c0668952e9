import type Database from 'better-sqlite3';
import { columnsOf, type FieldRule, type RuledTable, tableRules } from '../../shared/model/field-rules';

/**
 * Crafted colleague databases: mutations, by SQL, of a real copy of a plan database, as another
 * program (or a hand with a SQLite browser) would make them. `valueCrafts` sets every column of
 * every table, one at a time, to each class of bad value its kind can meet; `structureCrafts`
 * replaces tables by views, adds triggers, columns, tables… Each says what the import must do.
 */

export interface Craft {
  name: string;
  /** 'refused': a short message, nothing changed; 'accepted': read as if the mutation were not there. */
  expect: 'refused' | 'accepted';
  /** Words the refusal must contain (the table and column it names, or the reason). */
  mentions?: string[];
  mutate(db: Database.Database): void;
}

const DANGLING = '00000000-0000-4000-8000-00000000dead';
/** Made once: every column's case shares it. */
const HUGE = 'あ'.repeat(2_000_000);
const q = (n: string) => `"${n}"`;

/** Bad values for a column of this kind (each with a short name for the test's title). */
export function badValues(rule: FieldRule): [string, unknown][] {
  const blob: [string, unknown] = ['a BLOB', Buffer.from([0, 1, 2, 3, 0xff])];
  switch (rule.kind) {
    case 'id':
      return [['not a UUID', 'not-a-uuid'], blob];
    case 'ref':
      return [['a dangling reference', DANGLING], ['not a UUID', 'row-1'], blob];
    case 'text':
      return [
        // (A number in a text column is no case: the column's affinity stores it as text.)
        blob,
        ['2,000,000 characters', HUGE],
        ['a control character', '部\u0007署'],
        ['a NUL', 'a\u0000b'],
        ...(rule.nonEmpty ? ([['an empty text', '']] as [string, unknown][]) : []),
      ];
    case 'key':
      return [['spaces and capitals', 'Bad Key!'], blob];
    case 'int':
      return [['text', 'たくさん'], ['a fraction', 2.5], blob];
    case 'number':
      return [['text', '約100'], blob, ['infinity', Number.POSITIVE_INFINITY]];
    case 'year':
      return [['a five-digit year', 20201], ['text', '令和2年'], blob];
    case 'choice':
      return [['an unknown choice', 'sometimes'], blob];
    case 'bool':
      return [['2', 2], ['text', 'yes']];
    case 'period':
      return [['an unknown period', 'someday']];
  }
}

/** Sets one column of the first row of a table to `value`, past the schema's checks (as a program that turns them off would). */
export function setValue(db: Database.Database, table: string, column: string, value: unknown): void {
  db.pragma('foreign_keys = OFF');
  db.pragma('ignore_check_constraints = ON');
  db.prepare(`update ${q(table)} set ${q(column)} = ? where rowid = (select min(rowid) from ${q(table)})`).run(value as never);
  db.pragma('ignore_check_constraints = OFF');
}

export function valueCrafts(): Craft[] {
  const crafts: Craft[] = [];
  for (const table of Object.keys(tableRules) as RuledTable[]) {
    const rules: Record<string, FieldRule> = tableRules[table];
    for (const column of columnsOf(table)) {
      for (const [what, value] of badValues(rules[column]!)) {
        crafts.push({
          name: `${table}.${column}: ${what}`,
          expect: 'refused',
          mentions: [`表「${table}」`, `列「${column}」`],
          mutate: (db) => setValue(db, table, column, value),
        });
      }
    }
  }
  return crafts;
}

/** A table rebuilt without one of its columns (what an older or a foreign program might write). */
function dropColumn(db: Database.Database, table: string, column: string): void {
  db.pragma('foreign_keys = OFF');
  db.prepare(`alter table ${q(table)} drop column ${q(column)}`).run();
}

export function structureCrafts(): Craft[] {
  return [
    {
      name: 'a table replaced by a view',
      expect: 'refused',
      mentions: ['表「unit」', 'ビュー'],
      mutate: (db) => {
        db.pragma('foreign_keys = OFF');
        db.exec('alter table unit rename to unit_data; create view unit as select * from unit_data');
      },
    },
    {
      name: 'a table replaced by an endlessly recursive view',
      expect: 'refused',
      mentions: ['表「target」', 'ビュー'],
      mutate: (db) => {
        db.pragma('foreign_keys = OFF');
        db.exec(`drop table target;
          create view target as with recursive r(n) as (select 1 union all select n + 1 from r) select n as id from r`);
      },
    },
    {
      name: 'a missing column',
      expect: 'refused',
      mentions: ['表「target」', '列「note」'],
      mutate: (db) => dropColumn(db, 'target', 'note'),
    },
    {
      name: 'a missing table',
      expect: 'refused',
      mentions: ['表「financial_year」'],
      mutate: (db) => db.exec('drop table financial_year'),
    },
    {
      name: 'a virtual table',
      expect: 'refused',
      mentions: ['仮想表'],
      mutate: (db) => db.exec('create virtual table notes using fts5(body)'),
    },
    {
      name: 'a BLOB year plan',
      expect: 'refused',
      mentions: ['表「year_plan」', '列「text」', 'バイナリ'],
      mutate: (db) => setValue(db, 'year_plan', 'text', Buffer.alloc(64, 7)),
    },
    {
      name: 'an extra column in every table',
      expect: 'accepted',
      mutate: (db) => {
        for (const table of Object.keys(tableRules)) db.exec(`alter table ${q(table)} add column extra_note text default 'ほかのアプリのメモ'`);
      },
    },
    {
      name: 'triggers that would rewrite the plan when read or written',
      expect: 'accepted',
      mutate: (db) =>
        db.exec(`create trigger t1 after update on target begin update unit set name = 'やられた'; end;
          create trigger t2 before delete on unit begin select raise(abort, 'no'); end;
          create trigger t3 after insert on change_set begin delete from theme; end;`),
    },
    {
      name: 'an unknown table, a view over it and an index on an expression',
      expect: 'accepted',
      mutate: (db) =>
        db.exec(`create table other_app (a text, b blob);
          insert into other_app values ('x', zeroblob(1000));
          create view other_view as with recursive r(n) as (select 1 union all select n + 1 from r) select n from r;
          create index other_index on unit (length(name) * 2);`),
    },
  ];
}
