import { usccCheckChar } from '../../server/domain/uscc';
import type { TestApp } from './app';

let serial = 0;

/** A valid, unique USCC (GB 32100-2015 check character computed). */
export function uscc(): string {
  serial++;
  const body = `91441204MA${String(serial).padStart(4, '0')}${'ABC'[serial % 3]}${(serial * 7) % 10}${(serial * 3) % 10}`.slice(0, 17);
  return body + usccCheckChar(body);
}

/** The seed story's company: a hardware maker in Gaoyao that has never borrowed. */
export function hardwareMaker(overrides: Record<string, unknown> = {}) {
  return {
    uscc: uscc(), name: '肇庆市高要区金利五金制品有限公司', district: '441204', industry: 'C33', establishedOn: '2019-05-10',
    employees: 45, annualRevenue: 18_000_000, totalAssets: 12_000_000, taxRating: 'B', hasBankLoan: false, overdueCount: 0,
    collateral: ['equipment'], guaranteeAvailable: false, ...overrides,
  };
}

export const need = { amount: 1_000_000, termMonths: 12, purpose: '采购原材料' };

/** Eligible product results for a company, best first. */
export async function eligibleFor(app: TestApp, company: object, n = 132) {
  const res = await app.call('POST', '/api/match', { body: { company, need, limit: 1000 } });
  return (res.body.results as { eligible: boolean; product: { id: number; bankId: number; bankName: string } }[]).filter((r) => r.eligible).slice(0, n).map((r) => r.product);
}

/** A complete request body for chosen products of distinct banks, with consent for each of their banks. */
export async function chosenBody(app: TestApp, opts: { company?: Record<string, unknown>; count?: number; phone?: string; channelCode?: string } = {}) {
  const company = opts.company ?? hardwareMaker();
  const seen = new Set<number>();
  const products = (await eligibleFor(app, company)).filter((p) => !seen.has(p.bankId) && seen.add(p.bankId)).slice(0, opts.count ?? 2);
  const consent = (await app.call('GET', '/api/applications/consent')).body;
  return {
    ...(opts.channelCode ? { channelCode: opts.channelCode } : {}),
    company,
    contact: { name: '梁伟', phone: opts.phone ?? '13812345678' },
    need,
    mode: 'chosen',
    productIds: products.map((p) => p.id),
    consent: { version: consent.version, banks: products.map((p) => p.bankId) },
  };
}

/** Submits a request from a new company for one eligible product of this bank; answers its lead and tracking token. */
export async function requestAtBank(app: TestApp, bankId: number, opts: { company?: Record<string, unknown>; phone?: string; standbyBanks?: number[] } = {}) {
  const company = opts.company ?? hardwareMaker();
  const product = (await eligibleFor(app, company)).find((p) => p.bankId === bankId);
  if (!product) throw new Error(`no product of bank ${bankId} fits the test company`);
  const consent = (await app.call('GET', '/api/applications/consent')).body;
  const res = await app.call('POST', '/api/applications', {
    body: { company, contact: { name: '梁伟', phone: opts.phone ?? '13812345678' }, need, mode: 'chosen', productIds: [product.id], consent: { version: consent.version, banks: [bankId, ...(opts.standbyBanks ?? [])] } },
  });
  if (res.status !== 201) throw new Error(`request failed: ${res.status} ${res.text}`);
  return { leadId: res.body.leads[0].id as number, trackingToken: res.body.trackingToken as string, applicationId: res.body.id as number };
}
