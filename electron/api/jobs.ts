import type { ExportFormat } from '../../shared/contract/methods/export';
import type { JobPhase } from '../../shared/contract/methods/jobs';
import type { PlanDb } from '../db/plan-db';
import { type DocumentRequest, exportDocument, printPage } from '../export/export-document';
import { writeXlsx } from '../export/xlsx-writer';
import { writeHandoutWorkbook, type HandoutRequest } from '../import/handout-workbook';
import { analyzeImport, type ImportFile } from '../import/import-session';
import { type CallControl, cancelledError } from './calls';

/**
 * The heavy parts of the long calls, as jobs: each reads the plan (never writes it) and the data
 * it is given, and returns plain data. Where a job runs is the service host's choice (JobRunner):
 * in the app and the browser mode in a job worker of its own, with its own read-only connection,
 * so that the services keep answering meanwhile and a cancel can stop it at once by ending that
 * worker; on the command line and in tests on the calling thread. Inputs and outputs cross a
 * thread boundary: plain objects, strings, numbers and byte arrays only.
 */

type Report = (phase: JobPhase, fraction: number | null) => void;

/** A Buffer again (bytes arrive as a plain Uint8Array from another thread). */
const asBuffer = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

export const jobTable = {
  /** Reads a file to import and compares it with the plan (import.analyze). */
  'import.analyze': (db: PlanDb, input: { dbPath: string; file: ImportFile }, report: Report) =>
    analyzeImport(db, input.dbPath, { ...input.file, bytes: asBuffer(input.file.bytes), ...(input.file.walBytes ? { walBytes: asBuffer(input.file.walBytes) } : {}) }, report),
  /** A unit's fill-in workbook (import.handoutWorkbook). */
  'import.handout': async (db: PlanDb, input: HandoutRequest) => {
    const file = await writeHandoutWorkbook(db, input);
    return { fileName: file.fileName, bytes: file.bytes };
  },
  /** A layout as Excel bytes and/or the print page the PDF is made from (export.save). */
  'export.render': async (db: PlanDb, input: { request: DocumentRequest; formats: ExportFormat[] }, report: Report) => {
    report('layout', null);
    const doc = await exportDocument(db, input.request);
    report('xlsx', null);
    const xlsx = input.formats.includes('xlsx') ? await writeXlsx(doc) : null;
    const pdfPage = input.formats.includes('pdf') ? printPage(doc) : null;
    return { fileBaseName: doc.fileBaseName, xlsx, pdfPage };
  },
};

export type JobName = keyof typeof jobTable;
export type JobInput<N extends JobName> = Parameters<(typeof jobTable)[N]>[1];
export type JobOutput<N extends JobName> = Awaited<ReturnType<(typeof jobTable)[N]>>;

/** Runs one job on the plan that is open (its path: the job may open its own connection). */
export type JobFunction = (db: PlanDb, input: unknown, report: Report) => unknown;

export interface JobRunner {
  run<N extends JobName>(name: N, input: JobInput<N>, call: CallControl): Promise<JobOutput<N>>;
}

/**
 * Jobs on the calling thread, on the open connection (command line, tests): a cancel is seen before
 * the job starts and when it ends (its result is then dropped); it cannot stop it halfway.
 */
export function inlineJobs(db: () => PlanDb): JobRunner {
  return {
    async run<N extends JobName>(name: N, input: JobInput<N>, call: CallControl): Promise<JobOutput<N>> {
      call.throwIfCancelled();
      const out = await (jobTable[name] as JobFunction)(db(), input, (phase, fraction) => call.progress(phase, fraction));
      if (call.signal.aborted) throw cancelledError();
      return out as JobOutput<N>;
    },
  };
}
