import { unitKindLabels, type Unit, type UnitKind } from '../../../shared/domain/units';
import type { ListOption } from './ListCellEditor';

/** The order units are listed in 主な担当: committees first, then departments, as the documents do. */
export const unitKindOrder: UnitKind[] = ['committee', 'department', 'branch', 'section', 'womens_association', 'youth_group', 'group'];

/**
 * The 主な担当 list: every unit by kind, found in the filter by its name or its short name (千代田),
 * the names the input layer reads in a typed or pasted cell (shared/model/input/unit-names.ts).
 */
export function unitOptions(units: readonly Unit[]): (ListOption & { group: string })[] {
  return unitKindOrder.flatMap((kind) =>
    units
      .filter((u) => u.kind === kind)
      .map((u) => ({ value: u.id, label: u.name, group: unitKindLabels[kind], ...(u.shortName ? { aliases: [u.shortName] } : {}) })),
  );
}
