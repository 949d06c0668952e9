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
  const labels = () => (opened.sqlite.prepare('select label from change_set order by id').all() as { label: string }[]).map((r) => r.label);
  port.on('message', (m: string) => {
    if (m === 'close') {
      opened.sqlite.close();
      port.close();
      return;
    }
    port.postMessage({ name: opened.sqlite.name, labels: labels() });
  });
  port.postMessage({ name: opened.sqlite.name, labels: labels() });
}
