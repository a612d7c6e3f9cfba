import { and, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db';
import { CONSENT_VERSION } from '../domain/consent';
import { randomCode, randomToken } from '../domain/codes';
import { companySize } from '../domain/company-size';
import { CalendarGapError, isWorkingDay } from '../domain/calendar';
import { queryRows } from '../sql';
import { demoRegistryCity, isProductionProcess } from '../seed';
import { banks, branches } from '../../models/banks';
import { channels, type ChannelKind } from '../../models/channels';
import { productFields, products } from '../../models/products';
import { users } from '../../models/users';
import { insertRows, reserveIds } from './bulk';
import { simulateLead, type BankHabit, type DemoLead, type DemoProduct } from './lifecycle';
import { demoCompany, demoDistricts, mobile, personName, purpose, uscc } from './people';
import { Random } from './random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ActivityOptions {
  /** About this many leads are created (whole requests, so a few more). */
  leads: number;
  now: Date;
  /** Spread over this many days before `now` (default 365). */
  days?: number;
  seed?: number;
  /** Also write each lead's history and the applicant's consents (default true; the benchmark skips them). */
  history?: boolean;
  batchSize?: number;
  onBatch?: (leadsSoFar: number) => void;
}

export interface ActivitySummary {
  applications: number;
  leads: number;
  companies: number;
  channels: number;
}

/** The city's QR entry points a demo needs: the desk, townships, branches, a park, events, online. */
const demoChannels: { name: string; kind: ChannelKind; district: string | null; bankCode?: string; weight: number }[] = [
  { name: '市融资（首贷）服务专窗', kind: 'desk', district: '441202', weight: 22 },
  { name: '高要区金渡镇政务服务中心', kind: 'town', district: '441204', weight: 8 },
  { name: '四会市东城街道便民服务中心', kind: 'town', district: '441284', weight: 9 },
  { name: '怀集县冷坑镇政务服务中心', kind: 'town', district: '441224', weight: 5 },
  { name: '鼎湖区莲花镇政务服务中心', kind: 'town', district: '441203', weight: 4 },
  { name: '肇庆高新区企业服务中心', kind: 'park', district: '441284', weight: 9 },
  { name: '农行高要支行网点', kind: 'branch', district: '441204', bankCode: 'ABC', weight: 6 },
  { name: '肇庆农商银行营业部', kind: 'branch', district: '441202', bankCode: 'ZQRCB', weight: 8 },
  { name: '建行端州支行网点', kind: 'branch', district: '441202', bankCode: 'CCB', weight: 5 },
  { name: '春季银企对接会（四会玉器街）', kind: 'event', district: '441284', weight: 4 },
  { name: '秋季首贷服务月（端州）', kind: 'event', district: '441202', weight: 4 },
  { name: '“肇融码”微信公众号', kind: 'online', district: null, weight: 16 },
];

interface Registry {
  products: (DemoProduct & { snapshot: unknown })[];
  habits: Map<number, BankHabit>;
  branchesByBank: Map<number, { id: number; district: string | null; officers: number[] }[]>;
  channels: { id: number; bankId: number | null; weight: number }[];
}

async function ensureChannels(db: Executor, now: Date) {
  const out: Registry['channels'] = [];
  for (const c of demoChannels) {
    let [row] = await db.select({ id: channels.id, bankId: channels.bankId }).from(channels).where(eq(channels.name, c.name));
    if (!row) {
      const [bank] = c.bankCode ? await db.select({ id: banks.id }).from(banks).where(eq(banks.code, c.bankCode)) : [];
      [row] = await db.insert(channels).values({ code: randomCode(10), name: c.name, kind: c.kind, district: c.district, bankId: bank?.id ?? null, createdAt: new Date(now.getTime() - 400 * DAY) })
        .returning({ id: channels.id, bankId: channels.bankId });
    }
    out.push({ id: row!.id, bankId: row!.bankId, weight: c.weight });
  }
  return out;
}

async function loadRegistry(db: Executor, r: Random, now: Date): Promise<Registry> {
  const rows = await db.select({ p: products, bankName: banks.name }).from(products).innerJoin(banks, eq(banks.id, products.bankId))
    .where(eq(products.status, 'published'));
  if (!rows.length) throw new Error('no published products: seed the registry first (npm run seed)');
  const list = rows.map(({ p, bankName }) => ({
    id: p.id, bankId: p.bankId, type: p.type, amountMax: p.amountMax, rateMin: Number(p.rateMin), rateMax: Number(p.rateMax), guaranteeTypes: p.guaranteeTypes,
    snapshot: { id: p.id, bankName, code: p.code, version: p.version, ...productFields(p) },
  }));
  const habits = new Map<number, BankHabit>();
  for (const bankId of new Set(list.map((p) => p.bankId))) {
    habits.set(bankId, { acceptMedianHours: 2 + r.next() * 16, lapse: 0.02 + r.next() * 0.1, approval: 0.45 + r.next() * 0.3 });
  }
  const officers = await db.select({ id: users.id, branchId: users.branchId }).from(users).where(and(eq(users.role, 'bank_officer'), eq(users.active, true)));
  const branchesByBank = new Map<number, { id: number; district: string | null; officers: number[] }[]>();
  for (const b of await db.select().from(branches).where(eq(branches.active, true))) {
    const list = branchesByBank.get(b.bankId) ?? [];
    list.push({ id: b.id, district: b.district, officers: officers.filter((o) => o.branchId === b.id).map((o) => o.id) });
    branchesByBank.set(b.bankId, list);
  }
  return { products: list, habits, branchesByBank, channels: await ensureChannels(db, now) };
}

/** A three-digit part of the USCC no earlier run used, so a second run adds companies instead of colliding. */
async function freshSalt(db: Executor, r: Random): Promise<string> {
  for (;;) {
    const salt = String(r.int(100, 999));
    const [used] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from companies where substr(uscc, 9, 3) = ${salt}`);
    if (!used!.n) return salt;
  }
}

/** A working day by the holiday calendar; Monday–Friday in a year whose calendar is not loaded. */
function workday(day: Date): boolean {
  try {
    return isWorkingDay(day);
  } catch (err) {
    if (!(err instanceof CalendarGapError)) throw err;
    const weekday = new Date(day.getTime() + 8 * HOUR).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }
}

/** Weight of each day: weekdays busy, weekends and holidays quiet, growing over the year, busier in March–April and September–November. */
function dayWeights(start: Date, days: number): number[] {
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(start.getTime() + i * DAY);
    const month = new Date(day.getTime() + 8 * HOUR).getUTCMonth();
    const season = [3, 4, 9, 10, 11].includes(month + 1) ? 1.3 : month === 1 ? 0.5 : 1;
    return (workday(day) ? 1 : 0.12) * (0.6 + (0.8 * i) / days) * season;
  });
}

const applicationColumns = {
  id: 'int', company_id: 'int', company_snapshot: 'jsonb', contact_name: 'text', contact_phone: 'text', need_amount: 'bigint',
  need_term_months: 'int', need_purpose: 'text', channel_id: 'int', mode: 'text', is_first_loan: 'boolean', company_size: 'text',
  tracking_token: 'text', status: 'text', flagged_broker: 'boolean', flag_reason: 'text', consent_version: 'text', consent_at: 'timestamptz',
  created_at: 'timestamptz', updated_at: 'timestamptz', withdrawn_at: 'timestamptz',
};
const companyColumns = {
  id: 'int', uscc: 'text', name: 'text', district: 'text', industry: 'text', established_on: 'date', employees: 'int', annual_revenue: 'bigint',
  total_assets: 'bigint', tax_rating: 'text', has_bank_loan: 'boolean', overdue_count: 'int', collateral: 'jsonb', guarantee_available: 'boolean',
  created_at: 'timestamptz', updated_at: 'timestamptz',
};
const leadColumns = {
  id: 'int', application_id: 'int', bank_id: 'int', product_id: 'int', open: 'boolean', branch_id: 'int', officer_id: 'int', status: 'text',
  claimed_at: 'timestamptz', contacted_at: 'timestamptz', decided_at: 'timestamptz', disbursed_at: 'timestamptz', closed_at: 'timestamptz',
  accept_due_at: 'timestamptz', contact_due_at: 'timestamptz', decision_due_at: 'timestamptz', escalate_at: 'timestamptz', escalated_at: 'timestamptz',
  accept_working_hours: 'numeric', contact_working_hours: 'numeric', decision_working_hours: 'numeric', terms_amount: 'bigint',
  terms_rate_pct: 'numeric', terms_months: 'int', terms_guarantee_type: 'text', decline_reason: 'text', decision_note: 'text',
  first_loan_confirmed: 'boolean', disbursed_on: 'text', disbursed_amount: 'bigint', created_at: 'timestamptz', updated_at: 'timestamptz',
};
const eventColumns = { lead_id: 'int', at: 'timestamptz', actor_type: 'text', action: 'text', from_status: 'text', to_status: 'text', note: 'text' };
const consentColumns = { application_id: 'int', bank_id: 'int', purpose: 'text', version: 'text', granted_at: 'timestamptz' };

interface Batch {
  companies: Record<string, unknown>[];
  applications: Record<string, unknown>[];
  leads: (DemoLead & { applicationId: number; bankId: number; productId: number; open: boolean; branchId: number | null; officerId: number | null; createdAt: Date })[];
  consents: Record<string, unknown>[];
}

async function flush(db: Db, b: Batch, snapshots: Record<string, unknown>, history: boolean) {
  await db.transaction(async (tx) => {
    const ids = await reserveIds(tx, 'leads', b.leads.length);
    await insertRows(tx, 'companies', companyColumns, b.companies);
    await insertRows(tx, 'applications', applicationColumns, b.applications);
    await insertRows(tx, 'leads', leadColumns, b.leads.map((l, i) => ({
      id: ids[i], application_id: l.applicationId, bank_id: l.bankId, product_id: l.productId, open: l.open, branch_id: l.branchId,
      officer_id: l.claimedAt ? l.officerId : null, status: l.status, claimed_at: l.claimedAt, contacted_at: l.contactedAt, decided_at: l.decidedAt,
      disbursed_at: l.disbursedAt, closed_at: l.closedAt, accept_due_at: l.acceptDueAt, contact_due_at: l.contactDueAt, decision_due_at: l.decisionDueAt,
      escalate_at: l.escalateAt, escalated_at: l.escalatedAt, accept_working_hours: l.acceptWorkingHours, contact_working_hours: l.contactWorkingHours,
      decision_working_hours: l.decisionWorkingHours, terms_amount: l.termsAmount, terms_rate_pct: l.termsRatePct, terms_months: l.termsMonths,
      terms_guarantee_type: l.termsGuaranteeType, decline_reason: l.declineReason, decision_note: l.decisionNote, first_loan_confirmed: l.firstLoanConfirmed,
      disbursed_on: l.disbursedOn, disbursed_amount: l.disbursedAmount, created_at: l.createdAt, updated_at: l.events[l.events.length - 1]!.at,
    })), { column: 'product_snapshot', type: 'jsonb', key: 'product_id', values: snapshots });
    if (!history) return;
    await insertRows(tx, 'consents', consentColumns, b.consents);
    await insertRows(tx, 'lead_events', eventColumns, b.leads.flatMap((l, i) => l.events.map((e) => ({
      lead_id: ids[i], at: e.at, actor_type: e.action === 'created' || e.action === 'withdraw' ? (e.action === 'created' ? 'system' : 'applicant') : 'staff',
      action: e.action, from_status: e.from, to_status: e.to, note: e.note ?? null,
    }))));
  });
}

/**
 * Fills the database with a year of plausible activity through the city's QR channels: companies,
 * requests, leads that banks accepted, contacted, approved or declined at each bank's own pace, and
 * disbursements. Rows are written directly (not through the API) in batches, one transaction each;
 * no webhook is queued for this history.
 */
export async function generateActivity(db: Db, o: ActivityOptions): Promise<ActivitySummary> {
  if (isProductionProcess()) throw new Error('demo activity is never generated in production (NODE_ENV=production)');
  const r = new Random(o.seed ?? 20_261_122);
  const days = o.days ?? 365;
  const history = o.history ?? true;
  const batchSize = o.batchSize ?? 2000;
  const registry = await loadRegistry(db, r, o.now);
  const snapshots = Object.fromEntries(registry.products.map((p) => [String(p.id), p.snapshot]));
  const salt = await freshSalt(db, r);
  // Shanghai midnight `days - 1` days before today, so the last day simulated is today.
  const start = new Date(Math.floor((o.now.getTime() + 8 * HOUR) / DAY) * DAY - 8 * HOUR - (days - 1) * DAY);
  const weights = dayWeights(start, days);
  let weightLeft = weights.reduce((s, w) => s + w, 0);
  const perApplication = 1.9; // 45 % ask one bank, 35 % two, 20 % three; open requests (12 %) reach three
  const companies: { id: number; profile: ReturnType<typeof demoCompany>; phone: string; contact: string }[] = [];
  const brokers = Array.from({ length: 2 }, () => ({ phone: mobile(r), name: personName(r), count: 0 }));
  const channelWeights = registry.channels.map((c) => [c, c.weight] as const);
  const requestsByChannel = new Map<number, number>();
  const summary: ActivitySummary = { applications: 0, leads: 0, companies: 0, channels: registry.channels.length };
  let batch: Batch = { companies: [], applications: [], leads: [], consents: [] };

  for (let d = 0; d < days && summary.leads < o.leads; d++) {
    // What is still wanted, spread over the days left, so chance does not leave the run short or long.
    const expected = (Math.max(0, o.leads - summary.leads) / perApplication) * (weights[d]! / weightLeft);
    weightLeft -= weights[d]!;
    const count = Math.floor(expected) + (r.chance(expected % 1) ? 1 : 0);
    // Office hours mostly: from 08:30, median about 11:30, a few in the evening.
    const times = Array.from({ length: count }, () => start.getTime() + d * DAY + (8.5 + Math.min(14, r.logNormal(3, 0.7))) * HOUR)
      .filter((t) => t < o.now.getTime()).sort((a, b) => a - b);
    const ids = await reserveIds(db, 'applications', times.length);
    const companyIds = await reserveIds(db, 'companies', times.length);
    // A couple of loan brokers at work lately, each filing every fifth day for yet another company (the desk's flag list).
    const brokerToday = d >= days - 45 && d % 5 < brokers.length ? brokers[d % 5]! : null;
    for (const [k, time] of times.entries()) {
      if (summary.leads >= o.leads) break;
      const createdAt = new Date(time);
      const broker = k === 0 ? brokerToday : null;
      let company = !broker && companies.length && r.chance(0.12) ? r.pick(companies) : undefined;
      if (!company) {
        const district = r.weighted(demoDistricts);
        const profile = demoCompany(r, { uscc: uscc(district, salt, companies.length), district, districtName: demoRegistryCity.districts[district]!.zh, today: createdAt });
        company = { id: companyIds[k]!, profile, phone: broker?.phone ?? mobile(r), contact: broker?.name ?? personName(r) };
        companies.push(company);
        const p = profile;
        batch.companies.push({
          id: company.id, uscc: p.uscc, name: p.name, district: p.district, industry: p.industry, established_on: p.establishedOn, employees: p.employees,
          annual_revenue: p.annualRevenue, total_assets: p.totalAssets, tax_rating: p.taxRating, has_bank_loan: p.hasBankLoan, overdue_count: p.overdueCount,
          collateral: p.collateral, guarantee_available: p.guaranteeAvailable, created_at: createdAt, updated_at: createdAt,
        });
      }
      if (broker) broker.count++;
      const p = company.profile;
      const channel = r.weighted(channelWeights);
      requestsByChannel.set(channel.id, (requestsByChannel.get(channel.id) ?? 0) + 1);
      const open = r.chance(0.12);
      const need = { amount: Math.round(Math.min(10_000_000, r.logNormal(800_000, 0.7)) / 10_000) * 10_000, termMonths: r.pick([6, 12, 12, 12, 24, 36]) };
      const banksWanted = open ? 3 : r.weighted([[1, 45], [2, 35], [3, 20]] as const);
      const chosen: typeof registry.products = [];
      while (chosen.length < banksWanted) {
        const fromChannelBank = channel.bankId && !chosen.length && r.chance(0.7) ? registry.products.filter((x) => x.bankId === channel.bankId) : [];
        const product = r.pick(fromChannelBank.length ? fromChannelBank : registry.products);
        if (!chosen.some((c) => c.bankId === product.bankId)) chosen.push(product);
      }
      const withdrawAt = r.chance(0.04) ? new Date(createdAt.getTime() + r.logNormal(30, 0.8) * HOUR) : null;
      const withdrawn = withdrawAt && withdrawAt <= o.now;
      const id = ids[k]!;
      batch.applications.push({
        id, company_id: company.id, company_snapshot: p, contact_name: company.contact, contact_phone: company.phone, need_amount: need.amount,
        need_term_months: need.termMonths, need_purpose: purpose(r), channel_id: channel.id, mode: open ? 'open' : 'chosen', is_first_loan: !p.hasBankLoan,
        company_size: companySize({ industry: p.industry!, employees: p.employees!, revenue: p.annualRevenue!, assets: p.totalAssets }),
        tracking_token: randomToken(), status: withdrawn ? 'withdrawn' : 'open', flagged_broker: !!broker && broker.count > 3,
        flag_reason: broker && broker.count > 3 ? `the same phone applied for ${broker.count} companies in 45 days` : null,
        consent_version: CONSENT_VERSION, consent_at: createdAt, created_at: createdAt, updated_at: createdAt, withdrawn_at: withdrawn ? withdrawAt : null,
      });
      for (const product of chosen) {
        const branchList = registry.branchesByBank.get(product.bankId) ?? [];
        const branch = branchList.find((b) => b.district === p.district) ?? branchList[0];
        const lead = simulateLead(r, { createdAt, now: o.now, product, habit: registry.habits.get(product.bankId)!, need, isFirstLoan: !p.hasBankLoan, withdrawAt });
        batch.leads.push({ ...lead, applicationId: id, bankId: product.bankId, productId: product.id, open, branchId: branch?.id ?? null, officerId: branch?.officers.length ? r.pick(branch.officers) : null, createdAt });
        batch.consents.push({ application_id: id, bank_id: product.bankId, purpose: 'dispatch', version: CONSENT_VERSION, granted_at: createdAt });
      }
      summary.applications++;
      summary.leads += chosen.length;
    }
    if (batch.leads.length >= batchSize || d === days - 1 || summary.leads >= o.leads) {
      await flush(db, batch, snapshots, history);
      summary.companies += batch.companies.length;
      batch = { companies: [], applications: [], leads: [], consents: [] };
      o.onBatch?.(summary.leads);
    }
  }
  // Scans outnumber requests: people scan, look, and come back later (three per request of this run).
  for (const [id, n] of requestsByChannel) {
    await db.execute(sql`update channels set scan_count = scan_count + ${n * 3}, last_scan_at = ${o.now.toISOString()}::timestamptz where id = ${id}`);
  }
  return summary;
}
