import { themeQuartz } from 'ag-grid-community';

/** The look shared by every plan grid: the Japanese UI font, readable sizes, visible cell borders like a sheet. */
export const gridTheme = themeQuartz.withParams({
  fontFamily: 'var(--font-ja)',
  fontSize: 13,
  headerFontSize: 12,
  headerFontWeight: 700,
  headerBackgroundColor: '#eef2f6',
  wrapperBorderRadius: 0,
  columnBorder: true,
  rowBorder: true,
  cellHorizontalPadding: 8,
  rowVerticalPaddingScale: 0.6,
  selectedRowBackgroundColor: '#dbe9f8',
  rangeSelectionBorderColor: '#0b5cad',
});
