import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkIntegrity, openPlanDatabase } from '../../electron/db/open';
import { readSeedDirectory } from '../../electron/seed/read-seeds';
import { createDatabase } from '../../electron/workspace/create-database';
import { crashLayout } from './layout';

const root = join(import.meta.dirname, '..', '..');

export interface CrashReport {
  kills: number;
  acknowledged: number;
  /** Whether any import was acknowledged (imports are one op in six). */
  imports: boolean;
  problems: string[];
}

interface Acks {
  single: Map<string, number>;
  block: number;
  numbers: number;
  imports: number;
  count: number;
  last: number;
}

function runVictim(dbPath: string, start: number, killAfterMs: number, acks: Acks): Promise<void> {
  return new Promise((resolve, reject) => {
    // The worker runs in this very Node with tsx as a loader: the `tsx` command would start a second
    // process, and a SIGKILL of the first would leave the writer running.
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests', 'crash', 'worker.ts'), dbPath, String(start)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buffer += c.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'ready') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        const m = /^ack (\d+) (\w+)(?: (\S+))?$/.exec(line);
        if (!m) continue;
        const op = Number(m[1]);
        acks.count++;
        acks.last = Math.max(acks.last, op);
        if (m[2] === 'single') acks.single.set(m[3]!, op);
        else if (m[2] === 'block') acks.block = op;
        else if (m[2] === 'import') acks.imports = op;
        else acks.numbers = op;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`worker ended by itself (${code}): ${err}`));
    });
  });
}

const opOf = (value: unknown, prefix: string): number => {
  const m = new RegExp(`^${prefix}(\\d+)$`).exec(String(value));
  return m ? Number(m[1]) : -1;
};

/** Kills a writing process `kills` times and checks the database after each kill. */
export async function crashTest(kills: number, log: (line: string) => void = () => {}): Promise<CrashReport> {
  const dir = mkdtempSync(join(tmpdir(), 'plan-crash-'));
  const dbPath = join(dir, 'crash.plandb');
  await (await createDatabase(dbPath, readSeedDirectory(join(root, 'seeds')))).db.close();
  const acks: Acks = { single: new Map(), block: -1, numbers: -1, imports: -1, count: 0, last: 0 };
  const problems: string[] = [];
  try {
    for (let i = 0; i < kills; i++) {
      // Every run starts a new op sequence (a run killed before its first ack must not repeat the
      // same one), and every other run lives long enough for an import, whose reader process
      // takes about a second to start, to reach its write.
      const window = i % 2 === 0 ? 300 : 2000;
      await runVictim(dbPath, acks.last + 1_000_000 * (i + 1), 20 + Math.floor(Math.random() * window), acks);
      const db = openPlanDatabase(dbPath, { create: false }).db;
      try {
        if (db.engine !== 'sqlite') throw new Error('the crash test checks a plan file');
        const layout = await crashLayout(db);
        const bad = (why: string) => problems.push(`kill ${i + 1}: ${why}`);
        for (const p of checkIntegrity(db.sqlite)) bad(`integrity: ${p}`);
        // One query per group of rows: the values by id, in the layout's order.
        const termPlans = async (ids: string[]) => {
          if (ids.length === 0) return [];
          const found = new Map((await db.q.selectFrom('action_row').select(['id', 'term_plan']).where('id', 'in', ids).execute()).map((r) => [r.id, r.term_plan]));
          return ids.map((id) => found.get(id) ?? '');
        };
        const block = await termPlans(layout.blockRows);
        if (new Set(block).size !== 1) bad(`half a paste: block rows hold ${[...new Set(block)].join(', ')}`);
        if (acks.block >= 0 && opOf(block[0], 'b') < acks.block) bad(`acknowledged paste b${acks.block} lost (found ${block[0]})`);
        const singles = [...acks.single];
        const singlePlans = await termPlans(singles.map(([row]) => row));
        singles.forEach(([row, op], k) => {
          if (opOf(singlePlans[k], 'v') < op) bad(`acknowledged edit v${op} of ${row} lost (found ${singlePlans[k]})`);
        });
        const actuals = new Map(
          (await db.q.selectFrom('target_value').select(['target_id', 'actual_value']).where('target_id', 'in', layout.targets).where('fiscal_year', '=', 2020).execute()).map((r) => [r.target_id, r.actual_value]),
        );
        const numbers = layout.targets.map((t) => actuals.get(t) ?? null);
        if (new Set(numbers).size !== 1) bad(`half a number paste: ${numbers.join(', ')}`);
        if (acks.numbers >= 0 && (numbers[0] ?? -1) < acks.numbers) bad(`acknowledged number paste ${acks.numbers} lost (found ${numbers[0]})`);
        const imported = await termPlans(layout.importRows);
        const importedValues = new Set(imported.filter((v) => /^i\d+$/.test(v)));
        if (importedValues.size > 1 || (importedValues.size === 1 && imported.some((v) => !/^i\d+$/.test(v))))
          bad(`half an import: ${[...new Set(imported)].join(', ')}`);
        if (acks.imports >= 0 && opOf(imported[0], 'i') < acks.imports) bad(`acknowledged import i${acks.imports} lost (found ${imported[0]})`);
      } finally {
        await db.close();
      }
      log(`kill ${i + 1}/${kills}: ${acks.count} edits acknowledged so far (${acks.imports >= 0 ? 'imports included' : 'no import yet'}), ${problems.length} problems`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { kills, acknowledged: acks.count, imports: acks.imports >= 0, problems };
}
