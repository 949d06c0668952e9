/**
 * The floors inside electron/, written once as data: the lint rules (eslint.config.js) and the
 * layering test (tests/helpers/layering.ts) both read this file, so the two cannot disagree.
 *
 * Lowest first. A folder may import from its own folder and from any folder below it, never from
 * one above. Inside a floor whose folders are `ordered`, the same holds folder by folder (import/
 * may use export/, never the other way round); in a floor of `peers` (the entry points) no folder
 * imports another: each is a way in of its own and shares only what lies below.
 *
 * Plain ESM data without TypeScript, so that ESLint loads it as it is (types: floors.d.mts).
 */

/** @type {readonly { name: string; folders: readonly string[]; kind: 'single' | 'ordered' | 'peers' }[]} */
export const electronFloors = [
  { name: 'files', folders: ['files'], kind: 'single' },
  { name: 'db', folders: ['db'], kind: 'single' },
  { name: 'model', folders: ['model'], kind: 'single' },
  { name: 'features', folders: ['seed', 'export', 'import', 'workspace'], kind: 'ordered' },
  { name: 'api', folders: ['api'], kind: 'single' },
  { name: 'entry points', folders: ['main', 'server', 'cli', 'preload'], kind: 'peers' },
];

/** The only folders that may import the 'electron' package: the shell. */
export const electronImporters = ['main', 'preload'];

/** Every folder of electron/, lowest first. */
export const electronFolders = electronFloors.flatMap((f) => f.folders);

/** [floor index, index inside the floor] of a folder of electron/, or null for one no floor names. */
function placeOf(folder) {
  for (let i = 0; i < electronFloors.length; i++) {
    const j = electronFloors[i].folders.indexOf(folder);
    if (j >= 0) return [i, j];
  }
  return null;
}

/** The folder of electron/ a repository-relative path ('electron/db/open.ts') lies in, or null outside electron/. */
export function electronFolderOf(relPath) {
  const parts = relPath.split(/[\\/]/);
  return parts[0] === 'electron' && parts.length > 2 ? parts[1] : null;
}

/**
 * Why a file of electron/ may not import another, both given repository-relative with '/', or null
 * when it may. Only imports between two folders of electron/ are judged here.
 */
export function floorViolation(fromRel, toRel) {
  const from = electronFolderOf(fromRel);
  const to = electronFolderOf(toRel);
  if (from === null || to === null || from === to) return null;
  const a = placeOf(from);
  const b = placeOf(to);
  if (a === null) return `electron/${from}/ is on no floor: name it in build/floors.mjs`;
  if (b === null) return `electron/${to}/ is on no floor: name it in build/floors.mjs`;
  const floorA = electronFloors[a[0]];
  const floorB = electronFloors[b[0]];
  if (a[0] < b[0]) return `electron/${from}/ (floor ${floorA.name}) may not import electron/${to}/ on the higher floor ${floorB.name}`;
  if (a[0] > b[0]) return null;
  if (floorA.kind === 'peers') return `the entry points do not import each other: electron/${from}/ imports electron/${to}/`;
  if (a[1] < b[1]) return `electron/${from}/ may not import electron/${to}/, above it on the floor ${floorA.name} (${floorA.folders.join(' → ')})`;
  return null;
}

/** Why a file of electron/ may not import the 'electron' package, or null when it may. */
export function electronPackageViolation(fromRel) {
  const from = electronFolderOf(fromRel);
  if (from !== null && electronImporters.includes(from)) return null;
  return `only the shell (${electronImporters.map((f) => `electron/${f}`).join(', ')}) imports 'electron'`;
}
