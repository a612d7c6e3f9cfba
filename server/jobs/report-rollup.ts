import { refreshReportRollup } from '../../models/rollup-refresh';
import type { Job } from './job';

/** The desk's report rollup, every minute: rebuilds the days whose leads changed (marked by triggers on leads). */
export const reportRollup: Job = {
  name: 'report-rollup',
  schedule: '15 * * * * *',
  description: 'Rebuilds the report rollup and sample for the days whose leads changed since the last run (large report scopes read them).',
  async run(deps) {
    return refreshReportRollup(deps.db);
  },
};
