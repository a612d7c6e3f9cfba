import { sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../server/db';
import { declineReasons } from '../server/domain/lead-lifecycle';
import { queryRows } from '../server/sql';
import { leadStatuses } from './leads';
import { firstOfRequest, lprBpOfGrant, reportDimNames, reportDims, type ReportDim } from './report-scope';

/** One lead in this many (by id) is kept in report_sample for medians and p90 over large scopes. */
export const SAMPLE_EVERY = 20;

const jsonCounts = (column: string, values: readonly string[], extra: string) => `jsonb_strip_nulls(jsonb_build_object(${values
  .map((v) => `'${v}', nullif(count(*) filter (where ${extra} and ${column} = '${v}'), 0)`).join(', ')}))`;

/**
 * The counts and sums of one rollup row, over leads of `base` (see `refreshDays`). `first` names the
 * flag that says a lead is its request's first one for this row's bank and product type. SLA deadlines
 * count once settled: met, or the lead moved past the stage or closed before them (the same rule as the
 * live figures, for leads that no longer wait).
 */
const rowFigures = (first: string) => `count(*)::int, count(*) filter (where ${first})::int,
  count(*) filter (where ${first} and is_first_loan)::int,
  count(*) filter (where claimed_at is not null or accept_due_at < closed_at)::int, count(*) filter (where claimed_at <= accept_due_at)::int,
  count(*) filter (where contacted_at is not null or contact_due_at < least(decided_at, closed_at))::int, count(*) filter (where contacted_at <= contact_due_at)::int,
  count(*) filter (where decided_at is not null or decision_due_at < closed_at)::int, count(*) filter (where decided_at <= decision_due_at)::int,
  count(*) filter (where decided_at is not null)::int, count(*) filter (where granted)::int, count(*) filter (where status = 'disbursed')::int,
  coalesce(sum(terms_amount) filter (where granted), 0), coalesce(sum(disbursed_amount) filter (where status = 'disbursed'), 0),
  sum(terms_amount * terms_rate_pct) filter (where granted), sum(terms_amount * (terms_rate_pct * 100 - lpr_bp)) filter (where granted),
  count(*) filter (where granted and first_loan)::int, coalesce(sum(terms_amount) filter (where granted and first_loan), 0),
  count(*) filter (where granted and terms_guarantee_type = 'credit')::int,
  ${jsonCounts('decline_reason', declineReasons, "status = 'declined'")},
  ${jsonCounts('status', leadStatuses, 'second_look')}`;

/**
 * One SELECT per rollup key shape: all banks or each bank, with no dimension or one; and all banks
 * with each pair of dimensions (dim 'a+b', value 'x|y'). See rollupKey in models/rollup-reports.ts.
 */
function rollupSelects(): SQL {
  const shapes: { perBank: boolean; dims: ReportDim[] }[] = [];
  for (const perBank of [false, true]) for (const d of [[], ...reportDimNames.map((x) => [x])]) shapes.push({ perBank, dims: d });
  reportDimNames.forEach((a, i) => reportDimNames.slice(i + 1).forEach((b) => shapes.push({ perBank: false, dims: [a, b] })));
  return sql.join(shapes.map(({ perBank, dims }) => {
    const first = `first_${perBank ? 'bank' : 'any'}${dims.includes('productType') ? '_type' : ''}`;
    const columns = dims.map((d) => `dim_${d}`);
    const value = dims.length ? columns.join(` || '|' || `) : `''`;
    const where = dims.length ? `where ${columns.map((c) => `${c} is not null`).join(' and ')}` : '';
    const groupBy = ['day', ...(perBank ? ['bank_id'] : []), ...columns].join(', ');
    return sql.raw(`select day, ${perBank ? 'bank_id' : '0'}, '${dims.join('+')}', ${value}, ${rowFigures(first)}
      from base ${where} group by ${groupBy}`);
  }), sql`\nunion all\n`);
}

/**
 * Recomputes the rollup rows and the sample for the given days from the leads themselves, in the
 * caller's transaction: the days' rows are deleted and rebuilt, so the result never depends on what
 * was there before.
 */
async function refreshDays(tx: Executor, days: string[]) {
  const dayList = sql`(select value::date as day from jsonb_array_elements_text(${JSON.stringify(days)}::jsonb))`;
  await tx.execute(sql`delete from report_rollup where day in ${dayList}`);
  await tx.execute(sql`delete from report_sample where day in ${dayList}`);
  const dims = sql.join(reportDimNames.map((d) => sql`${reportDims[d]} as ${sql.raw(`dim_${d}`)}`), sql`, `);
  const base = sql`base as materialized (
    select d.day, l.id, l.application_id, l.bank_id, l.status, l.second_look, l.decline_reason, l.created_at, l.claimed_at, l.contacted_at,
      l.decided_at, l.closed_at, l.accept_due_at, l.contact_due_at, l.decision_due_at,
      l.accept_working_hours, l.contact_working_hours, l.decision_working_hours,
      l.terms_amount, l.terms_rate_pct, l.terms_guarantee_type, l.disbursed_amount, a.is_first_loan,
      coalesce(l.first_loan_confirmed, a.is_first_loan) as first_loan, l.status in ('approved', 'disbursed') as granted,
      ${lprBpOfGrant} as lpr_bp, ${dims},
      ${firstOfRequest(false, false)} as first_any, ${firstOfRequest(true, false)} as first_bank,
      ${firstOfRequest(false, true)} as first_any_type, ${firstOfRequest(true, true)} as first_bank_type
    from ${dayList} d
      join leads l on l.created_at >= d.day::timestamp at time zone 'Asia/Shanghai' and l.created_at < (d.day + 1)::timestamp at time zone 'Asia/Shanghai'
      join applications a on a.id = l.application_id)`;
  await tx.execute(sql`with ${base}
    insert into report_rollup (day, bank_id, dim, value, leads, applications, first_loan_applications, accept_due, accept_met,
      contact_due, contact_met, decision_due, decision_met, decided, approved, disbursed, approved_amount, disbursed_amount,
      rate_weight, spread_weight, first_loan_approved, first_loan_amount, credit_approved, declines, second_looks)
    ${rollupSelects()}`);
  await tx.execute(sql`with ${base}
    insert into report_sample (lead_id, day, bank_id, district, industry, size, product_type, channel_id,
      accept_wh, accept_ch, contact_wh, contact_ch, decision_wh, decision_ch)
    select id, day, bank_id, dim_district, dim_industry, dim_size, dim_productType, dim_channelId::int,
      accept_working_hours, extract(epoch from claimed_at - created_at) / 3600,
      contact_working_hours, extract(epoch from contacted_at - created_at) / 3600,
      decision_working_hours, extract(epoch from decided_at - created_at) / 3600
    from base where id % ${SAMPLE_EVERY} = 0`);
}

/**
 * Brings the rollup up to date: takes the marked days in batches (oldest first), each batch in one
 * transaction that deletes its marks and rebuilds those days. A lead changed while a batch runs marks
 * its day again, so the next run picks it up. Answers how many days and batches were rebuilt.
 */
export async function refreshReportRollup(db: Db, { batchDays = 16, maxBatches = Number.POSITIVE_INFINITY } = {}) {
  let days = 0;
  let batches = 0;
  while (batches < maxBatches) {
    const taken = await db.transaction(async (tx) => {
      const marked = await queryRows<{ day: string }>(tx, sql`
        delete from report_dirty_days where day in (select distinct day from report_dirty_days order by day limit ${batchDays})
        returning day::text as day`);
      const unique = [...new Set(marked.map((m) => m.day))];
      if (unique.length) await refreshDays(tx, unique);
      return unique.length;
    });
    if (!taken) break;
    days += taken;
    batches++;
  }
  return { days, batches };
}
