/** Types of build/floors.mjs (the floors inside electron/, as data); the data and the rule are there. */

export interface ElectronFloor {
  name: string;
  folders: readonly string[];
  kind: 'single' | 'ordered' | 'peers';
}

export const electronFloors: readonly ElectronFloor[];
export const electronImporters: readonly string[];
export const electronFolders: readonly string[];
export function electronFolderOf(relPath: string): string | null;
export function floorViolation(fromRel: string, toRel: string): string | null;
export function electronPackageViolation(fromRel: string): string | null;
