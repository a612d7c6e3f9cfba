import { eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { executeTogether, insertRowsSql, queryPrepared } from '../server/sql';
import { applications, companies, consents, idempotencyKeys } from './applications';
import { leadEvents, leads, type LeadRow } from './leads';

/**
 * The submission's own statements (server/commands/submit-application.ts), each in the caller's
 * transaction. A request is written in four round trips whatever it holds: BEGIN, `openSubmission`,
 * the checks (`submissionChecks`, with the policies and routes), `writeSubmission`, COMMIT. Each
 * round trip costs both processes a socket write and a wake-up, and was most of a submission's cost.
 */

export interface Opened {
  /** False: another request holds the Idempotency-Key (nothing was written; read it with `findIdempotencyKey`). */
  go: boolean;
  companyId: number;
  applicationId: number;
  /** Ids taken for the leads, ascending. */
  leadIds: number[];
  /** The per-company rate-limit hit counted with this request, when one was asked for. */
  hit?: { hits: number; reset_at: string | Date };
}

/**
 * One statement: takes the Idempotency-Key (when given); unless another request holds it, upserts the
 * company by USCC, counts the rate-limit hit and takes the ids of the application and its leads from their
 * sequences. ON CONFLICT … DO UPDATE also locks the company row: one company's submissions run one at a
 * time, and the checks that follow (a later statement, so a later snapshot) see the one before.
 */
export async function openSubmission(tx: Executor, o: {
  key?: string; requestHash: string; now: Date; company: typeof companies.$inferInsert; leadCount: number;
  /** The rate-limit hit to count, given the condition it runs under (counted only when the key is not another request's). */
  hit?: (when: SQL) => SQL;
}): Promise<Opened> {
  const go = sql`(select ok from go)`;
  // The columns insertRowsSql writes (a key set to undefined is not one), updated with what was sent.
  const columns = Object.keys(o.company).filter((k) => o.company[k as keyof typeof o.company] !== undefined).map((k) => sql.identifier(companies[k as keyof typeof o.company].name));
  const [row] = await queryPrepared<{ go: boolean; company_id: number; application_id: number; lead_ids: number[]; hit: Opened['hit'] | null }>(tx, sql`
    with claim as (
      insert into ${idempotencyKeys} (key, request_hash, created_at)
      select ${o.key ?? null}::text, ${o.requestHash}, ${o.now.toISOString()}::timestamptz where ${o.key ?? null}::text is not null
      on conflict do nothing returning key
    ), go as (
      select ${o.key ?? null}::text is null or exists (select 1 from claim) as ok
    ), company as (
      ${insertRowsSql(companies, [o.company], sql`where ${go} on conflict (uscc) do update set (${sql.join(columns, sql`, `)}) = (${sql.join(columns.map((c) => sql`excluded.${c}`), sql`, `)}) returning id`)}
    ) ${o.hit ? sql`, hit as (${o.hit(go)})` : sql``}
    select ok as go, (select id from company) as company_id,
      ${o.hit ? sql`(select row_to_json(hit) from hit)` : sql`null`} as hit,
      case when ok then nextval(pg_get_serial_sequence('applications', 'id'))::int end as application_id,
      case when ok then array(select nextval(pg_get_serial_sequence('leads', 'id'))::int from generate_series(1, ${o.leadCount}::int)) end as lead_ids
    from go`);
  return { go: row!.go, companyId: row!.company_id, applicationId: row!.application_id, leadIds: row!.lead_ids ?? [], hit: row!.hit ?? undefined };
}

export async function findIdempotencyKey(tx: Executor, key: string) {
  const [prior] = await tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
  return prior;
}

/**
 * One statement: the application, its consents, its leads (whole rows built beforehand, `newLead`) with their
 * first events, and whatever else the caller adds (notifications, feed rows, messages), then the answer kept
 * for replays of the Idempotency-Key (`status` says it is complete, with the status the route gives it, 201).
 */
export async function writeSubmission(tx: Executor, w: {
  application: typeof applications.$inferInsert & { id: number };
  consents: (typeof consents.$inferInsert)[];
  leads: LeadRow[];
  now: Date;
  note: string | null;
  more: SQL[];
  key?: string;
  answer: unknown;
}): Promise<void> {
  await executeTogether(tx, [
    insertRowsSql(applications, [w.application]),
    insertRowsSql(consents, w.consents),
    insertRowsSql(leads, w.leads),
    insertRowsSql(leadEvents, w.leads.map((l) => ({ leadId: l.id, at: w.now, actorType: 'applicant' as const, action: 'created', toStatus: 'new', note: w.note }))),
    ...w.more,
    ...(w.key ? [sql`update ${idempotencyKeys} set status = 201, response = ${JSON.stringify(w.answer)}::jsonb where key = ${w.key}`] : []),
  ]);
}
