import { AppError } from '../../shared/errors/app-error';
import { importLimits, mb } from '../../shared/import/limits';

/** What kind of file the user picked, told by its first bytes (never by its name), with the size limit of each kind. */

export type ImportFileKind = 'workbook' | 'database';

const SQLITE = Buffer.from('SQLite format 3\0', 'latin1');
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export function detectImportFile(bytes: Buffer, fileName: string): ImportFileKind {
  if (bytes.length === 0) throw new AppError('bad_file', `「${fileName}」は空のファイルです。`, `${fileName}: empty file`);
  let kind: ImportFileKind;
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)) kind = 'workbook';
  else if (bytes.subarray(0, SQLITE.length).equals(SQLITE)) kind = 'database';
  else if (bytes.subarray(0, OLE.length).equals(OLE))
    throw new AppError(
      'bad_file',
      `「${fileName}」は Excel 97-2003 形式（.xls）か、パスワードで保護されたブックです。Excel で開き、パスワードを外して「Excel ブック（.xlsx）」形式で保存し直してから取り込んでください。`,
      `${fileName}: an OLE compound file (.xls or an encrypted workbook)`,
    );
  else
    throw new AppError(
      'bad_file',
      `「${fileName}」は取り込めるファイルではありません。取り込めるのは Excel ブック（.xlsx）と計画データベース（.plandb）です。`,
      `${fileName}: neither a zip (xlsx) nor a SQLite file (starts with ${bytes.subarray(0, 8).toString('hex')})`,
    );
  const limit = kind === 'workbook' ? importLimits.workbookBytes : importLimits.databaseBytes;
  if (bytes.length > limit)
    throw new AppError(
      'bad_file',
      `「${fileName}」は大きすぎます（${mb(bytes.length)}、上限 ${mb(limit)}）。`,
      `${fileName}: ${bytes.length} bytes, limit ${limit}`,
    );
  return kind;
}
