import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import { jsonErrorOffset } from './json-position';
import { SeedActionPage, SeedBranches, SeedBundle, SeedOverview, SeedPlan, SeedUnits } from '../../shared/seed/schema';

export class SeedError extends Error {
  constructor(readonly problems: string[]) {
    super(`seed data is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'SeedError';
  }
}

function describePath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(top)';
}

/** Validates one parsed file; the problems name the file, the entry and the field. */
export function validate<S extends z.ZodType>(schema: S, data: unknown, file: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new SeedError(result.error.issues.map((i) => `${file}: ${describePath(i.path)}: ${i.message}`));
}

function readYaml(path: string, label: string): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new SeedError([`${label}: ${e instanceof Error ? e.message : String(e)}`]);
  }
}

/** Reads seeds/ (YAML files as FORMAT.md describes) into one validated bundle. */
export function readSeedDirectory(dir: string): SeedBundle {
  const file = (name: string) => join(dir, name);
  const label = (path: string) => `seeds/${relative(dir, path)}`;
  const load = <S extends z.ZodType>(schema: S, path: string) => validate(schema, readYaml(path, label(path)), label(path));

  const pageFiles = readdirSync(file('action-plan'))
    .filter((f) => /^page-\d+\.ya?ml$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  const overviewFiles = readdirSync(dir).filter((f) => /^overview-\d{4}\.ya?ml$/.test(f)).sort();
  const bundle: SeedBundle = {
    plan: load(SeedPlan, file('plan.yaml')),
    units: load(SeedUnits, file('units.yaml')),
    actionPlan: pageFiles.map((f) => load(SeedActionPage, join(dir, 'action-plan', f))),
    branches: load(SeedBranches, file('branches.yaml')),
    overviews: overviewFiles.map((f) => load(SeedOverview, file(f))),
  };
  return validate(SeedBundle, bundle, 'seeds/');
}

/** Line and column (1-based) of a character position in `text`. */
function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/**
 * Parses a dump's text: a UTF-8 byte order mark (Windows editors add one) is skipped; text that is
 * not JSON is refused in Japanese with the line and column where reading stopped.
 */
export function parseDumpText(raw: string, fileName: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = /position (\d+)/.exec(message);
    const at = text.trim() === '' ? null : lineAndColumn(text, position ? Number(position[1]) : jsonErrorOffset(text));
    const where = at ? `${at.line} 行 ${at.column} 文字目付近で読めなくなりました` : '中身が空です';
    throw new AppError(
      'bad_file',
      `「${excerpt(fileName, 60)}」は JSON として読めません（${where}）。dump コマンドで書き出したファイルを、書き換えずに指定してください。`,
      `${fileName}: not JSON: ${message.slice(0, 200)}`,
      at ? `${at.line}:${at.column}` : undefined,
    );
  }
}

/** Reads a dump (`npm run plan -- dump`), the same bundle as JSON. */
export function readSeedDump(path: string): SeedBundle {
  const name = basename(path);
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('not_found', `ダンプファイル「${name}」が見つかりません。`, `${path} does not exist`);
    if (code === 'EISDIR') throw new AppError('bad_file', `「${name}」はフォルダーです。ダンプファイル（.json）を指定してください。`, `${path} is a directory`);
    throw e;
  }
  return validate(SeedBundle, parseDumpText(raw, name), path);
}
