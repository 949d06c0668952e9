import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { protocol } from 'electron';

export const APP_SCHEME = 'app';

/** The same policy as renderer/index.html, also sent as a header. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Must run before the app is ready. */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * The answer for one app:// request: 400 for a URL whose escapes do not decode (%E0%A4%A), 404 for
 * anything that is not a file inside the renderer folder (other hosts, ../, folders); never a throw.
 */
export async function rendererResponse(root: string, requestUrl: string): Promise<Response> {
  let relative: string;
  let url: URL;
  try {
    url = new URL(requestUrl);
    relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
  } catch {
    return new Response('bad request', { status: 400 });
  }
  const file = normalize(join(root, relative));
  if (url.host !== 'plan' || !file.startsWith(root + sep) || relative.includes('\0')) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, { headers: { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CONTENT_SECURITY_POLICY } });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

/** Serves the built renderer from app://plan/ instead of file://, with the CSP as a header. */
export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir);
  protocol.handle(APP_SCHEME, (request) => rendererResponse(root, request.url));
}
