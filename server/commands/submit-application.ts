import { createHash } from 'node:crypto';
import { toFacts } from '../../matchers/facts';
import type { Matcher, MatchResult } from '../../matchers/matcher';
import type { AppContext } from '../context';
import { randomToken } from '../domain/codes';
import { requireConsent } from '../domain/consent';
import { shanghaiDate } from '../domain/lpr';
import { referenceOf } from '../domain/reference';
import { ConflictError, UnprocessableError } from '../errors';
import { stableStringify } from '../stable-json';
import type { Executor } from '../db';
import { insertDispatch, productsByIds, submissionChecks } from '../../models/applications-queries';
import { enqueueChanges } from '../../models/lead-changes';
import { notifyNewLeads } from '../../models/lead-create';
import { routeLead } from '../../models/routing';
import { claimIdempotencyKey, completeIdempotencyKey, findIdempotencyKey, insertApplication, leadsByIds, upsertCompanyRow } from '../../models/submissions';
import { policiesFor } from '../../models/sla';
import { deadlinesFor, type Deadlines } from '../sla';
import { productFields } from '../../models/products';
import type { SubmitApplicationInput } from '../../routes/applications/schema';
import { requireEligible } from './hand-over';

const DAY = 86_400_000;
const DUPLICATE_WINDOW_DAYS = 30;
const BROKER_WINDOW_DAYS = 30;
/** More distinct companies than this from one phone in the window flags the request for the desk. */
const BROKER_COMPANIES = 3;

/** What a submission answers: the request as recorded, and whether this is the replay of an earlier one (same Idempotency-Key and body). */
export interface Submitted {
  body: SubmissionAnswer;
  replayed: boolean;
}

export interface SubmissionAnswer {
  id: number;
  reference: string;
  trackingToken: string;
  trackingUrl: string;
  leads: { id: number; bankId: number; productId: number; status: string }[];
}

/** Which products the request goes to: the chosen ones (each eligible), or the best of each eligible consenting bank. */
export function recipients(input: SubmitApplicationInput, results: MatchResult[]): MatchResult[] {
  if (input.mode === 'chosen') return input.productIds!.map((productId, i) => requireEligible(results, productId, `productIds.${i}`));
  const best = new Map<number, MatchResult>();
  for (const r of results) if (r.eligible && !best.has(r.product.bankId)) best.set(r.product.bankId, r);
  const chosen = [...best.values()].filter((r) => input.consent.banks.includes(r.product.bankId));
  if (chosen.length === 0) throw new UnprocessableError('no_eligible_bank', 'No bank named in the consent has a product this company is eligible for.');
  return chosen;
}

/**
 * The consents to record: each recipient bank, and (chosen mode) each other consented bank with an
 * eligible product as a standby, to which the desk may hand the request if a bank does not accept it in time.
 */
function consentsOf(input: SubmitApplicationInput, to: MatchResult[], results: MatchResult[]) {
  const recipients = new Set(to.map((r) => r.product.bankId));
  const eligible = new Set(results.filter((r) => r.eligible).map((r) => r.product.bankId));
  return [
    ...[...recipients].map((bankId) => ({ bankId, purpose: 'dispatch' as const })),
    ...[...new Set(input.consent.banks)].filter((b) => !recipients.has(b) && eligible.has(b)).map((bankId) => ({ bankId, purpose: 'standby' as const })),
  ];
}

async function upsertCompany(tx: Executor, c: SubmitApplicationInput['company'], now: Date): Promise<number> {
  const values = {
    uscc: c.uscc, name: c.name, district: c.district, industry: c.industry, establishedOn: c.establishedOn, employees: c.employees,
    annualRevenue: c.annualRevenue, totalAssets: c.totalAssets ?? null, taxRating: c.taxRating, hasBankLoan: c.hasBankLoan,
    overdueCount: c.overdueCount, collateral: c.collateral, guaranteeAvailable: c.guaranteeAvailable, updatedAt: now,
  };
  return upsertCompanyRow(tx, values);
}

export interface SubmitOptions {
  idempotencyKey?: string;
  ip?: string;
  /** Run inside this transaction (a savepoint): the assisted application's confirmation and its request are one write. */
  tx?: Executor;
  /** The desk user who filled the request in with the owner (代办). */
  assistedBy?: number;
  /** The compiled catalogue, read before `tx` was opened (PGlite has one connection: reading it inside would wait on `tx`). */
  matcher?: Matcher;
}

/**
 * Records a request and its leads in one transaction: company upserted by USCC, the application, a
 * consent per recipient bank, a lead per product with its snapshot, and their first events. With an
 * Idempotency-Key, the same key and body replays the first answer; the same key with another body is 422.
 */
export async function submitApplication(ctx: AppContext, input: SubmitApplicationInput, opts: SubmitOptions): Promise<Submitted> {
  const requestHash = createHash('sha256').update(stableStringify(input)).digest('hex');
  const now = ctx.clock.now();
  const matcher = opts.matcher ?? await ctx.catalogue.current();
  const facts = toFacts(input.company, input.need, shanghaiDate(now));
  const results = matcher.match(facts);

  return (opts.tx ?? ctx.db).transaction(async (tx) => {
    if (opts.idempotencyKey) {
      if (!(await claimIdempotencyKey(tx, opts.idempotencyKey, requestHash, now))) {
        const prior = await findIdempotencyKey(tx, opts.idempotencyKey);
        if (!prior || prior.requestHash !== requestHash || prior.status === null) {
          throw new UnprocessableError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
        }
        return { body: prior.response as SubmissionAnswer, replayed: true };
      }
    }

    const to = recipients(input, results);
    requireConsent(input.consent, to.map((r) => r.product.bankId));
    const companyId = await upsertCompany(tx, input.company, now);

    const checks = await submissionChecks(tx, {
      companyId, productIds: to.map((r) => r.product.id), phone: input.contact.phone, channelCode: input.channelCode,
      duplicateSince: new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * DAY), brokerSince: new Date(now.getTime() - BROKER_WINDOW_DAYS * DAY),
    });
    if (checks.duplicate) {
      // Nothing of the first request (id, date, link) is repeated: the caller may hold only a USCC and a phone.
      // The applicant recovers the link by phone lookup; a caller with another phone is answered as if alone (below).
      throw new ConflictError({
        code: 'duplicate_application',
        detail: 'This phone already has an open request for this company and product. Find its tracking link with a lookup by phone, or call the financing desk.',
      });
    }

    const others = checks.otherCompanies;
    const flagged = others + 1 > BROKER_COMPANIES;
    const second = checks.otherContact;
    const reasons = [
      flagged ? `the same phone applied for ${others + 1} companies in ${BROKER_WINDOW_DAYS} days` : null,
      second ? `second contact: ${referenceOf(second.applicationId, second.createdAt)} from another phone is open for this company and product` : null,
    ].filter((r) => r !== null);
    const trackingToken = randomToken();
    const applicationId = await insertApplication(tx, {
      companyId, companySnapshot: input.company, contactName: input.contact.name, contactPhone: input.contact.phone,
      needAmount: input.need.amount, needTermMonths: input.need.termMonths, needPurpose: input.need.purpose ?? '',
      channelId: checks.channelId, mode: input.mode, isFirstLoan: !input.company.hasBankLoan, companySize: facts.size ?? null, trackingToken,
      flaggedBroker: flagged, secondContact: second !== undefined, assistedBy: opts.assistedBy ?? null, flagReason: reasons.length ? reasons.join('; ') : null,
      consentVersion: input.consent.version, consentAt: now, consentIp: opts.ip ?? null, createdAt: now, updatedAt: now,
    });

    // The versions the matcher judged, as compiled (a publish since then does not change what was chosen).
    const missing = to.filter((r) => !ctx.catalogue.publishedRow(r.product.id)).map((r) => r.product.id);
    const fetched = await productsByIds(tx, missing);
    const routes = new Map<number, { branchId: number | null; officerId: number | null; deadlines: Deadlines }>();
    // Rows are always locked in ascending bank id (branches here, banks below): no two requests deadlock.
    const bankIds = [...new Set(to.map((r) => r.product.bankId))].sort((a, b) => a - b);
    const policies = await policiesFor(tx, bankIds, now);
    for (const bankId of bankIds) {
      const deadlines = deadlinesFor(now, policies.get(bankId)!, (err) => ctx.logger.warn({ err: err.message }, 'SLA deadline past the loaded holiday schedules; counted Monday–Friday'));
      routes.set(bankId, { ...(await routeLead(tx, bankId, input.company.district)), deadlines });
    }
    const created = await insertDispatch(tx, {
      applicationId, consents: consentsOf(input, to, results), version: input.consent.version,
      ip: opts.ip ?? null, now, open: input.mode === 'open', note: input.mode === 'open' ? 'open request (抢单)' : null,
      leads: to.map((r) => {
        const p = ctx.catalogue.publishedRow(r.product.id) ?? fetched.find((x) => x.product.id === r.product.id)!;
        return { bankId: p.product.bankId, productId: p.product.id, ...routes.get(p.product.bankId)!, snapshot: { id: p.product.id, bankName: p.bankName, code: p.product.code, version: p.product.version, ...productFields(p.product) } };
      }),
    });
    const rows = await leadsByIds(tx, created.map((l) => l.id));
    await notifyNewLeads(tx, rows, now);
    await enqueueChanges(tx, rows.map((lead) => ({ lead, event: 'lead.created' })), now);

    const body: SubmissionAnswer = {
      id: applicationId,
      reference: referenceOf(applicationId, now),
      trackingToken,
      trackingUrl: `${ctx.config.publicBaseUrl}/track/${trackingToken}`,
      leads: created,
    };
    if (opts.idempotencyKey) await completeIdempotencyKey(tx, opts.idempotencyKey, body);
    return { body, replayed: false };
  });
}
