import { randomUUID } from 'node:crypto';

/** Arguments for the import methods (shared/contract/methods/import.ts) that their schemas accept, on the seed plan. */
type Handle = (method: unknown, args: unknown) => Promise<{ ok: boolean; value?: unknown }>;

export async function importSampleArgs(method: string, handle: Handle): Promise<unknown> {
  const value = async <T>(m: string, args: unknown) => (await handle(m, args)).value as T;
  const handout = async () => {
    const unit = (await value<{ id: string; name: string }[]>('units.list', {})).find((u) => u.name === '国際部')!;
    return { unitId: unit.id, fiscalYear: 2021 };
  };
  const upload = async () => ({ kind: 'upload', fileName: '記入用.xlsx', base64: (await value<{ base64: string }>('import.handoutWorkbook', await handout())).base64 });
  switch (method) {
    case 'import.handoutWorkbook':
      return handout();
    case 'import.analyze':
      return { source: await upload() };
    case 'import.apply':
      return { reviewId: (await value<{ review: { reviewId: string } }>('import.analyze', { source: await upload() })).review.reviewId, take: [], keep: [] };
    case 'import.discard':
      return { reviewId: randomUUID() };
    default:
      return undefined;
  }
}
