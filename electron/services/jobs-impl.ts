import type { jobMethods } from '../../shared/contract/methods/jobs';
import type { ImplementationOf, ServiceContext } from './implementation';

/** Progress and cancel of the long calls, by the job key the page gave them (electron/services/calls.ts). */
export function jobsImplementation({ calls }: ServiceContext): ImplementationOf<typeof jobMethods> {
  return {
    'jobs.progress': ({ key }) => calls.progressOf(key),
    'jobs.cancel': ({ key }) => ({ cancelled: calls.cancel(key) }),
  };
}
