import { it } from 'vitest';
import { analyzeImport } from '../../electron/import/import-session';
import { readPlanState } from '../../electron/model/plan-state';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { engines, seededPlan } from '../helpers/engines';
import { handoutOf } from '../helpers/import-guard';

it('measures', async () => {
  for (const engine of engines) {
    const p = await seededPlan(engine);
    const t = async (label: string, fn: () => Promise<unknown>) => {
      await fn();
      const t0 = performance.now();
      for (let i = 0; i < 3; i++) await fn();
      console.log(engine, label, Math.round((performance.now() - t0) / 3), 'ms');
    };
    const { bytes } = await handoutOf(p.db, '国際部');
    await t('handout', () => handoutOf(p.db, '国際部'));
    await t('analyze', () => analyzeImport(p.db, p.location, { name: 'x.xlsx', bytes }));
    await t('readPlanState', () => readPlanState(p.db));
    await t('planDocumentData', () => planDocumentData(p.db));
    await p.cleanup();
  }
}, 300000);
