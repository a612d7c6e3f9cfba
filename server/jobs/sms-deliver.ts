import { deliverDueSms } from '../sms/outbox';
import type { Job } from './job';

/** Applicants' SMS from the outbox, every 5 seconds. */
export const smsDeliver: Job = {
  name: 'sms-deliver',
  schedule: '*/5 * * * * *',
  description: 'Sends due SMS from the outbox through SMS_PROVIDER (retries with backoff, dead-letters after 8 tries or a permanent vendor refusal; quiet hours 22:00–08:00 for non-urgent messages).',
  async run(deps) {
    const total = { sent: 0, failed: 0, dead: 0 };
    for (let i = 0; i < 20; i++) {
      const r = await deliverDueSms(deps);
      total.sent += r.sent;
      total.failed += r.failed;
      total.dead += r.dead;
      if (r.sent + r.failed + r.dead < 50) break;
    }
    return total;
  },
};
