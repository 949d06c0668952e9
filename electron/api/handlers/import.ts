import { basename } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import type { importMethods } from '../../../shared/contract/methods/import';
import { applyImport, type ImportFile, ImportSessions, readImportFile } from '../../import/import-session';
import { yieldToEvents } from '../calls';
import type { ImplementationOf, ServiceContext } from './context';
import { writeFileWhole } from '../../files/write-whole';

/** A file name from the page, without any folder part (the page names files, never paths). */
const plainName = (name: string) => [...(name.split(/[\\/]/).pop() ?? '')].filter((c) => c.charCodeAt(0) >= 0x20).join('') || 'file';

/**
 * Hand-out and import. Paths only come from the shell's dialogs (the app) or the command line;
 * the page sends bytes and then names only the review id and item ids that analysis handed out.
 */
export function importImplementation({ ws, host, jobs }: ServiceContext): ImplementationOf<typeof importMethods> {
  const db = () => ws.current.db;
  const sessions = new ImportSessions();
  return {
    'import.handoutWorkbook': async ({ unitId, fiscalYear }, call) => {
      const file = await jobs.run('import.handout', { unitId, fiscalYear, appVersion: ws.appVersion }, call);
      const choose = host.chooseSavePath;
      if (!choose) return { status: 'download' as const, fileName: file.fileName, byteLength: file.bytes.byteLength, base64: Buffer.from(file.bytes).toString('base64') };
      const target = await choose({ defaultName: file.fileName, formats: ['xlsx'] });
      if (target === null) return { status: 'cancelled' as const, fileName: file.fileName, byteLength: 0 };
      const path = /\.xlsx$/i.test(target) ? target : `${target}.xlsx`;
      try {
        writeFileWhole(path, file.bytes);
      } catch (e) {
        throw new AppError('bad_file', `「${basename(path)}」を保存できません。ほかのプログラムで開いていないか確認してください。`, `cannot write ${path}: ${String(e)}`);
      }
      return { status: 'saved' as const, fileName: basename(path), byteLength: file.bytes.byteLength };
    },
    'import.analyze': async ({ source }, call) => {
      let file: ImportFile;
      if (source.kind === 'dialog') {
        const choose = host.chooseImportFile;
        if (!choose) throw new AppError('invalid_arguments', 'ファイルを選ぶか、ウィンドウにドロップしてください。', 'dialog source without a shell dialog');
        const path = await choose();
        if (path === null) return { status: 'cancelled' as const, review: null };
        file = readImportFile(path);
      } else file = { name: plainName(source.fileName), bytes: Buffer.from(source.base64, 'base64') };
      const analysis = await jobs.run('import.analyze', { dbPath: ws.current.path, file }, call);
      sessions.add(analysis);
      return { status: 'ready' as const, review: analysis.review };
    },
    'import.apply': async ({ reviewId, take, keep }, call) => {
      const analysis = sessions.get(reviewId);
      if (analysis.dbPath !== ws.current.path)
        throw new AppError('conflict', '別の計画データベースが開かれています。もう一度ファイルを読み込んでください。', `review ${reviewId} was made for ${analysis.dbPath}`);
      // Cancellable up to the transaction (checked after the decisions and after the backup); the write itself is one transaction.
      const result = await applyImport(db(), analysis, { take, keep }, async () => {
        await yieldToEvents();
        call.throwIfCancelled();
        call.progress('backup');
        const backupId = ws.userData ? (await ws.backupNow('import')).id : null;
        await yieldToEvents();
        call.throwIfCancelled();
        call.progress('apply');
        return backupId;
      });
      sessions.discard(reviewId);
      return result;
    },
    'import.discard': ({ reviewId }) => {
      sessions.discard(reviewId);
      return {};
    },
  };
}
