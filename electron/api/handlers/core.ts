import type { coreMethods } from '../../../shared/contract/methods/core';
import type { ImplementationOf, ServiceContext } from './context';
import { listActionRows, listUnits, planSummary } from '../../model/queries/plan-queries';

export function coreImplementation({ ws, host }: ServiceContext): ImplementationOf<typeof coreMethods> {
  const db = () => ws.current.db;
  return {
    'app.info': () => ({
      appVersion: ws.appVersion,
      schemaVersion: ws.current.schemaVersion,
      dbFileName: ws.fileName,
      // For the page only (it offers downloads and a drop zone in a browser); no service branches on it.
      transport: host.transport,
      readOnly: ws.readOnly,
      // The shell shows this on opening: also why a file is open read-only as it is (a text too long to migrate).
      backupProblem: (ws.backupProblem ?? ws.notice)?.messageJa ?? null,
    }),
    'plan.summary': () => planSummary(db()),
    'units.list': () => listUnits(db()),
    'actionRows.list': ({ fiscalYear, unitId }) => listActionRows(db(), fiscalYear, unitId),
  };
}
