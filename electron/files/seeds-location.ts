import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the embedded default plan (seeds/) is: beside the app's resources when packaged
 * (electron-builder extraResources), else at the top of the source tree.
 */
export function seedsDirectory(resourcesPath?: string): string {
  const candidates = [
    ...(resourcesPath ? [join(resourcesPath, 'seeds')] : []),
    join(process.cwd(), 'seeds'),
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'seeds'),
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'seeds'),
  ];
  const found = candidates.find((c) => existsSync(join(c, 'units.yaml')));
  if (!found) throw new Error(`seeds/ not found (looked in ${candidates.join(', ')})`);
  return found;
}
