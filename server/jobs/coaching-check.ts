import { Catalogue } from '../catalogue';
import { rematchCoachingCases, syncCoachingWithApplications } from '../coaching';
import { activeCoachingStatuses } from '../domain/coaching';
import { shanghaiDate } from '../domain/lpr';
import { dueGaps, markGapsReminded } from '../../models/coaching';
import { deskIds, notify } from '../../models/notifications';
import { queueSms } from '../sms/outbox';
import type { Job } from './job';

const DAY = 86_400_000;
/** A gap is brought up this many days before its date (and once, if the date has already passed). */
export const REMIND_DAYS_AHEAD = 3;

/**
 * Daily at 08:40: coaching cases follow what happened — a request the company sent links its case (applied), a
 * disbursed lead finances it, the case's own profile is matched again (ready when a target product fits), and
 * the desk is reminded once of each gap due within three days, and a company that opted in gets a text.
 */
export const coachingCheck: Job = {
  name: 'coaching-check',
  schedule: '40 8 * * *',
  description: 'Daily at 08:40: coaching cases linked to the requests their companies sent, re-matched (ready when a target product fits), and gap due dates reminded to the desk (and by SMS to companies that opted in).',
  async run({ db, clock, logger }) {
    const now = clock.now();
    const { applied, financed } = await syncCoachingWithApplications(db);
    const ready = await rematchCoachingCases(db, await new Catalogue(db, clock, logger).current(), now);
    const reminded = await db.transaction(async (tx) => {
      const due = await dueGaps(tx, shanghaiDate(new Date(now.getTime() + REMIND_DAYS_AHEAD * DAY)), activeCoachingStatuses);
      if (due.length === 0) return 0;
      const desk = await deskIds(tx);
      const byCase = new Map<number, typeof due>();
      for (const d of due) byCase.set(d.kase.id, [...(byCase.get(d.kase.id) ?? []), d]);
      for (const items of byCase.values()) {
        const { kase } = items[0]!;
        const what = items.map((i) => `${i.gap.plan}（${i.gap.dueOn}）`).join('；');
        await notify(tx, desk, {
          kind: 'coaching_due',
          message: { zh: `信用辅导到期提醒：${kase.companyName} — ${what}`, en: `Coaching due: ${kase.companyName} — ${items.map((i) => `${i.gap.plan} (${i.gap.dueOn})`).join('; ')}` },
        }, now);
        // The company hears of it too when it opted in: one text per gap, in the reminder's transaction.
        if (kase.smsOptIn && kase.phone) {
          for (const { gap } of items) {
            await queueSms(tx, null, {
              phone: kase.phone, template: 'coaching', purpose: 'coaching', dedupeKey: `coaching-gap:${gap.id}`,
              params: { company: kase.companyName, plan: gap.plan, due: gap.dueOn },
            }, now);
          }
        }
      }
      await markGapsReminded(tx, due.map((d) => d.gap.id), now);
      return due.length;
    });
    return { applied, financed, ready, reminded };
  },
};
