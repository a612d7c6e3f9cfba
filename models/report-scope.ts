import { sql, type SQL } from 'drizzle-orm';
import lprTable from '../server/domain/data/lpr.json' with { type: 'json' };

/**
 * What every desk report is computed over: leads created in a range of Shanghai days (`to` inclusive)
 * and optional dimensions. Shared by the live queries (models/reports.ts) and the rollup
 * (models/rollup-refresh.ts, models/rollup-reports.ts), so both read a lead the same way.
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

/** One QR channel's funnel row, and one week of the trend, as both the live and the rolled-up queries answer them. */
export type ChannelRow = { channel_id: number; code: string; name: string; kind: string; district: string | null; scans: number; applications: number; leads: number; approved: number; disbursed: number };
export type WeekRow = { week: string; applications: number; leads: number; approved: number; approved_amount: string };

/** The dimensions besides the bank, each with how it is read off a lead `l` and its application `a`. */
export const reportDims = {
  district: sql.raw(`a.company_snapshot->>'district'`),
  industry: sql.raw(`left(a.company_snapshot->>'industry', 1)`),
  size: sql.raw('a.company_size'),
  productType: sql.raw(`l.product_snapshot->>'type'`),
  channelId: sql.raw('a.channel_id::text'),
} as const;
export type ReportDim = keyof typeof reportDims;
export const reportDimNames = Object.keys(reportDims) as ReportDim[];

/** The dimensions a filter sets (the bank aside). */
export const dimsOf = (f: ReportFilter) => reportDimNames.filter((d) => f[d] !== undefined && f[d] !== null && f[d] !== '');

/** The 1-year LPR table as a VALUES list (a handful of rows, known at build time). */
const lprValues = sql.raw(`(values ${lprTable.map((x) => `('${x.from}'::date, ${Number(x.bp)})`).join(', ')}) as lpr(from_day, bp)`);

/** The 1-year LPR (bp) in force on the day a granted lead `l` was decided; null for other leads. */
export const lprBpOfGrant = sql`case when l.status in ('approved', 'disbursed') then (select lpr.bp from ${lprValues}
  where lpr.from_day <= (l.decided_at at time zone 'Asia/Shanghai')::date order by lpr.from_day desc limit 1) end`;

/**
 * Whether lead `l` is its request's first lead matching the bank and product type (when `byBank` /
 * `byType`): a request counts in the range its first such lead was created in, so counts add up over days.
 */
export const firstOfRequest = (byBank: boolean, byType: boolean) => sql`not exists (select 1 from leads e
  where e.application_id = l.application_id and (e.created_at, e.id) < (l.created_at, l.id)
  ${byBank ? sql`and e.bank_id = l.bank_id` : sql``} ${byType ? sql`and e.product_snapshot->>'type' = l.product_snapshot->>'type'` : sql``})`;

/** Leads `l` (joined to applications `a`) created in the range and matching the filter's dimensions. */
export function scopeWhere(f: ReportFilter): SQL {
  const parts: SQL[] = [
    sql`l.created_at >= (${f.from}::date)::timestamp at time zone 'Asia/Shanghai'`,
    sql`l.created_at < (${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`,
  ];
  for (const d of dimsOf(f)) parts.push(sql`${reportDims[d]} = ${String(f[d])}`);
  if (f.bankId) parts.push(sql`l.bank_id = ${f.bankId}`);
  return sql.join(parts, sql` and `);
}

/** `count(*) filter (...)` per value of a fixed list, as columns `<prefix>_<value>`. */
export const countsBy = (column: string, values: readonly string[], prefix: string, extra: string) => sql.raw(values
  .map((v) => `count(*) filter (where ${extra} and ${column} = '${v}')::int as ${prefix}_${v}`).join(',\n  '));
