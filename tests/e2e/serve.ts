import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Served {
  url: string;
  origin: string;
  dbPath: string;
  dir: string;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');

/**
 * Starts the real browser mode (`electron/server/serve-main.ts`, as `npm run serve` does) on a
 * database in a temporary folder; on first start it is created from the real seeds.
 */
export async function startServe(options: { dir?: string; dbPath?: string } = {}): Promise<Served> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'plan-e2e-'));
  const dbPath = options.dbPath ?? join(dir, 'plan.plandb');
  const child: ChildProcess = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['electron/server/serve-main.ts', '--db', dbPath], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PLAN_WORKBENCH_USER_DATA: dir },
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${stderr}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    dbPath,
    dir,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
