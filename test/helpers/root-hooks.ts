import type { Context, Suite } from 'mocha';
import { dropTestTemplates, prepareTestTemplate } from './db';

/** Whether the run holds a file that opens test databases (integration or browser tests, not only unit tests). */
function needsDatabase(suite: Suite | undefined): boolean {
  return (suite?.suites ?? []).some((s) => /[/\\](integration|e2e)[/\\]/.test(s.file ?? '') || needsDatabase(s));
}

/**
 * Mocha root hooks (loaded by .mocharc.json `require`): the run's migrated template is made once before
 * the first file (migrating takes tens of seconds on a busy machine, more than a file's `before` may
 * take) and dropped when the run ends.
 */
export const mochaHooks = {
  async beforeAll(this: Context): Promise<void> {
    this.timeout(300_000);
    if (needsDatabase(this.test?.parent)) await prepareTestTemplate();
  },
  async afterAll(): Promise<void> {
    await dropTestTemplates();
  },
};
