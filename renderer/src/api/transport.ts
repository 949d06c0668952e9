import { createClient, type Client, type Transport } from '../../../shared/contract/client';
import type { Outcome } from '../../../shared/errors/app-error';
import type { MethodName } from '../../../shared/contract/methods';
import { preloadBridge } from './bridge';

const TOKEN_HEADER = 'x-plan-token';

/** Browser mode: POST /api with the per-start token that `npm run serve` printed in the URL. */
function httpTransport(token: string): Transport {
  return async (method: MethodName, args: unknown) => {
    let response: Response;
    try {
      response = await fetch('/api', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify({ method, args }),
      });
    } catch {
      return { ok: false, error: { code: 'internal', message: 'サーバーに接続できません。npm run serve が動いているか確認してください。', logMessage: 'fetch failed' } };
    }
    // The server's own answer to a body it could not read (bad_request): its Japanese message as it is.
    if (!response.ok && response.headers.get('content-type')?.startsWith('application/json')) return (await response.json()) as Outcome<unknown>;
    if (!response.ok)
      return {
        ok: false,
        error: { code: 'forbidden', message: `サーバーが要求を拒否しました（${response.status}）。表示された URL から開き直してください。`, logMessage: `${response.status} ${await response.text()}` },
      };
    return (await response.json()) as Outcome<unknown>;
  };
}

function chooseTransport(): Transport {
  const bridge = preloadBridge();
  if (bridge) return (method, args) => bridge.invoke(method, args);
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return httpTransport(token);
}

/** The renderer's only way to data: the typed client of the API contract. */
export const api: Client = createClient(chooseTransport());
