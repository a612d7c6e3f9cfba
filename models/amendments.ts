import { sql } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { queryRows } from '../server/sql';

export interface AmendmentRow {
  event_id: number;
  lead_id: number;
  bank_id: number;
  bank_name: string;
  product_name: string;
  at: Date | string;
  actor_id: number | null;
  note: string | null;
}

/**
 * Corrected decisions (`amended` lead events) whose Shanghai day lies in [from, to], newest first, with the
 * lead's bank and product: the desk watches how often and how far banks correct the terms they granted.
 */
export async function listAmendments(db: Executor, f: { from: string; to: string; bankId?: number; page: number; pageSize: number }): Promise<{ rows: AmendmentRow[]; total: number }> {
  const where = sql`e.action = 'amended'
    and (e.at at time zone 'Asia/Shanghai')::date between ${f.from}::date and ${f.to}::date
    ${f.bankId !== undefined ? sql`and l.bank_id = ${f.bankId}` : sql``}`;
  const rows = await queryRows<AmendmentRow>(db, sql`
    select e.id as event_id, l.id as lead_id, l.bank_id, b.name as bank_name, l.product_snapshot->>'name' as product_name, e.at, e.actor_id, e.note
      from lead_events e join leads l on l.id = e.lead_id join banks b on b.id = l.bank_id
     where ${where}
     order by e.at desc, e.id desc
     limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`);
  const [n] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from lead_events e join leads l on l.id = e.lead_id where ${where}`);
  return { rows, total: Number(n?.n ?? 0) };
}
