import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob, sep } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_FOLDER_NAME, DB_EXTENSION } from '../../electron/files/paths';
import { seedsDirectory } from '../../electron/files/seeds-location';
import { readSeedDirectory } from '../../electron/seed/read-seeds';
import { tempDir } from '../helpers/temp';

const root = join(import.meta.dirname, '..', '..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('installer configuration (electron-builder.yml)', () => {
  it("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('never rebuilds better-sqlite3 and unpacks its binary from the asar', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
  });

  it('makes Windows (per-user NSIS, Japanese and English), macOS (hardened dmg) and Linux (AppImage) installers', () => {
    const win = config.win as { target: string[] };
    const nsis = config.nsis as { perMachine: boolean; installerLanguages: string[]; shortcutName: string };
    expect(win.target).toContain('nsis');
    expect(nsis.perMachine).toBe(false);
    expect(nsis.installerLanguages).toEqual(expect.arrayContaining(['ja_JP', 'en_US']));
    expect(nsis.shortcutName).toBe('計画ワークベンチ');
    const mac = config.mac as { target: string[]; hardenedRuntime: boolean; entitlements: string };
    expect(mac.target).toContain('dmg');
    expect(mac.hardenedRuntime).toBe(true);
    expect(existsSync(join(root, mac.entitlements))).toBe(true);
    expect((config.linux as { target: string[] }).target).toContain('AppImage');
    expect(existsSync(join(root, config.icon as string))).toBe(true);
  });

  it('associates plan database files and keeps the user data folder the app and the command line share', () => {
    const assoc = config.fileAssociations as { ext: string }[];
    expect(assoc.map((a) => a.ext)).toContain(DB_EXTENSION);
    expect(config.productName).toBe(APP_FOLDER_NAME);
  });

  it('flips the Electron fuses that turn the app into a general-purpose Node', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('ships the embedded default plan: the packed app finds the whole plan among the files its resources get', () => {
    // What electron-builder copies into the app's resources folder, by the rules of extraResources.
    const t = tempDir();
    try {
      const resources = join(t.dir, 'resources');
      for (const { from, to, filter } of config.extraResources as { from: string; to: string; filter?: string[] }[])
        for (const file of readdirSync(join(root, from), { recursive: true, encoding: 'utf8' })) {
          const path = file.split(sep).join('/');
          if (filter && !filter.some((f) => matchesGlob(path, f))) continue;
          cpSync(join(root, from, file), join(resources, to, file), { recursive: true });
        }
      // The app looks there first (app.isPackaged: process.resourcesPath), whatever folder it runs from.
      const found = seedsDirectory(resources);
      expect(found).toBe(join(resources, 'seeds'));
      expect(readSeedDirectory(found)).toEqual(readSeedDirectory(join(root, 'seeds')));
    } finally {
      t.cleanup();
    }
  });
});
