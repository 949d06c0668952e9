import { parentPort } from 'node:worker_threads';
import { AppError } from '../../shared/errors/app-error';
import { type ExpectedPlan, readForeignCopy } from './foreign-read';

/**
 * The child process that reads a colleague's plan database (database-read.ts forks it). A query
 * of better-sqlite3 cannot be interrupted from JavaScript, not even by terminating a worker thread;
 * a process can be killed. It answers one request at a time and stays for the next (starting it
 * costs more than most reads); it exits when the parent goes (the IPC channel closes). Inside
 * Electron it runs as a worker thread instead (database-read.ts says why) and answers on parentPort.
 */

interface Request {
  path: string;
  name: string;
  mine: ExpectedPlan | null;
}

const answerTo = (answer: unknown) => (parentPort ? parentPort.postMessage(answer) : process.send!(answer));

(parentPort ?? process).on('message', async (message: unknown) => {
  const { path, name, mine } = message as Request;
  let answer: unknown;
  try {
    answer = { ok: true, value: await readForeignCopy(path, name, mine) };
  } catch (e) {
    answer = {
      ok: false,
      error:
        e instanceof AppError
          ? e.toShape()
          : { code: 'internal', message: '', logMessage: e instanceof Error ? `${e.name}: ${e.message}` : String(e) },
    };
  }
  answerTo(answer);
});
if (!parentPort) process.on('disconnect', () => process.exit(0));
