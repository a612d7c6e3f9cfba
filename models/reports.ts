import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { declineReasons, overdueStages } from '../server/domain/lead-lifecycle';
import { overdueStageSql } from './lead-queries';
import { queryRows } from '../server/sql';
import { leadStatuses } from './leads';
import { countsBy, dimsOf, firstOfRequest, lprBpOfGrant, scopeWhere, type ChannelRow, type ReportFilter, type WeekRow } from './report-scope';
import { rollupAsOf, rollupBanks, rollupChannels, rollupKey, rollupLeadCount, rollupSummary, rollupTrend } from './rollup-reports';

export type { ReportFilter } from './report-scope';

/**
 * The desk's report figures computed live, each in one SQL statement over leads joined to their
 * applications (no per-row work in JavaScript). Exact; used for scopes small enough to read in full
 * (`chooseBasis` below picks; the rollup, models/rollup-reports.ts, answers larger ones).
 */

/** Leads in scope with only what the figures read (narrow rows sort and hash faster). */
function scoped(f: ReportFilter): SQL {
  const now = f.now.toISOString();
  return sql`select l.id, l.application_id, l.bank_id, l.status, l.second_look, l.decline_reason, l.created_at, l.claimed_at, l.contacted_at,
      l.decided_at, l.accept_due_at, l.contact_due_at, l.decision_due_at, l.accept_working_hours, l.contact_working_hours, l.decision_working_hours,
      l.terms_amount, l.terms_rate_pct, l.terms_guarantee_type, l.disbursed_amount, a.is_first_loan, a.channel_id,
      coalesce(l.first_loan_confirmed, a.is_first_loan) as first_loan,
      l.status in ('approved', 'disbursed') as granted,
      ${firstOfRequest(Boolean(f.bankId), Boolean(f.productType))} as first_app,
      least(${now}::timestamptz, coalesce(l.closed_at, ${now}::timestamptz)) as horizon,
      ${overdueStageSql(f.now, 'l')} as overdue_stage,
      ${lprBpOfGrant} as lpr_bp
    from leads l join applications a on a.id = l.application_id
    where ${scopeWhere(f)}`;
}

/** Leads overdue now, by the stage `overdueStage` names (the same expression as the lead list, the SLA job and /metrics). */
const overdueCounts = sql.raw(overdueStages.map((st) => `count(*) filter (where overdue_stage = '${st}')::int as overdue_${st}`).join(', '));

/**
 * Aggregates shared by the summary and the league table, in one pass. A deadline counts in the SLA
 * percentage once it was met or has passed while the lead was still open (a lead withdrawn before its
 * deadline does not count); hours are from the request. Median and p90 share one sort per measure.
 */
const figures = sql`
  count(*)::int as leads,
  count(*) filter (where claimed_at is not null or accept_due_at < horizon)::int as accept_due,
  count(*) filter (where claimed_at <= accept_due_at)::int as accept_met,
  count(*) filter (where contacted_at is not null or contact_due_at < least(horizon, coalesce(decided_at, horizon)))::int as contact_due,
  count(*) filter (where contacted_at <= contact_due_at)::int as contact_met,
  count(*) filter (where decided_at is not null or decision_due_at < horizon)::int as decision_due,
  count(*) filter (where decided_at <= decision_due_at)::int as decision_met,
  ${overdueCounts},
  percentile_cont(array[0.5, 0.9]) within group (order by accept_working_hours) as accept_wh,
  percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from claimed_at - created_at) / 3600) as accept_ch,
  percentile_cont(array[0.5, 0.9]) within group (order by contact_working_hours) as contact_wh,
  percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from contacted_at - created_at) / 3600) as contact_ch,
  percentile_cont(array[0.5, 0.9]) within group (order by decision_working_hours) as decision_wh,
  percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from decided_at - created_at) / 3600) as decision_ch,
  count(*) filter (where decided_at is not null)::int as decided,
  count(*) filter (where granted)::int as approved,
  coalesce(sum(terms_amount) filter (where granted), 0)::text as approved_amount,
  coalesce(sum(disbursed_amount) filter (where status = 'disbursed'), 0)::text as disbursed_amount,
  (sum(terms_amount * terms_rate_pct) filter (where granted) / nullif(sum(terms_amount) filter (where granted), 0))::text as avg_rate,
  (sum(terms_amount * (terms_rate_pct * 100 - lpr_bp)) filter (where granted) / nullif(sum(terms_amount) filter (where granted), 0))::text as avg_spread_bp,
  count(*) filter (where granted and first_loan)::int as first_loan_approved,
  coalesce(sum(terms_amount) filter (where granted and first_loan), 0)::text as first_loan_amount,
  count(*) filter (where granted and terms_guarantee_type = 'credit')::int as credit_approved`;

export type FigureRow = Record<string, string | number | number[] | null>;

/** Scopes of at least this many leads are answered from the rollup (counts exact, percentiles sampled). */
export const ROLLUP_MIN_LEADS = 20_000;

/** How a report was computed: live from the leads, or from the rollup as complete up to `asOf`. */
export type ReportBasis = { source: 'live' } | { source: 'rollup'; asOf: string };
/** `auto`: the rollup for large scopes it can answer, live otherwise; the others force one (tests, benchmarks). */
export type BasisChoice = 'auto' | 'live' | 'rollup';

async function chooseBasis(db: Executor, f: ReportFilter, choice: BasisChoice, supported: boolean): Promise<ReportBasis> {
  if (choice === 'live' || !supported) return { source: 'live' };
  if (choice === 'auto' && (await rollupLeadCount(db, f)) < ROLLUP_MIN_LEADS) return { source: 'live' };
  return { source: 'rollup', asOf: await rollupAsOf(db, f.now) };
}

/** The summary in one pass: figures, requests, declines by reason and second-look outcomes (fixed lists, so columns). */
export async function summaryFigures(db: Executor, f: ReportFilter, choice: BasisChoice = 'auto') {
  const basis = await chooseBasis(db, f, choice, rollupKey(f) !== null);
  const [row] = basis.source === 'rollup' ? [await rollupSummary(db, f)] : await queryRows<FigureRow>(db, sql`
    select ${figures},
      count(*) filter (where first_app)::int as applications,
      count(*) filter (where first_app and is_first_loan)::int as first_loan_applications,
      ${countsBy('decline_reason', declineReasons, 'declined', "status = 'declined'")},
      ${countsBy('status', leadStatuses, 'second_look', 'second_look')}
    from (${scoped(f)}) s`);
  const declines = declineReasons.map((reason) => ({ reason, n: Number(row![`declined_${reason}`]) }))
    .filter((d) => d.n > 0).sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason));
  const secondLook = leadStatuses.map((status) => ({ status, n: Number(row![`second_look_${status}`]) })).filter((s) => s.n > 0);
  return { basis, row: row!, declines, secondLook };
}

export const leagueSorts = {
  leads: sql`leads`, acceptSlaPct: sql`accept_met::numeric / nullif(accept_due, 0)`, medianAcceptHours: sql`accept_wh[1]`,
  approvalRate: sql`approved::numeric / nullif(decided, 0)`, approvedAmount: sql`approved_amount::numeric`, avgRate: sql`avg_rate::numeric`,
} as const;
export type LeagueSort = keyof typeof leagueSorts;

/** One row per bank with leads in scope, sorted in SQL (nulls last). */
export async function bankFigures(db: Executor, f: ReportFilter, sort: LeagueSort, order: 'asc' | 'desc', choice: BasisChoice = 'auto') {
  const basis = await chooseBasis(db, f, choice, rollupKey(f, true) !== null);
  const orderBy = sql`${leagueSorts[sort]} ${order === 'asc' ? sql`asc` : sql`desc`} nulls last`;
  const rows = basis.source === 'rollup' ? await rollupBanks(db, f, orderBy) : await queryRows<FigureRow & { bank_id: number; bank_name: string; short_name: string }>(db, sql`
    select t.*, b.name as bank_name, b.short_name from (
      select s.bank_id, ${figures} from (${scoped(f)}) s group by s.bank_id
    ) t join banks b on b.id = t.bank_id
    order by ${orderBy}, t.bank_id`);
  return { basis, rows };
}

/** Per QR channel: scans (all time, the counter), then applications, leads, approvals and disbursements in scope. */
export async function channelFunnel(db: Executor, f: ReportFilter, choice: BasisChoice = 'auto') {
  const basis = await chooseBasis(db, f, choice, dimsOf(f).every((d) => d === 'channelId'));
  if (basis.source === 'rollup') return { basis, rows: await rollupChannels(db, f) };
  return { basis, rows: await queryRows<ChannelRow>(db, sql`
    select c.id as channel_id, c.code, c.name, c.kind, c.district, c.scan_count as scans,
      count(s.id) filter (where s.first_app)::int as applications, count(s.id)::int as leads,
      count(s.id) filter (where s.granted)::int as approved, count(s.id) filter (where s.status = 'disbursed')::int as disbursed
    from channels c left join (${scoped(f)}) s on s.channel_id = c.id
    ${f.channelId ? sql`where c.id = ${f.channelId}` : sql``}
    group by c.id order by applications desc, scans desc, c.id`) };
}

/** Weekly series (weeks start Monday, Shanghai time), every week of the range, empty ones as zeros. */
export async function weeklyTrend(db: Executor, f: ReportFilter, choice: BasisChoice = 'auto') {
  const basis = await chooseBasis(db, f, choice, rollupKey(f) !== null);
  if (basis.source === 'rollup') return { basis, rows: await rollupTrend(db, f) };
  return { basis, rows: await queryRows<WeekRow>(db, sql`
    select to_char(w.week, 'YYYY-MM-DD') as week, coalesce(t.applications, 0)::int as applications, coalesce(t.leads, 0)::int as leads,
      coalesce(t.approved, 0)::int as approved, coalesce(t.approved_amount, 0)::text as approved_amount
    from generate_series(date_trunc('week', ${f.from}::date::timestamp), ${f.to}::date::timestamp, interval '1 week') as w(week)
    left join (
      select date_trunc('week', created_at at time zone 'Asia/Shanghai') as week, count(*) filter (where first_app) as applications, count(*) as leads,
        count(*) filter (where granted) as approved, sum(terms_amount) filter (where granted) as approved_amount
      from (${scoped(f)}) s group by 1
    ) t on t.week = w.week
    order by w.week`) };
}

/** One row per lead for the CSV export, contact masked in SQL. */
export async function exportRows(db: Executor, f: ReportFilter) {
  return queryRows<Record<string, string | number | boolean | null>>(db, sql`
    select s.id, to_char(s.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as created,
      b.name as bank_name, l.product_snapshot->>'name' as product_name, l.product_snapshot->>'type' as product_type,
      a.company_snapshot->>'name' as company_name, a.company_snapshot->>'district' as district, a.company_snapshot->>'industry' as industry,
      a.company_size,
      case when char_length(a.contact_name) <= 1 then '*' else left(a.contact_name, 1) || repeat('*', char_length(a.contact_name) - 1) end as contact_name,
      case when a.contact_phone ~ '^1[0-9]{10}$' then left(a.contact_phone, 3) || '****' || right(a.contact_phone, 4) else '' end as contact_phone,
      a.need_amount, a.need_term_months, s.first_loan, s.status,
      to_char(s.claimed_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as claimed,
      to_char(s.contacted_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as contacted,
      to_char(s.decided_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as decided,
      s.accept_working_hours::text as accept_hours, s.terms_amount, s.terms_rate_pct::text as terms_rate_pct, l.terms_months, s.terms_guarantee_type,
      s.decline_reason, s.disbursed_amount, l.disbursed_on, c.code as channel_code
    from (${scoped(f)}) s join leads l on l.id = s.id join applications a on a.id = s.application_id join banks b on b.id = s.bank_id
      left join channels c on c.id = a.channel_id
    order by s.created_at, s.id`);
}
