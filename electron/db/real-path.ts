import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The one spelling of a file's location: symbolic links, `..`, and (on case-insensitive disks) the
 * case of the name resolved. Locks and backup folders are keyed by it, so a symlink or another
 * spelling of the same file reaches the same lock. A file that does not exist yet is its resolved
 * folder plus its name.
 */
export function canonicalPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync.native(abs);
  } catch {
    try {
      return join(realpathSync.native(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}
