import { useMemo } from 'react';
import { unitKindLabels, type UnitWithCounts } from '../../../shared/domain/units';

export interface UnitSelectProps {
  units: UnitWithCounts[];
  /** The chosen unit's id, or '' for the empty choice. */
  value: string;
  onChange(unitId: string): void;
  ariaLabel: string;
  /** The label of the empty choice (「すべての組織」 or 「（組織を選んでください）」). */
  emptyLabel: string;
  disabled?: boolean;
}

/** A unit chooser grouped by kind (部・委員会・支部…), in the sidebar's order of units. */
export function UnitSelect({ units, value, onChange, ariaLabel, emptyLabel, disabled = false }: UnitSelectProps) {
  const byKind = useMemo(() => {
    const kinds = [...new Set(units.map((u) => u.kind))];
    return kinds.map((k) => ({ kind: k, units: units.filter((u) => u.kind === k) }));
  }, [units]);
  return (
    <select aria-label={ariaLabel} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
      <option value="">{emptyLabel}</option>
      {byKind.map((g) => (
        <optgroup key={g.kind} label={unitKindLabels[g.kind]}>
          {g.units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
