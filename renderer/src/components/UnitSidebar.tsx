import { unitKindLabels, type UnitKind, type UnitWithCounts } from '../../../shared/domain/units';

const kindOrder: UnitKind[] = ['department', 'committee', 'branch', 'section', 'womens_association', 'youth_group', 'group'];

export interface UnitSidebarProps {
  units: UnitWithCounts[];
  selected: string | null;
  onSelect(unitId: string | null): void;
}

/** Departments, committees, branches, sections with their counts; choosing one filters every screen. */
export function UnitSidebar({ units, selected, onSelect }: UnitSidebarProps) {
  return (
    <nav className="sidebar" aria-label="組織で絞り込み">
      <button type="button" className={`unit${selected === null ? ' selected' : ''}`} aria-pressed={selected === null} onClick={() => onSelect(null)}>
        すべての組織
      </button>
      {kindOrder.map((kind) => {
        const ofKind = units.filter((u) => u.kind === kind);
        if (ofKind.length === 0) return null;
        return (
          <section key={kind}>
            <h2>{unitKindLabels[kind]}</h2>
            {ofKind.map((u) => (
              <button
                type="button"
                key={u.id}
                className={`unit${selected === u.id ? ' selected' : ''}`}
                aria-pressed={selected === u.id}
                title={`${u.name}：テーマ ${u.rowCount}件・目標 ${u.targetCount}件・重点 ${u.focusCount}件`}
                onClick={() => onSelect(u.id)}
              >
                <span className="name">{u.name}</span>
                <span className="count">{u.rowCount + u.focusCount}</span>
              </button>
            ))}
          </section>
        );
      })}
    </nav>
  );
}
