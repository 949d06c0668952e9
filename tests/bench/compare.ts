/**
 * Prints the SQLite figures of a bench run beside those of an earlier one, as `npm run bench --
 * --before FILE` does at the end of a run: `tsx tests/bench/compare.ts <before.json> [after.json]`
 * (after: bench/results.json when left out).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printBeforeAfter, type Figures } from './report';

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile) {
  console.error('usage: tsx tests/bench/compare.ts <before results.json> [after results.json]');
  process.exit(2);
}
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { scales: Figures[] };
printBeforeAfter(read(afterFile ?? join(import.meta.dirname, '..', '..', 'bench', 'results.json')).scales, read(beforeFile));
