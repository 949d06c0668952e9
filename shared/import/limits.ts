/**
 * What an imported file may hold at most. A file over a limit is refused before anything of it
 * is parsed (the zip's own directory is read first, then every entry is inflated with a cap), so
 * a hostile or broken file can neither exhaust memory nor change the database.
 */
export const importLimits = {
  /** An Excel workbook file (a department's return is a few hundred KB). */
  workbookBytes: 50 * 1024 * 1024,
  /** A plan database file (a colleague's copy; it grows with its change log). */
  databaseBytes: 200 * 1024 * 1024,
  /** What the browser mode accepts as an upload (the HTTP body holds it as base64). */
  uploadBytes: 50 * 1024 * 1024,
  /** Files inside the workbook's zip (Excel writes a few dozen). */
  zipEntries: 20_000,
  /** All files inside the workbook's zip, inflated. */
  uncompressedBytes: 200 * 1024 * 1024,
  /** Characters in one cell: the same limit as a cell typed into the app. */
  cellChars: 1_000_000,
  /** Rows in one sheet. */
  sheetRows: 100_000,
  /** Items in one review (and so ids an apply may name): a file that would make more is refused when read. */
  reviewItems: 1_000_000,
} as const;

export const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
