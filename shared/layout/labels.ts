/**
 * The fixed wording of the official layouts, built from plan data where the documents take it
 * from there (years, N年目, the number of branches) and written as printed otherwise.
 */

/**
 * The issuing organisation printed in the title line of the action plan. The plan model has no
 * field for it yet; it is the organisation of the embedded default plan.
 */
export const ORGANIZATION_NAME = '東京商工会議所';

const fullWidth = '０１２３４５６７８９';

/** 2020 → ２０２０, as the documents write years in titles. */
export function fullWidthDigits(n: number | string): string {
  return String(n).replace(/[0-9]/g, (d) => fullWidth[Number(d)]!);
}

const circled = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** 1 → ①, as the documents number their pages; beyond ⑳ a plain (21). */
export function circledNumber(n: number): string {
  return n >= 1 && n <= 20 ? [...circled][n - 1]! : `(${n})`;
}

export interface YearContext {
  fiscalYear: number;
  startYear: number;
  endYear: number;
  planTitle: string;
}

export const yearOrdinal = (y: YearContext) => y.fiscalYear - y.startYear + 1;

export const actionPlanLabels = (y: YearContext) => ({
  /** 東京商工会議所 中期事業計画・２０２０年度事業活動計画 アクションプラン */
  title: `${ORGANIZATION_NAME} ${y.planTitle}・${fullWidthDigits(y.fiscalYear)}年度事業活動計画 アクションプラン`,
  themeHeader: y.planTitle,
  actionPlanHeader: 'アクションプラン',
  /** 2022年度末の到達目標 ３年間のアクションプラン */
  termHeader: `${y.endYear}年度末の到達目標 ${fullWidthDigits(y.endYear - y.startYear + 1)}年間のアクションプラン`,
  /** 2020年度（中期事業計画１年目）事業活動計画 */
  yearHeader: `${y.fiscalYear}年度（${y.planTitle}${fullWidthDigits(yearOrdinal(y))}年目）事業活動計画`,
  unitsHeader: '主な担当',
  /** ２３支部における重点取組内容 */
  branchesTitle: (count: number) => `${fullWidthDigits(count)}支部における重点取組内容`,
  branchNameHeader: '支部名',
  branchTermHeader: `${fullWidthDigits(y.endYear - y.startYear + 1)}年間の重点取組内容`,
  branchYearHeader: `${y.fiscalYear}年度のアクションプラン`,
});

export const overviewLabels = (fiscalYear: number, periodLabel: string) => ({
  /** 2021年度 事業活動計画 */
  title: `${fiscalYear}年度 事業活動計画`,
  sloganLabel: `${periodLabel}スローガン`,
  unitFocusTitle: (headings: string[]) => `${headings.join('・')}における重点取り組み内容`,
  branchesTitle: (count: number) => `${count}支部における重点取り組み内容`,
});

/**
 * What an empty year cell prints (the plan data stays empty): a reader of the printout sees a plan
 * not yet written, not a cell that lost its text. Reading an export back takes it as empty.
 */
export const EMPTY_YEAR_MARK = '（未記入）';

/** The ideographic space (全角スペース) the documents put between a title and its subtitle. */
export const JA_SPACE = '\u3000';

/** A file name without characters that Windows, macOS or Linux refuse. */
export function safeFileName(name: string): string {
  const visible = [...name].map((c) => (c.charCodeAt(0) < 0x20 ? '_' : c)).join('');
  return visible.replace(/[\\/:*?"<>|]/g, '＿').replace(/\s+/g, '_').slice(0, 120);
}

/** An Excel worksheet name: at most 31 characters, none of []:*?/\. */
export function safeSheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '＿').slice(0, 31);
}
