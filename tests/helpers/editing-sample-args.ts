/** Arguments for the editing methods (shared/contract/methods/editing.ts) that their schemas accept, on the seed plan. */
type Handle = (method: unknown, args: unknown) => Promise<{ ok: boolean; value?: unknown }>;

export async function editingSampleArgs(method: string, handle: Handle): Promise<unknown> {
  const value = async <T>(m: string, args: unknown) => (await handle(m, args)).value as T;
  const firstRow = async () => (await value<{ id: string; termPlan: string }[]>('actionRows.list', { fiscalYear: 2020 }))[0]!;
  const firstItem = async () => (await value<{ id: string }[]>('overview.list', { fiscalYear: 2021 }))[0]!;
  switch (method) {
    case 'edits.apply': {
      const row = await firstRow();
      return { label: 'test', edits: [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: row.termPlan }] };
    }
    case 'rows.insert':
    case 'rows.deleteImpact':
      return { kind: 'overviewItem', ...(method === 'rows.insert' ? { afterId: (await firstItem()).id } : { id: (await firstItem()).id }) };
    case 'rows.delete':
      return { kind: 'overviewItem', id: (await firstItem()).id };
    case 'rows.move':
      return { kind: 'overviewItem', id: (await firstItem()).id, direction: 'down' };
    case 'history.cell':
      return { cell: { entity: 'actionRow', id: (await firstRow()).id, field: 'termPlan' } };
    case 'unitFocus.list':
      return { which: 'branches' };
    case 'overview.list':
      return { fiscalYear: 2021 };
    default:
      return undefined;
  }
}
