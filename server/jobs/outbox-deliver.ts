import { deliverDue } from '../webhooks';
import type { Job } from './job';

/** Webhook deliveries from the outbox, every 5 seconds. */
export const outboxDeliver: Job = {
  name: 'outbox-deliver',
  schedule: '*/5 * * * * *',
  description: 'Delivers due webhook calls from the transactional outbox (retries with backoff, dead-letters after 12 tries).',
  async run(deps) {
    const total = { delivered: 0, failed: 0, dead: 0 };
    // Drain what is due now, in batches.
    for (let i = 0; i < 20; i++) {
      const r = await deliverDue(deps);
      total.delivered += r.delivered;
      total.failed += r.failed;
      total.dead += r.dead;
      if (r.delivered + r.failed + r.dead < 20) break;
    }
    return total;
  },
};
