import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Outcome } from '../../shared/errors/app-error';
import type { FromService, Port, ServiceInit, ToService } from '../../electron/api/protocol';
import { serveOverPort } from '../../electron/api/service-host';
import { tempDir } from '../helpers/temp';

/**
 * The host object the services get from their entry point (electron/api/handlers/context.ts), as
 * the services' side of the protocol builds it from `init`: each host request the entry point
 * answers is an ability of the services, the others are absent; the services ask for abilities,
 * never for the transport. Over an in-memory port: the same messages as a utility process gets.
 */

const dir = tempDir();
afterAll(() => dir.cleanup());

/** Services started with `init`; host requests answered by `answer` (null: what a cancelled dialog says). */
function servicesWith(init: Partial<ServiceInit>, answer: (request: unknown) => unknown = () => null) {
  const asked: unknown[] = [];
  const results = new Map<number, (outcome: Outcome<unknown>) => void>();
  let deliver: (message: ToService) => void = () => {};
  const port: Port<ToService, FromService> = {
    onMessage: (listener) => (deliver = listener),
    post: (message) => {
      if (message.type === 'result') results.get(message.id)?.(message.outcome);
      if (message.type === 'host-request') {
        asked.push(message.request);
        queueMicrotask(() => deliver({ type: 'host-response', id: message.id, outcome: { ok: true, value: answer(message.request) } }));
      }
    },
  };
  // No call here needs a job worker: none is started.
  serveOverPort(port, { path: '/no/job-worker.js' });
  deliver({ type: 'init', init: { appVersion: 'test', userData: dir.dir, transport: 'ipc', host: [], ...init } });
  let nextId = 1;
  const call = (method: string, args: unknown) =>
    new Promise<Outcome<unknown>>((resolve) => {
      const id = nextId++;
      results.set(id, resolve);
      deliver({ type: 'call', id, method, args });
    });
  return { call, asked };
}

describe('the services’ host object', () => {
  it('has the open dialog when the entry point answers it: the services ask it, and a cancel is no error', async () => {
    const app = servicesWith({ host: ['chooseImportFile'] });
    expect(await app.call('import.analyze', { source: { kind: 'dialog' } })).toEqual({ ok: true, value: { status: 'cancelled', review: null } });
    expect(app.asked).toEqual([{ kind: 'chooseImportFile' }]);
  });

  it('lacks what the entry point does not answer, whatever the transport: the services never ask for it', async () => {
    // An 'ipc' transport without the dialog: the ability decides, not the transport.
    const other = servicesWith({ host: ['renderPdf'], transport: 'ipc' });
    expect(await other.call('import.analyze', { source: { kind: 'dialog' } })).toMatchObject({ ok: false, error: { code: 'invalid_arguments', message: 'ファイルを選ぶか、ウィンドウにドロップしてください。' } });
    expect(await other.call('export.openSaved', { index: 0 })).toEqual({ ok: true, value: { opened: false } });
    expect(await other.call('export.print', { layout: 'action-plan', fiscalYear: 2021 })).toEqual({ ok: true, value: { handled: false, printed: false } });
    expect(other.asked).toEqual([]);
  });

  it('writes the first line of each log entry to the console only when the entry point asks (npm run serve)', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    try {
      await servicesWith({ transport: 'http' }).call('no.such.method', {});
      expect(lines).toEqual([]);
      await servicesWith({ transport: 'http', console: true }).call('no.such.method', {});
      expect(lines).toEqual(['[api] unknown method no.such.method']);
    } finally {
      spy.mockRestore();
    }
  });
});
