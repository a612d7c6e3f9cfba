import { lapseAssisted } from '../../models/assisted';
import type { Job } from './job';

/** Every 10 minutes: assisted applications the owner did not confirm within 72 hours lapse (the pages read the same rule). */
export const assistedLapse: Job = {
  name: 'assisted-lapse',
  schedule: '*/10 * * * *',
  description: 'Every 10 minutes: assisted applications not confirmed by the owner within 72 hours lapse.',
  async run({ db, clock }) {
    return { lapsed: await lapseAssisted(db, clock.now()) };
  },
};
