/**
 * `npm run test:crash` (N = 67: about 200 in all): N kills (default 200) of each part of the crash test (crash-run.ts): SIGKILL
 * of a writer on a plan file, SIGKILL of a writer on PostgreSQL, immediate shutdown of PostgreSQL
 * under a writer. A line per kill, a summary per part, a non-zero exit on any problem.
 *
 *   tsx tests/crash/main.ts [N] [part…]     parts: sqlite-kill postgres-kill postgres-stop (default all)
 */
import { type CrashPart, crashParts, crashTest } from './crash-run';

const kills = Number(process.argv[2] ?? 200);
const chosen = process.argv.slice(3) as CrashPart[];
const unknown = chosen.filter((p) => !crashParts.includes(p));
if (!Number.isInteger(kills) || kills < 1 || unknown.length > 0) {
  console.error(`usage: tsx tests/crash/main.ts [N] [${crashParts.join(' | ')} …]`);
  process.exit(2);
}
const parts = chosen.length > 0 ? chosen : crashParts;
const reports = await crashTest(Object.fromEntries(parts.map((p) => [p, kills])), (l) => console.log(l));
let failed = 0;
for (const r of reports) {
  for (const p of r.problems) console.error(p);
  // A part whose writer was never interrupted inside an import has not tested what it is for.
  const missing = r.imports ? [] : ['no import was acknowledged'];
  for (const m of missing) console.error(`${r.part}: ${m}`);
  if (r.problems.length + missing.length > 0) failed++;
  console.log(`${r.part}: ${r.kills} kills, ${r.acknowledged} acknowledged, ${r.problems.length} problems, ${r.seconds.toFixed(0)} s`);
  for (const e of r.errorsWhileDown) console.log(`  the writer was told while the server was down: ${e}`);
}
console.log(`${reports.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
