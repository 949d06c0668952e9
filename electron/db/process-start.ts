import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let bootId: string | undefined;

/**
 * When a process started, as an opaque token: two different processes that had the same PID have
 * different tokens. Linux: the boot id and the start tick from /proc (field 22 of stat); macOS: the
 * start time `ps` prints. Elsewhere (Windows) undefined: a lock there cannot tell a reused PID.
 */
export function processStartOf(pid: number): string | undefined {
  try {
    if (process.platform === 'linux') {
      bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const tick = fields[19];
      return tick ? `${bootId}:${tick}` : undefined;
    }
    if (process.platform === 'darwin') {
      const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }).trim();
      return out || undefined;
    }
  } catch {
    // No such process, or no way to ask.
  }
  return undefined;
}
