/** `npm run test:crash`: 200 kills (or the number given), a line per kill, non-zero exit on any problem. */
import { crashTest } from './crash-run';

const kills = Number(process.argv[2] ?? 200);
const report = await crashTest(kills, (l) => console.log(l));
for (const p of report.problems) console.error(p);
console.log(`crash test: ${report.kills} kills, ${report.acknowledged} acknowledged edits, ${report.problems.length} problems`);
console.log(`${report.problems.length === 0 ? report.kills : 0} passed, ${report.problems.length === 0 ? 0 : 1} failed`);
process.exitCode = report.problems.length === 0 ? 0 : 1;
