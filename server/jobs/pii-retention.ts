import { sql } from 'drizzle-orm';
import { queryRows } from '../sql';
import type { Job } from './job';

const DAY = 86_400_000;

/**
 * Nightly: the contact name and phone of requests closed more than PII_RETENTION_DAYS ago are
 * anonymised (and the consent IP addresses dropped). Companies, leads, terms and times stay, so every
 * statistic keeps working.
 */
export const piiRetention: Job = {
  name: 'pii-retention',
  schedule: '0 2 * * *',
  description: 'Nightly: anonymises the contact data of requests closed longer than the retention period.',
  async run({ db, clock, config }) {
    const now = clock.now();
    const cutoff = new Date(now.getTime() - config.piiRetentionDays * DAY);
    const done = await queryRows<{ id: number }>(db, sql`
      with closed as (
        select a.id from applications a
        where a.pii_anonymized_at is null
          and not exists (select 1 from leads l where l.application_id = a.id and l.status in ('new', 'claimed', 'contacted', 'approved'))
          and greatest(a.updated_at, coalesce((select max(l.updated_at) from leads l where l.application_id = a.id), a.updated_at)) < ${cutoff.toISOString()}::timestamptz
      ), anonymised as (
        update applications a set contact_name = '（已匿名）', contact_phone = '', consent_ip = null, pii_anonymized_at = ${now.toISOString()}::timestamptz
        from closed where a.id = closed.id returning a.id
      ), consents_cleared as (
        update consents c set ip = null from anonymised where c.application_id = anonymised.id
      )
      select id from anonymised`);
    return { anonymised: done.length };
  },
};
