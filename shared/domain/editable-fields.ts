import { z } from 'zod';

/**
 * What a grid may edit, cell by cell. The renderer uses it to choose editors and parse input for
 * immediate feedback; the service uses the same table to validate and parse again before SQL.
 */
export const EditableEntity = z.enum(['actionRow', 'theme', 'target', 'unitFocus', 'overviewItem']);
export type EditableEntity = z.infer<typeof EditableEntity>;

export type FieldType = 'text' | 'number' | 'year' | 'bool' | 'enum';

export interface FieldSpec {
  type: FieldType;
  /** The value lives per fiscal year (year plan, target plan/actual): an edit names the year. */
  perYear?: boolean;
  /** Allowed values of an enum field. */
  options?: readonly string[];
  /** Empty input is refused (e.g. a theme must have text). */
  required?: boolean;
}

export const targetKinds = ['cumulative', 'level', 'final_volume', 'rate', 'maintain', 'money'] as const;
export const targetDirections = ['at_least', 'more_than', 'at_most', 'less_than'] as const;

export const editableFields = {
  actionRow: {
    heading: { type: 'text' },
    termPlan: { type: 'text' },
    yearPlan: { type: 'text', perYear: true },
  },
  theme: {
    text: { type: 'text', required: true },
  },
  target: {
    label: { type: 'text', required: true },
    unit: { type: 'text' },
    kind: { type: 'enum', options: targetKinds, required: true },
    direction: { type: 'enum', options: targetDirections, required: true },
    baselineValue: { type: 'number' },
    baselineYear: { type: 'year' },
    termGoalValue: { type: 'number' },
    planValue: { type: 'number', perYear: true },
    actualValue: { type: 'number', perYear: true },
    note: { type: 'text' },
  },
  unitFocus: {
    text: { type: 'text', required: true },
  },
  overviewItem: {
    text: { type: 'text', required: true },
    isNew: { type: 'bool' },
  },
} as const satisfies Record<EditableEntity, Record<string, FieldSpec>>;

export type EditableFieldName<E extends EditableEntity> = keyof (typeof editableFields)[E] & string;

export function fieldSpec(entity: EditableEntity, field: string): FieldSpec | undefined {
  const fields: Record<string, FieldSpec> = editableFields[entity];
  return Object.hasOwn(fields, field) ? fields[field] : undefined;
}

export const CellEdit = z.object({
  entity: EditableEntity,
  id: z.uuid(),
  field: z.string().min(1).max(64),
  /** What the person typed or pasted; null clears the cell. Parsed by the service. */
  value: z.string().max(1_000_000).nullable(),
  fiscalYear: z.number().int().optional(),
});
export type CellEdit = z.infer<typeof CellEdit>;
