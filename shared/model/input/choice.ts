import { excerpt } from '../../text/excerpt';
import { targetDirections, targetKinds } from '../../domain/editable-fields';
import { requiredMessage } from './text';
import { accept, isBlank, refuse, type InputResult } from './result';

/**
 * A choice from a fixed list, typed or pasted by its label (率) or by its code (rate): NFKC, spaces
 * around it ignored, codes in any case. Blank clears an optional choice and is refused for a
 * required one. The message lists the labels, so the user sees what may be written.
 */

export interface ChoiceOption {
  /** What is stored (a code: 'rate'). */
  value: string;
  /** What the planners read and write (率). */
  label: string;
}

type Coded<T extends readonly string[]> = readonly { value: T[number]; label: string }[];

/** How a target's years roll up to the term (domain.md), in the planners' words. */
export const targetKindChoices = [
  { value: 'cumulative', label: '累計（延）' },
  { value: 'level', label: '年度末の水準' },
  { value: 'final_volume', label: '最終年度の量' },
  { value: 'rate', label: '率' },
  { value: 'maintain', label: '水準の維持' },
  { value: 'money', label: '金額' },
] as const satisfies Coded<typeof targetKinds>;

export const targetDirectionChoices = [
  { value: 'at_least', label: '以上' },
  { value: 'more_than', label: '超' },
  { value: 'at_most', label: '以下' },
  { value: 'less_than', label: '未満' },
] as const satisfies Coded<typeof targetDirections>;

/** The labelled choices of the editable choice fields, by `entity.field`. */
const fieldChoices: Record<string, readonly ChoiceOption[]> = {
  'target.kind': targetKindChoices,
  'target.direction': targetDirectionChoices,
};

/** A field's choices: their labels where the plan has them, else the codes themselves. */
export function choicesOf(entity: string, field: string, codes: readonly string[]): readonly ChoiceOption[] {
  return fieldChoices[`${entity}.${field}`] ?? codes.map((value) => ({ value, label: value }));
}

const key = (s: string) => s.normalize('NFKC').trim();

export function parseChoice(raw: string | null, choices: readonly ChoiceOption[], required = false): InputResult<string | null> {
  if (raw === null || isBlank(raw)) return required ? refuse(requiredMessage, 'required field cleared') : accept(null);
  const v = key(raw);
  const found = choices.find((o) => key(o.label) === v) ?? choices.find((o) => o.value.toLowerCase() === v.toLowerCase());
  if (found) return accept(found.value);
  return refuse(`「${excerpt(raw.trim())}」は選択肢（${choices.map((o) => o.label).join('・')}）にありません。`, `not an option: ${JSON.stringify(excerpt(raw, 80))}`);
}
