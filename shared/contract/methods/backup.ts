import { z } from 'zod';

export const BackupInfo = z.object({
  /** A file name inside the database's backup folder: the renderer never names a path. */
  id: z.string(),
  takenAt: z.string(),
  reason: z.enum(['daily', 'migration', 'import', 'restore', 'manual', 'replace']),
  bytes: z.number().int(),
});
export type BackupInfo = z.infer<typeof BackupInfo>;

export const BackupPreview = z.object({
  id: z.string(),
  takenAt: z.string(),
  planTitle: z.string(),
  periodLabel: z.string(),
  schemaVersion: z.number().int(),
  rows: z.number().int(),
  themes: z.number().int(),
  targets: z.number().int(),
  actuals: z.number().int(),
  lastChange: z.object({ at: z.string(), user: z.string(), label: z.string() }).nullable(),
});
export type BackupPreview = z.infer<typeof BackupPreview>;

const backupId = z.string().regex(/^[\w.-]+\.plandb$/);

/** Backups of the open database: list, preview, take one now, restore one. */
export const backupMethods = {
  'backups.list': {
    description: 'The backups of the open database, newest first',
    args: z.object({}),
    result: z.array(BackupInfo),
  },
  'backups.preview': {
    description: "What a backup holds: its plan, counts, and its last change, read without opening it for writing",
    args: z.object({ id: backupId }),
    result: BackupPreview,
  },
  'backups.create': {
    description: 'Back the open database up now',
    args: z.object({}),
    result: BackupInfo,
  },
  'backups.restore': {
    description: 'Replace the open database with a backup; what is there now is backed up first',
    args: z.object({ id: backupId }),
    result: z.object({ restoredFrom: z.string(), safetyBackup: z.string() }),
  },
} as const;
