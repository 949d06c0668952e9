import { basename } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { type OpenedDatabase, openPlanDatabase } from '../db/open';

/**
 * The plan database that is open right now. The shell swaps it on File › Open / New; the
 * service methods always read through `current`, so there is one source of truth.
 */
export class Workspace {
  private opened: OpenedDatabase | null = null;

  constructor(readonly appVersion: string) {}

  open(path: string): OpenedDatabase {
    return this.use(openPlanDatabase(path));
  }

  /** Makes an already opened database the current one (e.g. one just created from the seeds). */
  use(next: OpenedDatabase): OpenedDatabase {
    this.close();
    this.opened = next;
    return next;
  }

  get current(): OpenedDatabase {
    if (!this.opened) throw new AppError('not_found', 'データベースが開かれていません。', 'no database is open');
    return this.opened;
  }

  get fileName(): string {
    return this.opened ? basename(this.opened.path) : '';
  }

  close(): void {
    if (this.opened) {
      this.opened.sqlite.close();
      this.opened = null;
    }
  }
}
