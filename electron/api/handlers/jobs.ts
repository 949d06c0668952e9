import type { jobMethods } from '../../../shared/contract/methods/jobs';
import type { ImplementationOf, ServiceContext } from './context';

/** Progress and cancel of the long calls, by the job key the page gave them (electron/api/calls.ts). */
export function jobsImplementation({ calls }: ServiceContext): ImplementationOf<typeof jobMethods> {
  return {
    'jobs.progress': ({ key }) => calls.progressOf(key),
    'jobs.cancel': ({ key }) => ({ cancelled: calls.cancel(key) }),
  };
}
