import { parentPort, workerData } from 'node:worker_threads';
import { openPlanDatabaseReadOnly } from '../../electron/db/open-read-only';
import { WriterLock } from '../../electron/db/writer-lock';

/**
 * Another thread of the test's process (as a job worker or the browser mode's services run):
 * 'acquire' tries to take the writer lock of `path`; 'read' opens `path` the way a job does and
 * answers 'read' messages with the labels of the change sets until told 'close'.
 */
const port = parentPort!;
const { op, path } = workerData as { op: 'acquire' | 'read'; path: string };

if (op === 'acquire') {
  const heldBefore = WriterLock.heldByLiveWriter(path);
  try {
    WriterLock.acquire(path).release();
    port.postMessage({ taken: true, heldBefore });
  } catch (e) {
    port.postMessage({ taken: false, heldBefore, code: (e as { code?: unknown }).code, messageJa: (e as { messageJa?: unknown }).messageJa });
  }
} else {
  const opened = openPlanDatabaseReadOnly(path);
  const db = opened.db;
  // The file this thread reads (what opens read-only is a SQLite file).
  const name = db.engine === 'sqlite' ? db.path : db.name;
  const labels = async () => (await db.q.selectFrom('change_set').select('label').orderBy('id').execute()).map((r) => r.label);
  port.on('message', (m: string) => {
    if (m === 'close') {
      void db.close().finally(() => port.close());
      return;
    }
    void labels().then((l) => port.postMessage({ name, labels: l }));
  });
  void labels().then((l) => port.postMessage({ name, labels: l }));
}
