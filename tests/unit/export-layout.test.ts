import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildActionPlanLayout } from '../../shared/layout/action-plan-layout';
import type { PlanDocumentData } from '../../shared/layout/document-data';
import { circledNumber, fullWidthDigits, safeFileName, safeSheetName } from '../../shared/layout/labels';
import { cell, cellText, gridProblems, type LayoutDocument, type LayoutRow, type LayoutSheet, printableHeightMm, sheetRows } from '../../shared/layout/model';
import { buildOverviewLayout, newMarkedRuns } from '../../shared/layout/overview-layout';
import { documentCharacters, renderPrintHtml } from '../../shared/layout/print-html';
import { cellTextWidthEm, charWidthEm, EXCEL_MAX_ROW_PT, paragraphLines, rowsHeightMm, sizeRows, splitTallRows } from '../../shared/layout/text-measure';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { emphasisRuns } from '../../shared/text/emphasis';
import { seededDatabase } from '../helpers/seeded-db';

/**
 * The layout model of the official documents, built from the real seed plan: the sheets, their
 * header texts, and the order of themes, units and branches, compared with the database.
 */

let env: Awaited<ReturnType<typeof seededDatabase>>;
let data: PlanDocumentData;
beforeAll(async () => {
  env = await seededDatabase();
  data = await planDocumentData(env.db.db);
});
afterAll(async () => {
  await env.cleanup();
});

const cellsOf = (sheet: LayoutSheet) => sheetRows(sheet).flatMap((r) => r.cells);
const bodyCells = (sheet: LayoutSheet) => sheet.body.flatMap((g) => g.rows.flatMap((r) => r.cells));
const textsOf = (doc: LayoutDocument) => doc.sheets.map((s) => cellsOf(s).map(cellText).join('\n')).join('\n');

describe('layout A: the action plan', () => {
  it('has pages ①–⑥ in the document grouping and page ⑦ of the branches, each a sound grid', () => {
    const doc = buildActionPlanLayout(data, { fiscalYear: 2020 });
    expect(doc.sheets.map((s) => s.name)).toEqual(['アクションプラン①', 'アクションプラン②', 'アクションプラン③', 'アクションプラン④', 'アクションプラン⑤', 'アクションプラン⑥', '23支部⑦']);
    expect(doc.sheets.map((s) => s.pageMark)).toEqual(['①', '②', '③', '④', '⑤', '⑥', '⑦']);
    for (const s of doc.sheets) {
      expect(gridProblems(s), s.name).toEqual([]);
      expect(s).toMatchObject({ paper: 'A4', orientation: 'landscape' });
    }
    expect(doc.title).toBe('東京商工会議所 中期事業計画・２０２０年度事業活動計画 アクションプラン');
  });

  it('prints the document header on every page: 中期事業計画 | アクションプラン (到達目標 | 年度) | 主な担当', () => {
    const doc = buildActionPlanLayout(data, { fiscalYear: 2020 });
    for (const s of doc.sheets.slice(0, 6)) {
      const headers = s.header.flatMap((r) => r.cells).filter((c) => c.role === 'columnHeader');
      expect(headers.map(cellText)).toEqual(['中期事業計画', 'アクションプラン', '主な担当', '2022年度末の到達目標 ３年間のアクションプラン', '2020年度（中期事業計画１年目）事業活動計画']);
      expect(headers.find((c) => cellText(c) === 'アクションプラン')).toMatchObject({ col: 2, colSpan: 2 });
      expect(s.header[0]!.cells.find((c) => c.role === 'pageMark')!.paragraphs[0]![0]!.text).toBe(s.pageMark);
    }
    // The title line stands on the first page only.
    expect(doc.sheets.map((s) => cellText(s.header[0]!.cells[0]!))).toEqual([doc.title, '', '', '', '', '', '２３支部における重点取組内容']);
    const fy2021 = buildActionPlanLayout(data, { fiscalYear: 2021 });
    expect(textsOf(fy2021)).toContain('2021年度（中期事業計画２年目）事業活動計画');
    expect(fy2021.title).toBe('東京商工会議所 中期事業計画・２０２１年度事業活動計画 アクションプラン');
  });

  it('lists the themes, the year cells and 主な担当 in the database order, one unit per line', async () => {
    const doc = buildActionPlanLayout(data, { fiscalYear: 2020 });
    const planSheets = doc.sheets.slice(0, 6);
    const themes = planSheets.flatMap((s) => bodyCells(s).filter((c) => c.col === 1).flatMap((c) => c.paragraphs.map((p) => p.map((r) => r.text).join(''))));
    const dbThemes = (await sql<{ text: string }>`select t.text from theme t join action_row r on r.id = t.row_id order by r.page, r.position, t.position`.execute(env.db.db.q)).rows.map(
      (t) => `・${t.text}`,
    );
    expect(themes.filter((t) => t.startsWith('・'))).toEqual(dbThemes);

    const units = planSheets.flatMap((s) => bodyCells(s).filter((c) => c.role === 'units').map(cellText));
    const dbUnits = data.actionRows.map((r) => r.unitIds.map((id) => data.units.find((u) => u.id === id)!.name).join('\n'));
    expect(units).toEqual(dbUnits);
    const years = planSheets.flatMap((s) => bodyCells(s).filter((c) => c.col === 3).map(cellText));
    expect(years).toEqual(data.actionRows.map((r) => r.yearPlans['2020'] ?? ''));
    // A row's goal, year and unit cells span all its themes (shared cells are merged).
    const p1Labor = planSheets[0]!.body[1]!;
    expect(p1Labor.rows).toHaveLength(3);
    expect(p1Labor.rows[0]!.cells.filter((c) => c.col >= 2).map((c) => c.rowSpan)).toEqual([3, 3, 3]);
  });

  it('puts group headings in column 1 above their themes and band labels down the left edge', () => {
    const doc = buildActionPlanLayout(data, { fiscalYear: 2020 });
    const headings = doc.sheets.flatMap((s) => bodyCells(s).filter((c) => c.role === 'groupHeading').map((c) => ({ sheet: s.pageMark, col: c.col, first: c.paragraphs[0]![0]! })));
    expect(headings.map((h) => [h.sheet, h.first.text])).toEqual([
      ['③', '【国際展開支援】'],
      ['③', '【政策要望・提言】'],
      ['④', '【経営基盤強化】'],
    ]);
    expect(headings.every((h) => h.col === 1 && h.first.bold)).toBe(true);
    const bands = doc.sheets.flatMap((s) => bodyCells(s).filter((c) => c.role === 'band').map((c) => [s.pageMark, cellText(c), c.vertical]));
    expect(bands).toEqual([
      ['⑤', '現場主義・双方向主義/本支部連携の推進', true],
      ['⑥', '現場主義・双方向主義/本支部連携の推進', true],
      ['⑥', '事業活動の見える化/ブランド戦略推進', true],
      ['⑥', '渋沢栄一関連事業の積極展開', true],
    ]);
    // Two rows under one principle share one label cell.
    const brand = doc.sheets[5]!.body[1]!;
    expect(brand.rows[0]!.cells[0]).toMatchObject({ role: 'band', rowSpan: brand.rows.length });
  });

  it('prints page ⑦: the common goal line, the 23 branches in the document order, and the footer', () => {
    const doc = buildActionPlanLayout(data, { fiscalYear: 2020 });
    const p7 = doc.sheets[6]!;
    expect(cellText(p7.header[1]!.cells[0]!)).toBe('【 共通目標 】 各区の地域振興・まちづくりへの参画強化 ／ 会頭の支部訪問をはじめとする本支部連携の推進');
    expect(p7.header[2]!.cells.map(cellText)).toEqual(['支部名', '３年間の重点取組内容', '2020年度のアクションプラン']);
    const branches = data.units.filter((u) => u.kind === 'branch');
    expect(p7.body.map((g) => cellText(g.rows[0]!.cells[0]!))).toEqual(branches.map((b) => b.shortName));
    expect(p7.body.map((g) => cellText(g.rows[0]!.cells[0]!)).slice(0, 3)).toEqual(['千代田', '中央', '港']);
    expect(cellText(p7.body[0]!.rows[0]!.cells[2]!)).toBe('バイヤー参入企画等により、千代田ビジネスフェア来場者1,200名を達成');
    expect(cellText(p7.footer[0]!.cells[0]!)).toBe('中期事業計画2020-2022');
  });

  it('fits each page of FY2020 on one A4 sheet at a readable size (estimated)', () => {
    const doc = buildActionPlanLayout(data, { fiscalYear: 2020 });
    for (const s of doc.sheets) {
      expect(s.fontSizePt, s.name).toBeGreaterThanOrEqual(6.5);
      const h = rowsHeightMm(s.header) + s.body.reduce((a, g) => a + rowsHeightMm(g.rows), 0) + rowsHeightMm(s.footer);
      expect(h, s.name).toBeLessThanOrEqual(printableHeightMm(s));
    }
  });
});

describe('the unit layout', () => {
  const unitId = (name: string) => data.units.find((u) => u.name === name)!.id;

  it('keeps only the rows a unit answers for, one after the other in the document order, with their group heading', () => {
    const doc = buildActionPlanLayout(data, { fiscalYear: 2020, unitId: unitId('税制委員会') });
    expect(doc.kind).toBe('unit');
    expect(doc.title).toBe('東京商工会議所 中期事業計画・２０２０年度事業活動計画 アクションプラン（税制委員会）');
    const rows = data.actionRows.filter((r) => r.unitIds.includes(unitId('税制委員会')));
    expect(new Set(rows.map((r) => r.page)).size).toBeGreaterThan(1);
    // One sheet, not one nearly empty sheet per page of the document.
    expect(doc.sheets.map((s) => s.name)).toEqual(['アクションプラン']);
    expect(doc.sheets[0]!.fontSizePt).toBeGreaterThanOrEqual(7);
    expect(bodyCells(doc.sheets[0]!).filter((c) => c.col === 2).map(cellText)).toEqual(rows.map((r) => r.termPlan));
    const units = doc.sheets.flatMap((s) => bodyCells(s).filter((c) => c.role === 'units').map(cellText));
    expect(units).toHaveLength(rows.length);
    expect(units.every((u) => u.split('\n').includes('税制委員会'))).toBe(true);
    // p3-consumption-tax stands under 【政策要望・提言】 (printed above p3-sme-policy, which the unit does not have).
    const headings = doc.sheets.flatMap((s) => bodyCells(s).filter((c) => c.role === 'groupHeading').map((c) => c.paragraphs[0]![0]!.text));
    expect(headings).toEqual(['【政策要望・提言】']);
    expect(doc.sheets.some((s) => s.name.startsWith('23支部'))).toBe(false);
    for (const s of doc.sheets) expect(gridProblems(s)).toEqual([]);
  });

  it('gives a branch its own page ⑦ row and the rows of 23支部', () => {
    const doc = buildActionPlanLayout(data, { fiscalYear: 2020, unitId: unitId('千代田支部') });
    expect(doc.sheets.map((s) => s.name)).toEqual(['アクションプラン', '23支部']);
    const p7 = doc.sheets[1]!;
    expect(p7.body.map((g) => cellText(g.rows[0]!.cells[0]!))).toEqual(['千代田']);
    const units = doc.sheets.filter((s) => s !== p7).flatMap((s) => bodyCells(s).filter((c) => c.role === 'units').map(cellText));
    expect(units.length).toBe(data.actionRows.filter((r) => r.unitIds.includes(unitId('23支部'))).length);
    expect(units.every((u) => u.split('\n').includes('23支部'))).toBe(true);
  });
});

describe('layout B: the FY2021 overview', () => {
  it('has the overview, the 部会・委員会 table and the branch blocks, on A3 where A4 does not fit', () => {
    const doc = buildOverviewLayout(data, 2021);
    expect(doc.title).toBe('2021年度 事業活動計画');
    expect(doc.sheets.map((s) => s.name)).toEqual(['2021年度 事業活動計画', '部会・委員会・女性会・青年部における重点取り組み内容', '23支部における重点取り組み内容']);
    for (const s of doc.sheets) {
      expect(gridProblems(s), s.name).toEqual([]);
      expect(['A4', 'A3']).toContain(s.paper);
      expect(s.orientation).toBe('landscape');
    }
    expect(doc.sheets[0]!.paper).toBe('A3');
  });

  it('prints the slogan, missions, the 10 challenges, the sections in order with 新 marked, and the financial plan', () => {
    const doc = buildOverviewLayout(data, 2021);
    const text = cellsOf(doc.sheets[0]!).map(cellText).join('\n');
    const inOrder = [
      '中期事業計画2020-2022スローガン',
      '挑みつつける、変わらぬ意志で。',
      '東商3つのミッション',
      '会員企業の繁栄',
      '《挑戦1》 多様な人材を企業へつなぐ',
      '《挑戦10》 次代を拓く政策・事業をつくる',
      '2021年度「コロナ禍対応」の取り組み',
      '① 企業の声の収集・要望活動・情報発信',
      '【政策要望・地域振興】',
      '【経営支援】',
      '【事業・会員サービス】',
      '2021年度 重点分野への取り組み',
      '(1) 生産性向上と多様な人材の活躍推進',
      '＜コロナ禍の財政回復に向けた中期計画＞',
      '2020年度',
      '積立金7.5億円 取り崩し',
    ];
    let at = -1;
    for (const t of inOrder) {
      const next = text.indexOf(t, at + 1);
      expect(next, t).toBeGreaterThan(at);
      at = next;
    }
    // 新 in bold: in front where the text has none, where it stands in the text otherwise.
    const runs = cellsOf(doc.sheets[0]!).flatMap((c) => c.paragraphs.flat());
    const boldNew = runs.filter((r) => r.text === '新' && r.bold);
    const isNew = data.overviewSections.flatMap((s) => s.groups.flatMap((g) => g.items)).filter((i) => i.isNew);
    expect(boldNew).toHaveLength(isNew.length);
  });

  it('lists 部会・委員会・女性会・青年部 in the database order, 商業 and 商業卸売 on one shared row', () => {
    const doc = buildOverviewLayout(data, 2021);
    const sheet = doc.sheets[1]!;
    const focus = data.unitFocus.filter((f) => f.period === '2021' && f.groupHeading !== null);
    // Issue 14: two columns side by side (name | focus, twice), down the left one and on down the right.
    const column = (col: number) => bodyCells(sheet).filter((c) => c.col === col && c.role === 'body').map(cellText);
    expect([...column(1), ...column(4)]).toEqual(focus.map((f) => f.text));
    expect(column(1).length).toBeGreaterThan(focus.length / 3);
    expect(column(4).length).toBeGreaterThan(focus.length / 3);
    expect(bodyCells(sheet).some((c) => cellText(c) === '商業\n商業卸売')).toBe(true);
    // The group headings stand above their units (repeated at the top of the right column where it starts inside a group).
    expect([...new Set(bodyCells(sheet).filter((c) => c.colSpan === 2 && c.role === 'label').map(cellText))]).toEqual(['部会', '委員会']);
  });

  it('sets the 部会・委員会 table at a readable measure: 40 to 65 characters a line at 8 pt or more', () => {
    const sheet = buildOverviewLayout(data, 2021).sheets[1]!;
    expect(sheet.fontSizePt).toBeGreaterThanOrEqual(8);
    const textCells = bodyCells(sheet).filter((c) => c.role === 'body');
    for (const c of textCells) {
      const perLine = cellTextWidthEm(c, sheet.columnsMm, sheet.fontSizePt);
      expect(perLine).toBeGreaterThanOrEqual(40);
      expect(perLine).toBeLessThanOrEqual(65);
    }
  });

  it('prints the emphasised phrases of the branches’ FY2021 focus and of the joint projects in bold, without their marks', () => {
    const marked = (texts: string[]) => texts.flatMap((t) => emphasisRuns(t).filter((r) => r.bold).map((r) => r.text));
    const boldRuns = (sheets: LayoutSheet[]) =>
      sheets.flatMap((sh) => bodyCells(sh).filter((c) => !c.bold).flatMap((c) => c.paragraphs.flatMap((p) => p.filter((r) => r.bold && !/^<.*>$/.test(r.text)).map((r) => r.text))));
    const allText = (sheets: LayoutSheet[]) => sheets.flatMap((sh) => bodyCells(sh).map(cellText)).join('\n');
    const branchIds = new Set(data.units.filter((u) => u.kind === 'branch').map((u) => u.id));
    const branchFocus2021 = data.unitFocus.filter((f) => f.period === '2021' && f.unitIds.some((id) => branchIds.has(id))).map((f) => f.text);
    const joint = data.jointProjects.filter((j) => j.fiscalYear === 2021);
    // The seed carries the document's 41 bold phrases (seeds/FORMAT.md).
    expect(marked([...branchFocus2021, ...joint.map((j) => j.text)])).toHaveLength(41);

    const seventh = buildActionPlanLayout(data, { fiscalYear: 2021 }).sheets.filter((sh) => sh.pageMark?.startsWith('⑦'));
    expect(new Set(boldRuns(seventh))).toEqual(new Set(marked(branchFocus2021)));
    expect(allText(seventh)).not.toContain('**');

    const branchesPage = buildOverviewLayout(data, 2021).sheets[2]!;
    const projectNames = new Set(joint.flatMap((j) => j.projectNames));
    expect(boldRuns([branchesPage]).filter((t) => !projectNames.has(t))).toEqual(marked([...branchFocus2021, ...joint.map((j) => j.text)]));
    expect(allText([branchesPage])).not.toContain('**');
  });

  it('prints one block per branch in the document order, then the joint projects', () => {
    const doc = buildOverviewLayout(data, 2021);
    const blocks = bodyCells(doc.sheets[2]!).filter((c) => c.role === 'body').map((c) => c.paragraphs[0]![0]!.text);
    const branches = data.units.filter((u) => u.kind === 'branch').map((u) => `<${u.shortName}>`);
    expect(blocks.slice(0, 23)).toEqual(branches);
    expect(blocks.slice(23)).toEqual(data.jointProjects.filter((j) => j.fiscalYear === 2021).map((j) => `<${j.title}>`));
  });
});

describe('the print page', () => {
  it('is one self-contained page: A4 landscape @page, a thead per sheet, rows kept together, text escaped, no script', () => {
    const doc = buildActionPlanLayout(data, { fiscalYear: 2020 });
    const html = renderPrintHtml(doc, '/* fonts */');
    expect(html).toMatch(/@page p-A4-landscape[^{]*\{ size: A4 landscape; margin: 10mm 10mm 11mm 10mm;/);
    expect(html.match(/<thead>/g)).toHaveLength(7);
    expect(html.match(/<section class="sheet"/g)).toHaveLength(7);
    expect(html).toContain('tbody.group, tr { break-inside: avoid; }');
    // The action plan's pages carry the document's own marks ①…⑦: no second counter.
    expect(html).not.toContain('counter(page)');
    expect(renderPrintHtml({ ...doc, pageNumbers: true }, '')).toContain('counter(page) " / " counter(pages)');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
    const evil: LayoutDocument = { ...doc, sheets: [{ ...doc.sheets[0]!, body: [{ rows: [{ heightPt: 10, cells: [cell(0, [[{ text: '<img src=x onerror=alert(1)>&' }]], { colSpan: 5 })] }] }] }] };
    const escaped = renderPrintHtml(evil, '');
    // Escaped, whatever break opportunities (<wbr>, <br>) the phrases put between its characters.
    expect(escaped.replace(/<wbr>|<br>/g, '')).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;');
    expect(escaped).not.toContain('<img');
  });

  it('names every printed character for the font subsets, bold ones apart', () => {
    const doc = buildOverviewLayout(data, 2021);
    const chars = documentCharacters(doc);
    for (const ch of '挑みつつける変わらぬ意志商業卸売《》①') expect(chars.regular + chars.bold).toContain(ch);
    expect(chars.bold).toContain('新');
  });
});

describe('text measure and row heights', () => {
  it('measures kanji as full width, and digits and CJK brackets as BIZ UDPGothic sets them (measured in Chromium)', () => {
    expect(charWidthEm('東')).toBe(1);
    // Issue 14: the proportional face sets ・「」 at half an em and digits at 0.76 em (0.5 before, which Chromium overran).
    expect(charWidthEm('・')).toBe(0.5);
    expect(charWidthEm('5')).toBe(0.76);
    expect(charWidthEm('ｲ')).toBe(0.5);
    expect(paragraphLines([{ text: 'あ'.repeat(40) }], 20)).toBe(3);
    expect(paragraphLines([{ text: '' }], 20)).toBe(1);
  });

  it('makes rows tall enough for the cells spanning them, and splits rows Excel cannot hold', () => {
    const long = 'あ'.repeat(2000);
    const rows: LayoutRow[] = [
      { heightPt: 0, cells: [cell(0, [[{ text: '短い' }]]), cell(1, [[{ text: long }]], { rowSpan: 2 })] },
      { heightPt: 0, cells: [cell(0, [[{ text: '短い' }]])] },
    ];
    sizeRows(rows, [40, 60], 9);
    const total = rows.reduce((h, r) => h + r.heightPt, 0);
    // 2000 full-width characters, 60 mm wide at 9 pt: about 20 a line, so about 100 lines.
    expect(total).toBeGreaterThan(100 * 9 * 1.3);
    const split = splitTallRows(rows);
    expect(split.every((r) => r.heightPt <= EXCEL_MAX_ROW_PT)).toBe(true);
    expect(split.reduce((h, r) => h + r.heightPt, 0)).toBeGreaterThanOrEqual(total);
    const sheet: LayoutSheet = {
      name: 't',
      paper: 'A4',
      orientation: 'landscape',
      marginsMm: { top: 10, right: 10, bottom: 11, left: 10 },
      columnsMm: [100, 177],
      fontSizePt: 9,
      pageMark: null,
      header: [],
      body: [{ rows: split }],
      footer: [],
    };
    expect(gridProblems(sheet)).toEqual([]);
  });

  it('names files and sheets safely', () => {
    expect(safeFileName('a/b:c*?"<>|\u0001 d')).toBe('a＿b＿c＿＿＿＿＿＿__d');
    expect(safeSheetName('[a]:b*?/\\'.padEnd(40, 'x'))).toHaveLength(31);
    expect(fullWidthDigits(2020)).toBe('２０２０');
    expect(circledNumber(7)).toBe('⑦');
    expect(newMarkedRuns('RCEP発効', true)).toEqual([{ text: '新', bold: true }, { text: ' RCEP発効' }]);
    expect(newMarkedRuns('国の新「計画」の新規', true)).toEqual([{ text: '国の' }, { text: '新', bold: true }, { text: '「計画」の新規' }]);
    expect(newMarkedRuns('新規', false)).toEqual([{ text: '新規' }]);
  });
});
