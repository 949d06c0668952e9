import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');

interface Finding {
  rule: string;
  file: string;
  line: number | undefined;
  message: string;
}
interface Allowed {
  rule: string;
  scan: string;
  file?: string;
  reason: string;
}

/** Runs electronegativity over a source folder and returns its findings (it always exits 0: read the SARIF). */
function scan(folder: string): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), 'en-'));
  try {
    const out = join(dir, 'result.sarif');
    const r = spawnSync(process.execPath, [cli, '-i', join(root, folder), '-o', out, '-r', '-e', '45.4.1'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    if (r.error) throw r.error;
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: { results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine?: number } } }[] }[] }[];
    };
    return sarif.runs.flatMap((run) =>
      run.results.map((res) => ({
        rule: res.ruleId,
        file: res.locations[0]?.physicalLocation.artifactLocation.uri ?? '',
        line: res.locations[0]?.physicalLocation.region.startLine,
        message: res.message.text,
      })),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const allowList = (JSON.parse(readFileSync(join(root, 'build', 'electronegativity-allow.json'), 'utf8')) as { allow: Allowed[] }).allow;

describe('Electron security scan (electronegativity) over the sources', () => {
  it('finds nothing that is not in the reviewed allow-list', () => {
    const unexpected = ['electron', 'renderer'].flatMap((folder) =>
      scan(folder).filter((f) => !allowList.some((a) => a.scan === folder && a.rule === f.rule && (!a.file || a.file === f.file))),
    );
    expect(unexpected).toEqual([]);
  }, 180_000);

  it('every allowed finding has a reason', () => {
    for (const a of allowList) expect(a.reason.length, a.rule).toBeGreaterThan(20);
  });
});
