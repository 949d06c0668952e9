import { unitKindLabels, type UnitKind, type UnitWithCounts } from '../../../shared/domain/units';
import type { ColumnOption } from './types';

/** The order units are listed in 主な担当: committees first, then departments, as the documents do. */
export const unitKindOrder: UnitKind[] = ['committee', 'department', 'branch', 'section', 'womens_association', 'youth_group', 'group'];

export function unitOptions(units: UnitWithCounts[]): (ColumnOption & { group: string })[] {
  return unitKindOrder.flatMap((kind) => units.filter((u) => u.kind === kind).map((u) => ({ value: u.id, label: u.name, group: unitKindLabels[kind] })));
}
