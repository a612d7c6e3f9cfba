import { sql, type SQL } from 'drizzle-orm';
import lprTable from '../server/domain/data/lpr.json' with { type: 'json' };
import type { Executor } from '../server/db';
import { queryRows } from '../server/sql';

/**
 * The desk's report figures, each computed in one SQL statement over leads joined to their
 * applications (no per-row work in JavaScript). Days are Shanghai days; `to` is inclusive.
 */
export interface ReportFilter {
  from: string;
  to: string;
  /** Evaluated at this moment: a deadline counts once it has passed or been met. */
  now: Date;
  district?: string;
  industry?: string;
  size?: string;
  bankId?: number;
  productType?: string;
  channelId?: number;
}

const lpr = JSON.stringify(lprTable);

/** The WHERE clause shared by every report: leads created in the range, and the optional dimensions. */
function where(f: ReportFilter): SQL {
  const parts: SQL[] = [
    sql`l.created_at >= (${f.from}::date)::timestamp at time zone 'Asia/Shanghai'`,
    sql`l.created_at < (${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`,
  ];
  if (f.district) parts.push(sql`a.company_snapshot->>'district' = ${f.district}`);
  if (f.industry) parts.push(sql`left(a.company_snapshot->>'industry', 1) = ${f.industry}`);
  if (f.size) parts.push(sql`a.company_size = ${f.size}`);
  if (f.bankId) parts.push(sql`l.bank_id = ${f.bankId}`);
  if (f.productType) parts.push(sql`l.product_snapshot->>'type' = ${f.productType}`);
  if (f.channelId) parts.push(sql`a.channel_id = ${f.channelId}`);
  return sql.join(parts, sql` and `);
}

/** Leads in scope, with what every figure needs. */
function scoped(f: ReportFilter): SQL {
  return sql`select l.*, a.is_first_loan, a.channel_id,
      coalesce(l.first_loan_confirmed, a.is_first_loan) as first_loan,
      l.status in ('approved', 'disbursed') as granted,
      least(${f.now.toISOString()}::timestamptz, coalesce(l.closed_at, ${f.now.toISOString()}::timestamptz)) as horizon
    from leads l join applications a on a.id = l.application_id
    where ${where(f)}`;
}

/**
 * Aggregates shared by the summary and the league table. A deadline counts in the SLA percentage
 * once it was met or has passed while the lead was still open (a lead withdrawn before its deadline
 * does not count); hours are from the request.
 */
const figures = sql`
  count(*)::int as leads,
  count(*) filter (where claimed_at is not null or accept_due_at < horizon)::int as accept_due,
  count(*) filter (where claimed_at <= accept_due_at)::int as accept_met,
  count(*) filter (where contacted_at is not null or contact_due_at < least(horizon, coalesce(decided_at, horizon)))::int as contact_due,
  count(*) filter (where contacted_at <= contact_due_at)::int as contact_met,
  count(*) filter (where decided_at is not null or decision_due_at < horizon)::int as decision_due,
  count(*) filter (where decided_at <= decision_due_at)::int as decision_met,
  percentile_cont(0.5) within group (order by accept_working_hours) as accept_wh_p50,
  percentile_cont(0.9) within group (order by accept_working_hours) as accept_wh_p90,
  percentile_cont(0.5) within group (order by extract(epoch from claimed_at - created_at) / 3600) as accept_ch_p50,
  percentile_cont(0.9) within group (order by extract(epoch from claimed_at - created_at) / 3600) as accept_ch_p90,
  percentile_cont(0.5) within group (order by contact_working_hours) as contact_wh_p50,
  percentile_cont(0.9) within group (order by contact_working_hours) as contact_wh_p90,
  percentile_cont(0.5) within group (order by extract(epoch from contacted_at - created_at) / 3600) as contact_ch_p50,
  percentile_cont(0.9) within group (order by extract(epoch from contacted_at - created_at) / 3600) as contact_ch_p90,
  percentile_cont(0.5) within group (order by decision_working_hours) as decision_wh_p50,
  percentile_cont(0.9) within group (order by decision_working_hours) as decision_wh_p90,
  percentile_cont(0.5) within group (order by extract(epoch from decided_at - created_at) / 3600) as decision_ch_p50,
  percentile_cont(0.9) within group (order by extract(epoch from decided_at - created_at) / 3600) as decision_ch_p90,
  count(*) filter (where decided_at is not null)::int as decided,
  count(*) filter (where granted)::int as approved,
  coalesce(sum(terms_amount) filter (where granted), 0)::text as approved_amount,
  coalesce(sum(disbursed_amount) filter (where status = 'disbursed'), 0)::text as disbursed_amount,
  (sum(terms_amount * terms_rate_pct) filter (where granted) / nullif(sum(terms_amount) filter (where granted), 0))::text as avg_rate,
  (sum(terms_amount * (terms_rate_pct * 100 - lpr_bp)) filter (where granted) / nullif(sum(terms_amount) filter (where granted), 0))::text as avg_spread_bp,
  count(*) filter (where granted and first_loan)::int as first_loan_approved,
  coalesce(sum(terms_amount) filter (where granted and first_loan), 0)::text as first_loan_amount,
  count(*) filter (where granted and terms_guarantee_type = 'credit')::int as credit_approved`;

/** The 1-year LPR (bp) in force on the day of each decision, joined in SQL from the shipped table. */
const withLpr = (inner: SQL) => sql`
  select s.*, (select (x->>'bp')::int from jsonb_array_elements(${lpr}::jsonb) x
      where (x->>'from')::date <= (s.decided_at at time zone 'Asia/Shanghai')::date
      order by (x->>'from')::date desc limit 1) as lpr_bp
  from (${inner}) s`;

export type FigureRow = Record<string, string | number | null>;

export async function summaryFigures(db: Executor, f: ReportFilter) {
  const [row] = await queryRows<FigureRow>(db, sql`
    select ${figures},
      count(distinct application_id)::int as applications,
      count(distinct application_id) filter (where is_first_loan)::int as first_loan_applications
    from (${withLpr(scoped(f))}) s`);
  const declines = await queryRows<{ reason: string; n: number }>(db, sql`
    select decline_reason as reason, count(*)::int as n from (${scoped(f)}) s
    where status = 'declined' group by decline_reason order by n desc, reason`);
  const secondLook = await queryRows<{ status: string; n: number }>(db, sql`
    select status, count(*)::int as n from (${scoped(f)}) s where second_look group by status order by status`);
  return { row: row!, declines, secondLook };
}

export const leagueSorts = {
  leads: sql`leads`, acceptSlaPct: sql`accept_met::numeric / nullif(accept_due, 0)`, medianAcceptHours: sql`accept_wh_p50`,
  approvalRate: sql`approved::numeric / nullif(decided, 0)`, approvedAmount: sql`approved_amount::numeric`, avgRate: sql`avg_rate::numeric`,
} as const;
export type LeagueSort = keyof typeof leagueSorts;

/** One row per bank with leads in scope, sorted in SQL (nulls last). */
export async function bankFigures(db: Executor, f: ReportFilter, sort: LeagueSort, order: 'asc' | 'desc') {
  return queryRows<FigureRow & { bank_id: number; bank_name: string; short_name: string }>(db, sql`
    select t.*, b.name as bank_name, b.short_name from (
      select s.bank_id, ${figures} from (${withLpr(scoped(f))}) s group by s.bank_id
    ) t join banks b on b.id = t.bank_id
    order by ${leagueSorts[sort]} ${order === 'asc' ? sql`asc` : sql`desc`} nulls last, t.bank_id`);
}

/** Per QR channel: scans (all time, the counter), then applications, leads, approvals and disbursements in scope. */
export async function channelFunnel(db: Executor, f: ReportFilter) {
  return queryRows<{ channel_id: number; code: string; name: string; kind: string; district: string | null; scans: number; applications: number; leads: number; approved: number; disbursed: number }>(db, sql`
    select c.id as channel_id, c.code, c.name, c.kind, c.district, c.scan_count as scans,
      count(distinct s.application_id)::int as applications, count(s.id)::int as leads,
      count(s.id) filter (where s.granted)::int as approved, count(s.id) filter (where s.status = 'disbursed')::int as disbursed
    from channels c left join (${scoped(f)}) s on s.channel_id = c.id
    ${f.channelId ? sql`where c.id = ${f.channelId}` : sql``}
    group by c.id order by applications desc, scans desc, c.id`);
}

/** Weekly series (weeks start Monday, Shanghai time), every week of the range, empty ones as zeros. */
export async function weeklyTrend(db: Executor, f: ReportFilter) {
  return queryRows<{ week: string; applications: number; leads: number; approved: number; approved_amount: string }>(db, sql`
    select to_char(w.week, 'YYYY-MM-DD') as week, coalesce(t.applications, 0)::int as applications, coalesce(t.leads, 0)::int as leads,
      coalesce(t.approved, 0)::int as approved, coalesce(t.approved_amount, 0)::text as approved_amount
    from generate_series(date_trunc('week', ${f.from}::date::timestamp), ${f.to}::date::timestamp, interval '1 week') as w(week)
    left join (
      select date_trunc('week', created_at at time zone 'Asia/Shanghai') as week, count(distinct application_id) as applications, count(*) as leads,
        count(*) filter (where granted) as approved, sum(terms_amount) filter (where granted) as approved_amount
      from (${scoped(f)}) s group by 1
    ) t on t.week = w.week
    order by w.week`);
}

/** One row per lead for the CSV export, contact masked in SQL. */
export async function exportRows(db: Executor, f: ReportFilter) {
  return queryRows<Record<string, string | number | boolean | null>>(db, sql`
    select s.id, to_char(s.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as created,
      b.name as bank_name, s.product_snapshot->>'name' as product_name, s.product_snapshot->>'type' as product_type,
      a.company_snapshot->>'name' as company_name, a.company_snapshot->>'district' as district, a.company_snapshot->>'industry' as industry,
      a.company_size,
      case when char_length(a.contact_name) <= 1 then '*' else left(a.contact_name, 1) || repeat('*', char_length(a.contact_name) - 1) end as contact_name,
      case when a.contact_phone ~ '^1[0-9]{10}$' then left(a.contact_phone, 3) || '****' || right(a.contact_phone, 4) else '' end as contact_phone,
      a.need_amount, a.need_term_months, s.first_loan, s.status,
      to_char(s.claimed_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as claimed,
      to_char(s.contacted_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as contacted,
      to_char(s.decided_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as decided,
      s.accept_working_hours::text as accept_hours, s.terms_amount, s.terms_rate_pct::text as terms_rate_pct, s.terms_months, s.terms_guarantee_type,
      s.decline_reason, s.disbursed_amount, s.disbursed_on, c.code as channel_code
    from (${scoped(f)}) s join applications a on a.id = s.application_id join banks b on b.id = s.bank_id
      left join channels c on c.id = a.channel_id
    order by s.created_at, s.id`);
}
