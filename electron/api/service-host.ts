import { AppError, type Outcome } from '../../shared/errors/app-error';
import { readSeedDirectory } from '../seed/read-seeds';
import { createHandler, type Handler, type Host } from './handlers';
import { Workspace } from '../workspace/workspace';
import type { EntryPoint } from './entries';
import { workerJobs } from './job-runner';
import { type ControlRequest, errorShape, type FromService, type HostKind, type HostReplies, type HostRequest, type OpenFile, outcomeValue, type Port, type ServiceInit, type ToService } from './protocol';

/**
 * The services' side of the protocol (electron/api/protocol.ts), wherever they run: the app's
 * utility process, the browser mode's worker thread. It owns the Workspace (the only writer: it
 * opens the database and so takes its writer lock), answers calls with the contract handler while
 * the heavy parts of long calls run in job workers, cancels a call on request, and asks the entry
 * point for what only it can do (dialogs, Electron's PDF and printing) by host requests.
 */
export function serveOverPort(port: Port<ToService, FromService>, jobWorker: EntryPoint): void {
  let ws: Workspace | null = null;
  let handle: Handler | null = null;
  const running = new Map<number, AbortController>();
  const asked = new Map<number, (outcome: Outcome<unknown>) => void>();
  let nextHostId = 1;

  const log = (line: string) => port.post({ type: 'log', line });

  function hostRequest<K extends HostKind>(request: Extract<HostRequest, { kind: K }>): Promise<HostReplies[K]> {
    const id = nextHostId++;
    return new Promise<HostReplies[K]>((resolve, reject) => {
      asked.set(id, (outcome) => {
        try {
          resolve(outcomeValue(outcome) as HostReplies[K]);
        } catch (e) {
          reject(e);
        }
      });
      port.post({ type: 'host-request', id, request });
    });
  }

  /** The services' host object: each host request the entry point answers is an ability; the others are absent. */
  function hostOf(settings: ServiceInit): Host {
    const has = new Set(settings.host);
    return {
      transport: settings.transport,
      ...(has.has('renderPdf') ? { renderPdf: (pages: string[]) => hostRequest({ kind: 'renderPdf', pages }) } : {}),
      ...(has.has('chooseSavePath') ? { chooseSavePath: (request) => hostRequest({ kind: 'chooseSavePath', request }) } : {}),
      ...(has.has('openPath') ? { openPath: async (path: string) => void (await hostRequest({ kind: 'openPath', path })) } : {}),
      ...(has.has('print') ? { print: (html, options) => hostRequest({ kind: 'print', html, options }) } : {}),
      ...(has.has('chooseImportFile') ? { chooseImportFile: () => hostRequest({ kind: 'chooseImportFile' }) } : {}),
      ...(settings.console ? { console: (line: string) => console.error(line) } : {}),
    } satisfies Host;
  }

  function init(settings: ServiceInit): void {
    const workspace = new Workspace(settings.appVersion, settings.userData);
    ws = workspace;
    handle = createHandler(workspace, hostOf(settings), undefined, { jobs: workerJobs(jobWorker, () => workspace.location, log) });
  }

  async function control(request: ControlRequest): Promise<OpenFile | null> {
    if (!ws) throw new AppError('internal', '準備ができていません。', 'control before init');
    const opened = () => ({ path: ws!.current.path, fileName: ws!.fileName });
    switch (request.op) {
      case 'open': {
        const seedsDir = request.seedsDir;
        await ws.open(request.path, {
          ...(seedsDir ? { createFrom: () => readSeedDirectory(seedsDir) } : {}),
          takeOverLock: request.takeOverLock === true,
          reclaimOwnLock: request.reclaimOwnLock === true,
        });
        return opened();
      }
      case 'create':
        await ws.create(request.path, readSeedDirectory(request.seedsDir));
        return opened();
      case 'saveCopy':
        await ws.saveCopy(request.path);
        return opened();
      case 'close':
        await ws.close();
        return null;
    }
  }

  port.onMessage((message) => {
    switch (message.type) {
      case 'init':
        init(message.init);
        return;
      case 'control':
        void control(message.request).then(
          (value) => port.post({ type: 'control-result', id: message.id, outcome: { ok: true, value } }),
          (e: unknown) => port.post({ type: 'control-result', id: message.id, outcome: { ok: false, error: errorShape(e) } }),
        );
        return;
      case 'call': {
        if (!handle) {
          port.post({ type: 'result', id: message.id, outcome: { ok: false, error: errorShape(new AppError('internal', '準備ができていません。', 'call before init')) } });
          return;
        }
        const controller = new AbortController();
        running.set(message.id, controller);
        void handle(message.method, message.args, {
          signal: controller.signal,
          onProgress: (phase, fraction) => port.post({ type: 'progress', id: message.id, phase, fraction }),
        })
          .then((outcome) => port.post({ type: 'result', id: message.id, outcome }))
          .finally(() => running.delete(message.id));
        return;
      }
      case 'cancel':
        running.get(message.id)?.abort();
        return;
      case 'host-response':
        asked.get(message.id)?.(message.outcome);
        asked.delete(message.id);
        return;
    }
  });
}
