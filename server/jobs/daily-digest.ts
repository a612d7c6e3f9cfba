import { sql } from 'drizzle-orm';
import { isWorkingDay } from '../domain/calendar';
import { shanghaiDate } from '../domain/lpr';
import { overdueSql } from '../../models/lead-queries';
import { bankAdminIds, notify } from '../../models/notifications';
import { queryRows } from '../sql';
import type { Job } from './job';

/** 08:30 on working days: each bank's admins hear what waits on them and what was decided yesterday. */
export const dailyDigest: Job = {
  name: 'daily-digest',
  schedule: '30 8 * * *',
  description: 'On working days at 08:30: per bank, new leads, overdue leads and yesterday\'s decisions, to its admins.',
  async run({ db, clock }) {
    const now = clock.now();
    if (!isWorkingDay(now)) return { skipped: 1, banks: 0 };
    const today = shanghaiDate(now);
    const rows = await queryRows<{ bank_id: number; waiting: number; overdue: number; decided: number }>(db, sql`
      select bank_id,
        count(*) filter (where status = 'new')::int as waiting,
        count(*) filter (where ${overdueSql(now)})::int as overdue,
        count(*) filter (where decided_at >= (${today}::date - 1)::timestamp at time zone 'Asia/Shanghai'
          and decided_at < (${today}::date)::timestamp at time zone 'Asia/Shanghai')::int as decided
      from leads group by bank_id`);
    let banks = 0;
    for (const r of rows) {
      if (r.waiting + r.overdue + r.decided === 0) continue;
      banks++;
      await notify(db, await bankAdminIds(db, r.bank_id), {
        kind: 'daily_digest',
        message: { zh: `今日待受理 ${r.waiting} 条，已超时 ${r.overdue} 条，昨日审批 ${r.decided} 条`, en: `Today: ${r.waiting} to accept, ${r.overdue} overdue; ${r.decided} decided yesterday` },
      }, now);
    }
    return { skipped: 0, banks };
  },
};
