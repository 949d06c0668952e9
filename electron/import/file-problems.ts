import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';

/**
 * The problems found in one file and where they are: every reader (and the check of the cells'
 * raw XML, which runs before the workbook is loaded) adds to one list, and any problem refuses the whole file.
 */

/** Where a cell is, for messages: 「シート「目標・実績」のセル G7」, and for logs: 目標・実績!G7. */
export interface CellPlace {
  sheet: string;
  row: number;
  address: string;
  /** The column's header, e.g. 「2021年度 計画」. */
  header?: string;
}

export const placeText = (p: CellPlace) => `シート「${excerpt(p.sheet)}」のセル ${excerpt(p.address, 12)}${p.header ? `（${excerpt(p.header)}）` : ''}`;
export const placeRef = (p: CellPlace) => `${p.sheet}!${p.address}`;

/** Problems found in a file: all of them are reported at once, and any one refuses the whole file. */
export class FileProblems {
  private readonly list: { place: CellPlace | null; ja: string; en: string }[] = [];
  constructor(private readonly fileName: string) {}

  add(place: CellPlace | null, ja: string, en: string): void {
    this.list.push({ place, ja, en });
  }

  get count(): number {
    return this.list.length;
  }

  /** Throws one error naming every problem (the first ten in full). */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const shown = this.list.slice(0, 10).map((p) => `・${p.place ? `${placeText(p.place)}: ` : ''}${p.ja}`);
    const more = this.list.length > 10 ? [`ほか ${this.list.length - 10} 件`] : [];
    const first = this.list[0]!;
    throw new AppError(
      'bad_file',
      [`「${this.fileName}」には取り込めない箇所が ${this.list.length} 件あります。直してからもう一度取り込んでください（計画は変更していません）。`, ...shown, ...more].join('\n'),
      `${this.fileName}: ${this.list.map((p) => `${p.place ? placeRef(p.place) : '-'}: ${p.en}`).join('; ')}`,
      first.place ? placeRef(first.place) : undefined,
    );
  }
}
