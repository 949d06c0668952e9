import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { AppError } from '../../shared/contract/errors';

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks this process holds, so a second open in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * One writer per plan database: the app (or the browser-mode server) holds `<file>.lock` while the
 * file is open. A second process is told who has it, instead of two writers racing. A lock left by
 * a process that died on this machine is taken over.
 */
export class WriterLock {
  private released = false;
  private constructor(readonly path: string) {}

  static acquire(dbPath: string): WriterLock {
    const path = `${dbPath}.lock`;
    const me: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, JSON.stringify(me));
        closeSync(fd);
        heldHere.add(path);
        return new WriterLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        let holder: LockInfo | undefined;
        try {
          holder = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
        } catch {
          holder = undefined;
        }
        const mine = holder?.pid === me.pid && holder.host === me.host;
        // An unreadable lock may be one another process is writing right now: stale only when old.
        const unreadableAndOld = !holder && Date.now() - statSync(path).mtimeMs > 5000;
        if (!holder && !unreadableAndOld)
          throw new AppError('database_busy', `「${basename(dbPath)}」は別のプログラムが開こうとしています。少し待ってからもう一度開いてください。`, `${path} is being written by another process`);
        const stale = unreadableAndOld || (holder!.host === me.host && (mine ? !heldHere.has(path) : !alive(holder!.pid)));
        if (!stale)
          throw new AppError(
            'database_busy',
            `「${basename(dbPath)}」は別の計画ワークベンチ（${holder!.host} のプロセス ${holder!.pid}、${holder!.since} から）が開いています。そちらを閉じてから開いてください。`,
            `${dbPath} is locked by pid ${holder!.pid} on ${holder!.host} since ${holder!.since}`,
          );
        rmSync(path, { force: true });
      }
    }
    throw new AppError('database_busy', `「${basename(dbPath)}」を開けません（使用中）。`, `could not take ${path}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.path);
    rmSync(this.path, { force: true });
  }
}
