/** Types of build/cli.mjs (the command line's build); the code is there. */
export const cliOutDir: string;
export const cliMain: string;
export function staleReason(outDir?: string): string | null;
export function buildCli(outDir?: string): Promise<void>;
export function ensureCliBuilt(options?: { quiet?: boolean }): Promise<string>;
