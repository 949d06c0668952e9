import { Worker } from 'node:worker_threads';

/**
 * What a mocked `electron.utilityProcess.fork` returns in the shell tests: the entry runs in a worker
 * thread (tests/helpers/utility-process-in-thread.ts gives it Electron's parentPort), and the shell
 * talks to it through the same three calls it uses on a real utility process.
 */
export function forkInThread(modulePath: string, children: { terminate(): Promise<number> }[]) {
  const worker = new Worker(modulePath, { execArgv: ['--import', 'tsx'] });
  children.push(worker);
  return {
    postMessage: (m: unknown) => worker.postMessage(m),
    on: (event: string, listener: (...a: unknown[]) => void) => worker.on(event, listener),
    kill: () => (void worker.terminate(), true),
  };
}
