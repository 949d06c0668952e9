import { type EditableEntity, fieldSpec, type FieldSpec } from '../../domain/editable-fields';
import { excerpt } from '../../text/excerpt';
import { type ChoiceOption, choicesOf, parseChoice } from './choice';
import { parseOptionalFiscalYear } from './fiscal-year';
import { parseNumberInput } from './number';
import { accept, refuse, type InputResult } from './result';
import { parseRequiredText, parseText } from './text';
import { resolveUnitList, type UnitName } from './unit-names';
import { parseYesNo } from './yes-no';

/**
 * The input layer: how a text a person typed, pasted or wrote in a workbook becomes a value, one
 * parser per kind of field, each with one Japanese message. The grid editors check with it before
 * anything is sent, the service parses with it again (the grid's text is never trusted), and the
 * import readers and the command line read with it; so a value is taken or refused, with the same
 * words, wherever it is entered.
 *
 * | kind          | blank            | reads                                                            | module         |
 * |---------------|------------------|------------------------------------------------------------------|----------------|
 * | text          | null (cleared)   | the text, line breaks made newlines                              | text.ts        |
 * | requiredText  | refused          | 〃                                                               | text.ts        |
 * | number        | null             | 25,000 / 1万 / ２５，０００ / 80％ / 7.5億円, in the column's unit | number.ts      |
 * | fiscalYear    | null             | 2021 / 2021年度 / FY2021 / 令和3年度 / R3, 1900〜2200             | fiscal-year.ts |
 * | choice        | null or refused  | a label (率) or a code (rate)                                     | choice.ts      |
 * | yesNo         | no               | 新 ○ ✓ はい 1 true yes / × いいえ 0 false no                      | yes-no.ts      |
 * | unitList      | no units         | names or unique short names; line breaks 、 , ; split, and ・ / and | unit-names.ts  |
 * |               |                  | spaces where the entry as written is no name; ambiguous: refused  |                |
 *
 * "Blank" is null, '' or spaces only. Every kind reads NFKC-normalised text where it compares
 * (full-width digits and letters are the same as half-width ones). What may be stored (lengths,
 * control characters, ranges) is checked once more by the storage rules (field-rules.ts).
 */

export interface InputOptions {
  text: object;
  requiredText: object;
  /** The column's unit (a target's 社, 名, %…): another unit is refused or converted. */
  number: { unit?: string };
  fiscalYear: object;
  choice: { choices: readonly ChoiceOption[]; required?: boolean };
  yesNo: object;
  unitList: { units: readonly UnitName[] };
}

export interface InputValues {
  text: string | null;
  requiredText: string;
  number: number | null;
  fiscalYear: number | null;
  choice: string | null;
  yesNo: boolean;
  /** Unit ids. */
  unitList: string[];
}

export type InputKind = keyof InputOptions;

type Parsers = { [K in InputKind]: (raw: string | null, options: InputOptions[K]) => InputResult<InputValues[K]> };

const parsers: Parsers = {
  text: (raw) => parseText(raw),
  requiredText: (raw) => parseRequiredText(raw),
  number: (raw, o) => parseNumberInput(raw, o.unit ?? ''),
  fiscalYear: (raw) => parseOptionalFiscalYear(raw),
  choice: (raw, o) => parseChoice(raw, o.choices, o.required ?? false),
  yesNo: (raw) => parseYesNo(raw),
  unitList: (raw, o) => {
    const r = resolveUnitList(o.units, raw ?? '');
    return r.ok ? accept(r.ids) : r;
  },
};

/** The one entry point: the value a field of this kind takes from what was written, or why not. */
export function parseInput<K extends InputKind>(kind: K, raw: string | null, options: InputOptions[K]): InputResult<InputValues[K]> {
  const parse: (raw: string | null, options: InputOptions[K]) => InputResult<InputValues[K]> = parsers[kind];
  return parse(raw, options);
}

/** The kind of an editable field (shared/domain/editable-fields.ts). */
export function inputKindOf(spec: FieldSpec): Exclude<InputKind, 'unitList'> {
  switch (spec.type) {
    case 'text':
      return spec.required ? 'requiredText' : 'text';
    case 'number':
      return 'number';
    case 'year':
      return 'fiscalYear';
    case 'enum':
      return 'choice';
    case 'bool':
      return 'yesNo';
  }
}

/** What a cell edit holds once parsed (a yes/no is a boolean). */
export type CellValue = string | number | boolean | null;

/**
 * A cell of an editable field, parsed by its kind: the parser the grid's editor and the cell edit
 * service both call. `unit`: the target's unit, for its numbers.
 */
export function parseCellInput(entity: EditableEntity, field: string, raw: string | null, context: { unit?: string } = {}): InputResult<CellValue> {
  const spec = fieldSpec(entity, field);
  if (!spec) return refuse(`この欄（${excerpt(field, 40)}）は編集できません。`, `field not editable: ${entity}.${excerpt(field, 64)}`);
  switch (inputKindOf(spec)) {
    case 'text':
      return parseText(raw);
    case 'requiredText':
      return parseRequiredText(raw);
    case 'number':
      return parseNumberInput(raw, context.unit ?? '');
    case 'fiscalYear':
      return parseOptionalFiscalYear(raw);
    case 'choice':
      return parseChoice(raw, choicesOf(entity, field, spec.options ?? []), spec.required ?? false);
    case 'yesNo':
      return parseYesNo(raw);
  }
}
