import { eq, inArray } from 'drizzle-orm';
import { addWorkingMs, CalendarGapError } from '../domain/calendar';
import { slaMarks } from '../../models/jobs';
import { leads, type LeadRow } from '../../models/leads';
import { bankAdminIds, deskIds, notify } from '../../models/notifications';
import { userIdsWhere } from '../../models/lead-queries';
import { actsOnLead } from '../policies';
import type { Executor } from '../db';
import type { Job } from './job';
import { queueApplicantMessage } from '../sms/applicant-messages';
import { overdueStage, type OverdueStage } from '../domain/lead-lifecycle';

/** Warnings go out this much working time before a deadline. */
const WARN_MS = 2 * 3_600_000;

type Stage = OverdueStage;
const names: Record<Stage, { zh: string; en: string }> = {
  accept: { zh: '受理', en: 'acceptance' }, contact: { zh: '首次联系', en: 'first contact' }, decision: { zh: '审批', en: 'decision' },
};

/** The deadlines still running for a lead in its status (each warned once before it falls due). */
function running(l: LeadRow): [Stage, Date][] {
  const out: [Stage, Date | null][] = l.status === 'new' ? [['accept', l.acceptDueAt]]
    : l.status === 'claimed' ? [['contact', l.contactDueAt], ['decision', l.decisionDueAt]]
      : [['decision', l.decisionDueAt]];
  return out.filter((x): x is [Stage, Date] => x[1] !== null);
}

/** Inserts the mark; true only for the one run (of any instance) that made it. */
async function markOnce(tx: Executor, leadId: number, kind: string, now: Date): Promise<boolean> {
  return (await tx.insert(slaMarks).values({ leadId, kind, at: now }).onConflictDoNothing().returning({ leadId: slaMarks.leadId })).length > 0;
}

function warnAt(due: Date): Date {
  try {
    return addWorkingMs(due, -WARN_MS);
  } catch (err) {
    if (err instanceof CalendarGapError) return new Date(due.getTime() - WARN_MS);
    throw err;
  }
}

/**
 * Every minute: warns the bank two working hours before a deadline, marks a missed deadline overdue
 * (telling the bank's admins and the desk), and hands a lead nobody accepted back to the desk after the
 * escalation deadline. Each happens once per lead and deadline (a unique mark), whichever instance
 * or run gets there first.
 */
export const slaCheck: Job = {
  name: 'sla-check',
  schedule: '* * * * *',
  description: 'Warns before SLA deadlines, marks overdue leads, hands unaccepted leads back to the desk.',
  async run({ db, clock }) {
    const now = clock.now();
    const counts = { warned: 0, overdue: 0, escalated: 0 };
    const open = await db.select().from(leads).where(inArray(leads.status, ['new', 'claimed', 'contacted']));
    const desk = await deskIds(db);
    for (const l of open) {
      // Overdue means what the lead answers (overdueStage): one late step at a time, marked once.
      const late = overdueStage(l, now);
      if (late) {
        await db.transaction(async (tx) => {
          if (!(await markOnce(tx, l.id, `overdue_${late}`, now))) return;
          counts.overdue++;
          await notify(tx, [...(await bankAdminIds(tx, l.bankId)), ...desk], { kind: 'sla_overdue', leadId: l.id, message: { zh: `线索 #${l.id} ${names[late].zh}已超时`, en: `Lead #${l.id}: ${names[late].en} overdue` } }, now);
        });
      }
      // A lead handed back to the desk is the desk's to place: no more warnings to the bank, no second hand-back.
      if (l.escalatedAt) continue;
      for (const [stage, due] of running(l)) {
        if (due > now && now >= warnAt(due)) {
          await db.transaction(async (tx) => {
            if (!(await markOnce(tx, l.id, `warn_${stage}`, now))) return;
            counts.warned++;
            const to = await userIdsWhere(tx, actsOnLead(l));
            await notify(tx, to, { kind: 'sla_warning', leadId: l.id, message: { zh: `线索 #${l.id} 距${names[stage].zh}期限不足 2 个工作小时`, en: `Lead #${l.id}: ${names[stage].en} due within 2 working hours` } }, now);
          });
        }
      }
      if (l.status === 'new' && l.escalateAt && now >= l.escalateAt) {
        await db.transaction(async (tx) => {
          if (!(await markOnce(tx, l.id, 'escalated', now))) return;
          counts.escalated++;
          await tx.update(leads).set({ escalatedAt: now, updatedAt: now }).where(eq(leads.id, l.id));
          await queueApplicantMessage(tx, l, 'lead.escalated', now);
          await notify(tx, [...(await bankAdminIds(tx, l.bankId)), ...desk], { kind: 'sla_escalated', leadId: l.id, message: { zh: `线索 #${l.id} 逾期未受理，已退回专窗重新分派`, en: `Lead #${l.id} was not accepted in time and is back with the desk for reassignment` } }, now);
        });
      }
    }
    return counts;
  },
};
