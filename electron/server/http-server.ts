import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { badRequestOutcome, type Handler } from '../api/handlers';

/**
 * The browser-mode transport: the same handler as Electron IPC, over HTTP on 127.0.0.1 only. The
 * handler runs elsewhere (a worker thread: electron/api/worker-services.ts), so this thread always
 * answers static files and other requests promptly.
 */
export const LOOPBACK = '127.0.0.1';
export const TOKEN_HEADER = 'x-plan-token';
/** Room for an import upload of 50 MB as base64 in JSON (shared/import/limits.ts). */
const MAX_BODY = 80 * 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export interface PlanServer {
  server: Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

export interface PlanServerOptions {
  handler: Handler;
  /** The built renderer (out/renderer); omitted: API only. */
  staticDir?: string;
  port?: number;
  token?: string;
  log?: (line: string) => void;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        // Stop keeping what follows; the caller answers 413 and closes the connection.
        reject(Object.assign(new Error('body too large'), { tooLarge: true }));
        req.removeAllListeners('data');
        chunks.length = 0;
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Only requests addressed to this loopback server, from a page of this server, get an answer. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://${LOOPBACK}:${port}` || origin === `http://localhost:${port}`;
}

export async function startPlanServer(options: PlanServerOptions): Promise<PlanServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? (() => {});
  let port = 0;

  const server = createServer(async (req, res) => {
    try {
      const remote = req.socket.remoteAddress;
      if (remote !== LOOPBACK && remote !== `::ffff:${LOOPBACK}`) return send(res, 403, 'forbidden: not loopback');
      if (!hostAllowed(req.headers.host, port)) return send(res, 403, 'forbidden: host');
      const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);

      if (url.pathname === '/api') {
        if (req.method !== 'POST') return send(res, 405, 'method not allowed');
        if (!originAllowed(req.headers.origin, port)) return send(res, 403, 'forbidden: origin');
        if (req.headers[TOKEN_HEADER] !== token) return send(res, 401, 'unauthorized: token');
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, JSON.stringify(badRequestOutcome('wrong_type')), 'application/json; charset=utf-8');
        let payload: { method?: unknown; args?: unknown };
        try {
          payload = JSON.parse(await readBody(req)) as typeof payload;
        } catch (e) {
          // A short Japanese answer the page shows as it is (not 「予期しないエラー」): too large, or not JSON.
          const tooLarge = (e as { tooLarge?: boolean }).tooLarge === true;
          log(`[serve] bad request body: ${e instanceof Error ? e.message : String(e)}`);
          if (tooLarge) res.once('finish', () => req.destroy());
          return send(res, tooLarge ? 413 : 400, JSON.stringify(badRequestOutcome(tooLarge ? 'too_large' : 'not_json')), 'application/json; charset=utf-8');
        }
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
          return send(res, 400, JSON.stringify(badRequestOutcome('not_json')), 'application/json; charset=utf-8');
        // A page that goes away (closed, reloaded) cancels its call: nobody would see the answer.
        const gone = new AbortController();
        res.on('close', () => !res.writableFinished && gone.abort());
        const outcome = await options.handler(payload.method, payload.args, { signal: gone.signal });
        return send(res, 200, JSON.stringify(outcome), 'application/json; charset=utf-8');
      }

      if (!options.staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) return send(res, 404, 'not found');
      let relative: string;
      try {
        relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      } catch {
        return send(res, 400, 'bad request: malformed escape');
      }
      const file = normalize(join(options.staticDir, relative));
      if (!file.startsWith(normalize(options.staticDir) + sep)) return send(res, 403, 'forbidden: path');
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return send(res, 404, 'not found');
      res.writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
      res.end(await readFile(file));
    } catch (e) {
      log(`[serve] ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) send(res, 500, 'internal error');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    token,
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
