import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { vi } from 'vitest';
import { runCli } from '../../electron/cli/main';

/** Runs the command line in this process and captures what it prints. */
export async function runCliCaptured(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  try {
    const code = await runCli(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

/** SHA-256 of a file read in chunks (a -wal may be gigabytes). */
function hashFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(16 * 1024 * 1024);
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** A database file and its side files as hashes: equal before and after means not a byte changed, nothing added or removed. */
export function fileState(path: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    state[suffix || 'main'] = !existsSync(path + suffix) ? 'absent' : statSync(path + suffix).isDirectory() ? 'folder' : hashFile(path + suffix);
  return state;
}
