import type { rollupMethods } from '../../../shared/contract/methods/rollup';
import type { ImplementationOf, ServiceContext } from './context';
import { rollupOf } from '../../model/queries/rollup';

export function rollupImplementation({ ws }: ServiceContext): ImplementationOf<typeof rollupMethods> {
  return {
    'rollup.get': ({ fiscalYear, unitId }) => rollupOf(ws.current.db, { fiscalYear, unitId }),
  };
}
