import { UnitKind } from '../domain/units';
import { choice, id, optional, position, text } from './field-kinds';
import { type PlanTableName, table, type TableDraft } from './table-entry';

/** The registry's table of the organisation (section 組織): committees, departments, branches and the other units. */

export const unitTables = {
  unit: table({
    noun: '組織',
    section: '組織',
    columns: { id: id(), kind: choice(UnitKind.options), name: text('name', { nonEmpty: true }), short_name: optional('name'), position: position() },
    labels: { name: '組織名', short_name: '略称', kind: '組織の種類' },
    parent: null,
    references: [],
    // Units are numbered as one list; the grid shows them by kind, and a move stays among its kind.
    ordering: { columns: ['position'], siblingsBy: [], moveWithin: ['kind'] },
    newRow: { inherit: ['kind'] },
    units: { via: 'self' },
  }),
} satisfies Partial<Record<PlanTableName, TableDraft>>;
