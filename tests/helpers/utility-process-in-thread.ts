import { parentPort } from 'node:worker_threads';

/**
 * Runs the services' entry (electron/api/service-process.ts) in a worker thread the way Electron's
 * utility process runs it: messages arrive on `process.parentPort` as events with `data`. Electron
 * itself cannot run in the tests; this gives its entry the same surroundings.
 */
const port = parentPort!;
(process as unknown as { parentPort: unknown }).parentPort = {
  on: (_event: 'message', listener: (event: { data: unknown }) => void) => port.on('message', (data: unknown) => listener({ data })),
  postMessage: (message: unknown) => port.postMessage(message),
};
await import('../../electron/api/service-process');
