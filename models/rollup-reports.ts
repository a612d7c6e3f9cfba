import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { declineReasons, overdueStages } from '../server/domain/lead-lifecycle';
import { overdueStageSql } from './lead-queries';
import { queryRows } from '../server/sql';
import { leadStatuses } from './leads';
import { dimsOf, scopeWhere, type ChannelRow, type ReportDim, type ReportFilter, type WeekRow } from './report-scope';

/**
 * The desk's report figures read from the rollup (models/rollup-refresh.ts) instead of the leads:
 * counts and sums from report_rollup, medians and p90 from the one-in-N sample, and the SLA deadlines
 * of leads still waiting counted live (they depend on the moment; few leads wait at any time).
 * Answers the same columns as the live queries in models/reports.ts.
 */

/**
 * The rollup row key for a filter: no dimension or one, for all banks or each; two dimensions for all
 * banks. Anything else (a bank with two dimensions, three or more) is a smaller scope, answered live.
 */
export function rollupKey(f: ReportFilter, perBank = Boolean(f.bankId)): { dim: string; value: string } | null {
  const dims = dimsOf(f);
  if (dims.length > (perBank ? 1 : 2)) return null;
  return { dim: dims.join('+'), value: dims.map((d) => String(f[d])).join('|') };
}

/** Rollup rows `r` for the filter: its key, one bank (0: all banks) or each bank, its days. */
function rollupWhere(f: ReportFilter, banks: 'one' | 'each'): SQL {
  const key = rollupKey(f, banks === 'each' || Boolean(f.bankId))!;
  const bank = banks === 'one' ? sql`r.bank_id = ${f.bankId ?? 0}` : f.bankId ? sql`r.bank_id = ${f.bankId}` : sql`r.bank_id > 0`;
  return sql`r.dim = ${key.dim} and r.value = ${key.value} and ${bank} and r.day between ${f.from}::date and ${f.to}::date`;
}

/** Leads in the rollup for the filter (how large the scope is, read in a few hundred rows). */
export async function rollupLeadCount(db: Executor, f: ReportFilter) {
  if (!rollupKey(f)) return 0;
  const [row] = await queryRows<{ n: number }>(db, sql`select coalesce(sum(leads), 0)::int as n from report_rollup r where ${rollupWhere(f, 'one')}`);
  return row!.n;
}

/** The moment the rollup is complete up to: the oldest change not yet rolled up, or now. */
export async function rollupAsOf(db: Executor, now: Date) {
  const [row] = await queryRows<{ at: Date | string | null }>(db, sql`select min(marked_at) as at from report_dirty_days`);
  return row!.at ? new Date(row!.at).toISOString() : now.toISOString();
}

const sums = sql.raw([
  'leads', 'applications', 'first_loan_applications', 'accept_due as accept_settled', 'accept_met', 'contact_due as contact_settled', 'contact_met',
  'decision_due as decision_settled', 'decision_met', 'decided', 'approved', 'first_loan_approved', 'credit_approved',
].map((c) => { const [col, as = col] = c.split(' as '); return `coalesce(sum(${col}), 0)::int as ${as}`; })
  .concat(['approved_amount', 'disbursed_amount', 'first_loan_amount'].map((c) => `coalesce(sum(${c}), 0)::text as ${c}`))
  .concat(['(sum(rate_weight) / nullif(sum(approved_amount), 0))::text as avg_rate', '(sum(spread_weight) / nullif(sum(approved_amount), 0))::text as avg_spread_bp'])
  .join(',\n  '));

const jsonSums = (column: string, values: readonly string[], prefix: string) => sql.raw(values
  .map((v) => `coalesce(sum((${column}->>'${v}')::int), 0)::int as ${prefix}_${v}`).join(', '));

/**
 * Deadlines passed of leads still waiting at `now` (not decided, not closed), by bank when asked, and
 * how many of them are overdue now by stage (`overdueStageSql`, the lead answer's rule: only open
 * statuses are overdue, and those are never decided or closed, so they are all among these rows). The
 * waiting leads are read first through their partial index, then matched to the filter.
 */
const waiting = (f: ReportFilter, byBank: boolean) => {
  const now = sql`${f.now.toISOString()}::timestamptz`;
  return sql`
  with l as materialized (
    select l.* from leads l where l.decided_at is null and l.closed_at is null
      and l.created_at >= (${f.from}::date)::timestamp at time zone 'Asia/Shanghai' and l.created_at < (${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'
      and (l.accept_due_at < ${now} or l.contact_due_at < ${now} or l.decision_due_at < ${now}))
  select ${byBank ? sql`l.bank_id,` : sql``}
    count(*) filter (where l.claimed_at is null and l.accept_due_at < ${now})::int as accept_due,
    count(*) filter (where l.contacted_at is null and l.contact_due_at < ${now})::int as contact_due,
    count(*) filter (where l.decision_due_at < ${now})::int as decision_due,
    ${sql.join(overdueStages.map((st) => sql`count(*) filter (where ${overdueStageSql(f.now, 'l')} = ${st})::int as ${sql.raw(`overdue_${st}`)}`), sql`, `)}
  from l join applications a on a.id = l.application_id
  where ${scopeWhere(f)}
  ${byBank ? sql`group by l.bank_id` : sql``}`;
};

const sampleColumns: Record<ReportDim, string> = { district: 'district', industry: 'industry', size: 'size', productType: 'product_type', channelId: 'channel_id' };

/** Median and p90 of each response time over the sampled leads in scope, by bank when asked. */
const percentiles = (f: ReportFilter, byBank: boolean) => {
  const parts = [sql`s.day between ${f.from}::date and ${f.to}::date`];
  if (f.bankId) parts.push(sql`s.bank_id = ${f.bankId}`);
  for (const d of dimsOf(f)) parts.push(sql`${sql.raw(`s.${sampleColumns[d]}`)} = ${d === 'channelId' ? Number(f[d]) : String(f[d])}`);
  const q = (column: string) => sql.raw(`percentile_cont(array[0.5, 0.9]) within group (order by ${column}) as ${column}`);
  return sql`select ${byBank ? sql`s.bank_id,` : sql``} ${q('accept_wh')}, ${q('accept_ch')}, ${q('contact_wh')}, ${q('contact_ch')},
      ${q('decision_wh')}, ${q('decision_ch')}
    from report_sample s where ${sql.join(parts, sql` and `)} ${byBank ? sql`group by s.bank_id` : sql``}`;
};

/** Settled deadlines from the rollup plus the passed ones of waiting leads. */
const dueColumns = sql`r.accept_settled + coalesce(w.accept_due, 0) as accept_due, r.contact_settled + coalesce(w.contact_due, 0) as contact_due,
  r.decision_settled + coalesce(w.decision_due, 0) as decision_due,
  ${sql.raw(overdueStages.map((st) => `coalesce(w.overdue_${st}, 0) as overdue_${st}`).join(', '))}`;

export async function rollupSummary(db: Executor, f: ReportFilter) {
  const [row] = await queryRows<Record<string, string | number | number[] | null>>(db, sql`
    select r.*, ${dueColumns}, p.* from (
      select ${sums}, ${jsonSums('declines', declineReasons, 'declined')}, ${jsonSums('second_looks', leadStatuses, 'second_look')}
      from report_rollup r where ${rollupWhere(f, 'one')}
    ) r, (${waiting(f, false)}) w, (${percentiles(f, false)}) p`);
  return row!;
}

export async function rollupBanks(db: Executor, f: ReportFilter, orderBy: SQL) {
  return queryRows<Record<string, string | number | number[] | null> & { bank_id: number; bank_name: string; short_name: string }>(db, sql`
    select t.*, b.name as bank_name, b.short_name from (
      select r.*, ${dueColumns}, p.accept_wh, p.accept_ch, p.contact_wh, p.contact_ch, p.decision_wh, p.decision_ch from (
        select r.bank_id, ${sums} from report_rollup r where ${rollupWhere(f, 'each')} group by r.bank_id
      ) r left join (${waiting(f, true)}) w on w.bank_id = r.bank_id left join (${percentiles(f, true)}) p on p.bank_id = r.bank_id
    ) t join banks b on b.id = t.bank_id
    where t.leads > 0
    order by ${orderBy}, t.bank_id`);
}

export async function rollupChannels(db: Executor, f: ReportFilter) {
  return queryRows<ChannelRow>(db, sql`
    select c.id as channel_id, c.code, c.name, c.kind, c.district, c.scan_count as scans,
      coalesce(sum(r.applications), 0)::int as applications, coalesce(sum(r.leads), 0)::int as leads,
      coalesce(sum(r.approved), 0)::int as approved, coalesce(sum(r.disbursed), 0)::int as disbursed
    from channels c left join report_rollup r on r.dim = 'channelId' and r.value = c.id::text and r.bank_id = ${f.bankId ?? 0}
      and r.day between ${f.from}::date and ${f.to}::date
    ${f.channelId ? sql`where c.id = ${f.channelId}` : sql``}
    group by c.id order by applications desc, scans desc, c.id`);
}

export async function rollupTrend(db: Executor, f: ReportFilter) {
  return queryRows<WeekRow>(db, sql`
    select to_char(w.week, 'YYYY-MM-DD') as week, coalesce(t.applications, 0)::int as applications, coalesce(t.leads, 0)::int as leads,
      coalesce(t.approved, 0)::int as approved, coalesce(t.approved_amount, 0)::text as approved_amount
    from generate_series(date_trunc('week', ${f.from}::date::timestamp), ${f.to}::date::timestamp, interval '1 week') as w(week)
    left join (
      select date_trunc('week', r.day::timestamp) as week, sum(r.applications) as applications, sum(r.leads) as leads,
        sum(r.approved) as approved, sum(r.approved_amount) as approved_amount
      from report_rollup r where ${rollupWhere(f, 'one')} group by 1
    ) t on t.week = w.week
    order by w.week`);
}
