/**
 * `npm run plan -- <command>`: runs the built command line (out/cli/main.js), building it first when
 * it is missing or older than its sources (build/cli.mjs), so a fresh clone works and an edit is
 * never run stale. The build's note goes to stderr only: stdout stays the command's (JSON, paths).
 */
import { pathToFileURL } from 'node:url';
import { ensureCliBuilt } from './cli.mjs';

const built = await ensureCliBuilt();
const { main } = await import(pathToFileURL(built).href);
await main(process.argv.slice(2));
