import type { ChoiceOption } from '../../../shared/model/input/choice';
import { parseInput } from '../../../shared/model/input/parse-field';
import type { UnitName } from '../../../shared/model/input/unit-names';
import type { ColumnOption, ParseOutcome } from './types';

/**
 * The grid's checks before anything is sent: the input layer's parsers (shared/model/input), the
 * very functions the service parses with again, so a cell is refused here with the words the
 * service would use. What is sent is the text the service reads back to the same value: the input
 * as typed for texts, numbers (in the row's unit) and unit lists, the year's digits, a choice's code.
 */

/** A number typed or pasted in any form the documents use (25,000 / 1万 / 2.5万 / ２５，０００ / 80％), in the row's unit. */
export function numberIn(unit: string) {
  return (input: string): ParseOutcome => {
    const r = parseInput('number', input, { unit });
    return r.ok ? { ok: true, value: r.value === null ? null : input } : r;
  };
}

/** A fiscal year: 2021, 2021年度, ２０２１, 令和3年度 … (shared/model/input/fiscal-year.ts). */
export function fiscalYearInput(input: string): ParseOutcome {
  const r = parseInput('fiscalYear', input, {});
  return r.ok ? { ok: true, value: r.value === null ? null : String(r.value) } : r;
}

/** A choice typed or pasted by its label (率) or its code (rate); the editor and the status bar name the column. */
export function choiceOf(options: readonly ColumnOption[] | readonly ChoiceOption[]) {
  return (input: string): ParseOutcome => parseInput('choice', input, { choices: options, required: true });
}

/** A text that cannot be left empty (a theme, a target's name). */
export function requiredText() {
  return (input: string): ParseOutcome => {
    const r = parseInput('requiredText', input, {});
    return r.ok ? { ok: true, value: input } : r;
  };
}

/** A yes/no cell (新): sent as its mark, or null for no. */
export function yesNoInput(input: string): ParseOutcome {
  const r = parseInput('yesNo', input, {});
  return r.ok ? { ok: true, value: r.value ? '新' : null } : r;
}

/** A 主な担当 cell: unit names or unique short names, one per line or separated by 、 , ・ (shared/model/input/unit-names.ts). */
export function unitListIn(units: readonly UnitName[]) {
  return (input: string): ParseOutcome => {
    const r = parseInput('unitList', input, { units });
    return r.ok ? { ok: true, value: r.value.length === 0 ? null : input } : r;
  };
}
