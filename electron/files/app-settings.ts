import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const Bounds = z.object({ x: z.number().optional(), y: z.number().optional(), width: z.number().min(400), height: z.number().min(300), maximized: z.boolean().default(false) });
const Settings = z.object({
  recentFiles: z.array(z.string()).default([]),
  lastOpened: z.string().optional(),
  window: Bounds.optional(),
});
export type AppSettings = z.infer<typeof Settings>;
export type WindowState = z.infer<typeof Bounds>;

const MAX_RECENT = 10;

/** The app's own small settings (recent files, window state), a JSON file in the user data folder. */
export class SettingsStore {
  private readonly file: string;
  private data: AppSettings;

  constructor(userData: string) {
    this.file = join(userData, 'settings.json');
    this.data = this.read();
  }

  private read(): AppSettings {
    try {
      return Settings.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      // Missing or unreadable settings are not worth stopping the app for: start fresh.
      return Settings.parse({});
    }
  }

  private write(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    renameSync(tmp, this.file);
  }

  get settings(): Readonly<AppSettings> {
    return this.data;
  }

  addRecent(path: string): void {
    this.data.recentFiles = [path, ...this.data.recentFiles.filter((p) => p !== path)].slice(0, MAX_RECENT);
    this.data.lastOpened = path;
    this.write();
  }

  removeRecent(path: string): void {
    this.data.recentFiles = this.data.recentFiles.filter((p) => p !== path);
    this.write();
  }

  saveWindow(state: WindowState): void {
    this.data.window = state;
    this.write();
  }
}
