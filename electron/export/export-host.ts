/**
 * What an export needs from its surroundings, which differ between the app (Electron: the OS save
 * dialog, printToPDF in a hidden window, the OS print dialog, opening a file) and plain Node (the
 * command line, the browser mode and the tests: Playwright's Chromium, no dialogs). The shell fills
 * in the Electron parts; each entry point hands the services a host object with what it can do
 * (electron/api/handlers/context.ts), so services never import the shell nor ask where they run.
 */

/** Print pages (HTML) to PDF files, one per page. */
export type PdfRenderer = (htmlPages: string[]) => Promise<Uint8Array[]>;

export interface SaveDialogRequest {
  /** The suggested file name, with extension. */
  defaultName: string;
  /** The formats about to be written; with more than one, the others are written next to the chosen file under the same name. */
  formats: ('xlsx' | 'pdf')[];
}

export interface ExportHost {
  renderPdf: PdfRenderer | null;
  /** Asks the user where to save (the OS dialog); null when cancelled. */
  chooseSavePath: ((request: SaveDialogRequest) => Promise<string | null>) | null;
  /** Opens a saved file with the program the OS associates with it. */
  openPath: ((path: string) => Promise<void>) | null;
  /** Prints the page through the OS print dialog (paper of its first sheet); false when the user cancelled. */
  print: ((html: string, options: { pageSize: 'A4' | 'A3'; landscape: boolean }) => Promise<boolean>) | null;
}
