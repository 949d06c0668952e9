import { z } from 'zod';
import { Uuid } from './ids';

export const UnitKind = z.enum(['committee', 'department', 'branch', 'section', 'womens_association', 'youth_group', 'group']);
export type UnitKind = z.infer<typeof UnitKind>;

export const unitKindLabels: Record<UnitKind, string> = {
  committee: '委員会',
  department: '部',
  branch: '支部',
  section: '部会',
  womens_association: '女性会',
  youth_group: '青年部',
  group: '横断',
};

export const Unit = z.object({
  id: Uuid,
  kind: UnitKind,
  name: z.string(),
  shortName: z.string().nullable(),
  position: z.number().int(),
});
export type Unit = z.infer<typeof Unit>;

export const UnitWithCounts = Unit.extend({
  rowCount: z.number().int(),
  targetCount: z.number().int(),
  focusCount: z.number().int(),
});
export type UnitWithCounts = z.infer<typeof UnitWithCounts>;
