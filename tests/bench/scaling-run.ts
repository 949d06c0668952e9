/**
 * The scaling figures of `npm run bench` in their own process: the same work at two sizes, each
 * time beside the data ratio (linear work grows like the data; a quadratic step like its square).
 * Prints one JSON object on stdout. Usage: scaling-run.ts <work folder> quick|full
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { exportReadBack, importNewTargets, listsAndLayouts, scaledPlan } from './scaling';

const [dir, mode] = process.argv.slice(2);
const quick = mode === 'quick';
const work = mkdtempSync(join(dir!, 'scaling-'));
const [small, large] = quick ? [1, 10] : [10, 100];
const [fewRows, manyRows] = quick ? [1000, 4000] : [1000, 16000];

const log = (s: string) => console.error(`  … ${s}`);
const seedPlan = await scaledPlan(work, 1);
log(`fill-in workbook with ${fewRows} and ${manyRows} new targets`);
const importFew = await importNewTargets(seedPlan, work, fewRows);
const importMany = await importNewTargets(seedPlan, work, manyRows);
const plans = { small: await scaledPlan(work, small), large: await scaledPlan(work, large) };
log(`export read-back at ${small}× and ${large}×`);
const readBackSmall = await exportReadBack(plans.small, work);
const readBackLarge = await exportReadBack(plans.large, work);
log(`lists and layouts at ${small}× and ${large}×`);
const listsSmall = await listsAndLayouts(plans.small, quick ? 3 : 5);
const listsLarge = await listsAndLayouts(plans.large, quick ? 3 : 5);

process.stdout.write(
  JSON.stringify({
    newTargets: { rows: [fewRows, manyRows], small: importFew, large: importMany },
    plans: { factors: [small, large], readBack: [readBackSmall, readBackLarge], lists: [listsSmall, listsLarge] },
  }) + '\n',
);
