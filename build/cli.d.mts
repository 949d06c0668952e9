/** Types of build/cli.mjs (the command line's build); the code is there. */
export const cliOutDir: string;
export const cliMain: string;
export function staleReason(outDir?: string): string | null;
export function buildCli(outDir?: string): Promise<void>;
export function ensureCliBuilt(options?: { quiet?: boolean }): Promise<string>;
/** How Node code of this repository is bundled (esbuild options shared by the command line and the crash test's writer). */
export const nodeBundle: import('esbuild').BuildOptions;
