import { parentPort as threadPort } from 'node:worker_threads';
import { siblingEntry } from './entries';
import type { FromService, Port, ToService } from './protocol';
import { serveOverPort } from './service-host';

/**
 * The entry of the services when they run apart from the window or the HTTP server: plain Node,
 * no 'electron' import. The same file runs
 * - in the app as an Electron utility process (utilityProcess.fork; messages on process.parentPort),
 * - in the browser mode as a worker thread (node:worker_threads),
 * - under child_process.fork (serialization: 'advanced'), e.g. in tests.
 */

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function portOfThisProcess(): Port<ToService, FromService> {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort)
    return { post: (m) => electronPort.postMessage(m), onMessage: (listener) => electronPort.on('message', (e) => listener(e.data as ToService)) };
  if (threadPort) {
    const port = threadPort;
    return { post: (m) => port.postMessage(m), onMessage: (listener) => port.on('message', (m: ToService) => listener(m)) };
  }
  if (process.send) {
    const send = process.send.bind(process);
    // Without a parent on the channel there is nobody to serve: end with it.
    process.on('disconnect', () => process.exit(0));
    return { post: (m) => void send(m), onMessage: (listener) => process.on('message', (m) => listener(m as ToService)) };
  }
  throw new Error('service-process: started without a parent to talk to (use utilityProcess.fork, a Worker or child_process.fork)');
}

serveOverPort(portOfThisProcess(), siblingEntry(import.meta.filename, 'job-worker'));
