import { dropTestTemplates } from './db';

/** Mocha root hooks (loaded by .mocharc.json `require`): the run's migrated template goes when the run ends. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await dropTestTemplates();
  },
};
