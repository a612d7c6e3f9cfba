import { createHash } from 'node:crypto';
import { toFacts } from '../../matchers/facts';
import type { Matcher, MatchResult } from '../../matchers/matcher';
import type { AppContext } from '../context';
import { randomToken } from '../domain/codes';
import { requireConsent } from '../domain/consent';
import { shanghaiDate } from '../domain/lpr';
import { referenceOf } from '../domain/reference';
import { ConflictError, UnprocessableError } from '../errors';
import { rateLimited, type SharedRateLimiter } from '../middleware/rate-limit';
import type { Executor } from '../db';
import { stableStringify } from '../stable-json';
import { productsByIds, submissionChecks } from '../../models/applications-queries';
import { bankShortNamesSql } from '../../models/banks';
import { changeStatements } from '../../models/lead-changes';
import { newLeadNotificationsSql } from '../../models/lead-create';
import { newLead } from '../../models/leads';
import { rateLimitHit } from '../../models/rate-limits';
import { routeTargetsSql, takeTurn, type RouteTarget } from '../../models/routing';
import { findIdempotencyKey, openSubmission, writeSubmission } from '../../models/submissions';
import { policiesInForceSql, policiesOf, type PolicyRow } from '../../models/sla';
import { markAppliedSql } from '../../models/watches';
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

function companyValues(c: SubmitApplicationInput['company'], now: Date) {
  return {
    uscc: c.uscc, name: c.name, district: c.district, industry: c.industry, establishedOn: c.establishedOn, employees: c.employees,
    annualRevenue: c.annualRevenue, totalAssets: c.totalAssets ?? null, taxRating: c.taxRating, hasBankLoan: c.hasBankLoan,
    overdueCount: c.overdueCount, collateral: c.collateral, guaranteeAvailable: c.guaranteeAvailable, updatedAt: now,
  };
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
  /** A per-requester budget counted inside the transaction (the route's per-company limit): a refused request is not counted. */
  limit?: { limiter: SharedRateLimiter; key: string; what: string };
}

/**
 * Records a request and its leads in one transaction: company upserted by USCC, the application, a
 * consent per recipient bank, a lead per product with its snapshot, their first events, the staff's
 * notifications, the feed rows and the applicant's message. With an Idempotency-Key, the same key and body
 * replays the first answer; the same key with another body is 422. Four round trips (models/submissions.ts).
 */
export async function submitApplication(ctx: AppContext, input: SubmitApplicationInput, opts: SubmitOptions): Promise<Submitted> {
  const requestHash = createHash('sha256').update(stableStringify(input)).digest('hex');
  const now = ctx.clock.now();
  const matcher = opts.matcher ?? await ctx.catalogue.current();
  const facts = toFacts(input.company, input.need, shanghaiDate(now));
  const results = matcher.match(facts);
  // Where it goes, or why it cannot go: said only once the key is known not to be a replay's.
  let to: MatchResult[] = [];
  let refusal: unknown;
  try {
    to = recipients(input, results);
    requireConsent(input.consent, to.map((r) => r.product.bankId));
  } catch (err) {
    refusal = err;
  }

  return (opts.tx ?? ctx.db).transaction(async (tx) => {
    const limit = opts.limit;
    const opened = await openSubmission(tx, {
      key: opts.idempotencyKey, requestHash, now, company: companyValues(input.company, now), leadCount: to.length, hit: limit && ((when) => limit.limiter.hitSql(limit.key, now, when)),
    });
    if (!opened.go) {
      const prior = await findIdempotencyKey(tx, opts.idempotencyKey!);
      if (!prior || prior.requestHash !== requestHash || prior.status === null) {
        throw new UnprocessableError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
      }
      return { body: prior.response as SubmissionAnswer, replayed: true };
    }
    if (refusal) throw refusal;
    if (limit && opened.hit) {
      // Counted in this transaction: a request refused from here on (or rolled back) is not counted.
      const wait = limit.limiter.waitFor(rateLimitHit(opened.hit), now);
      if (wait > 0) throw rateLimited(wait, limit.what);
    }

    // The checks, with the SLA policies and routes of the recipient banks, in one round trip.
    const bankIds = [...new Set(to.map((r) => r.product.bankId))].sort((a, b) => a - b);
    const checks = await submissionChecks<{ policies: PolicyRow[]; routes: RouteTarget[]; bank_names: Record<string, string | null> | null }>(tx, {
      companyId: opened.companyId, productIds: to.map((r) => r.product.id), phone: input.contact.phone, channelCode: input.channelCode,
      duplicateSince: new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * DAY), brokerSince: new Date(now.getTime() - BROKER_WINDOW_DAYS * DAY),
    }, { policies: policiesInForceSql(bankIds, now), routes: routeTargetsSql(bankIds, input.company.district), bank_names: bankShortNamesSql(bankIds) });
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
    const applicationId = opened.applicationId;

    // The versions the matcher judged, as compiled (a publish since then does not change what was chosen).
    const missing = to.filter((r) => !ctx.catalogue.publishedRow(r.product.id)).map((r) => r.product.id);
    const fetched = await productsByIds(tx, missing);
    const policies = policiesOf(checks.also.policies, bankIds);
    const routes = new Map<number, { branchId: number | null; officerId: number | null; deadlines: Deadlines }>();
    // Round-robin branches are locked in ascending bank id: no two requests deadlock.
    for (const bankId of bankIds) {
      const deadlines = deadlinesFor(now, policies.get(bankId)!, (err) => ctx.logger.warn({ err: err.message }, 'SLA deadline past the loaded holiday schedules; counted Monday–Friday'));
      routes.set(bankId, { ...(await takeTurn(tx, checks.also.routes.find((t) => t.bankId === bankId))), deadlines });
    }
    const open = input.mode === 'open';
    const rows = to.map((r, i) => {
      const p = ctx.catalogue.publishedRow(r.product.id) ?? fetched.find((x) => x.product.id === r.product.id)!;
      const { deadlines, ...route } = routes.get(p.product.bankId)!;
      return newLead({
        id: opened.leadIds[i]!, applicationId, bankId: p.product.bankId, productId: p.product.id, open, ...route, ...deadlines, createdAt: now,
        productSnapshot: { id: p.product.id, bankName: p.bankName, code: p.product.code, version: p.product.version, ...productFields(p.product) },
      });
    });
    const body: SubmissionAnswer = {
      id: applicationId,
      reference: referenceOf(applicationId, now),
      trackingToken,
      trackingUrl: `${ctx.config.publicBaseUrl}/track/${trackingToken}`,
      leads: rows.map((l) => ({ id: l.id, bankId: l.bankId, productId: l.productId, status: l.status })),
    };
    // Feed rows go by bank, then lead id.
    const changes = [...rows].sort((a, b) => a.bankId - b.bankId || a.id - b.id).map((lead) => ({ lead, event: 'lead.created' }));
    const fresh = { id: applicationId, phone: input.contact.phone, token: trackingToken, createdAt: now, bankNames: new Map(Object.entries(checks.also.bank_names ?? {}).map(([k, v]) => [Number(k), v])) };
    await writeSubmission(tx, {
      application: {
        id: applicationId, companyId: opened.companyId, companySnapshot: input.company, contactName: input.contact.name, contactPhone: input.contact.phone,
        needAmount: input.need.amount, needTermMonths: input.need.termMonths, needPurpose: input.need.purpose ?? '',
        channelId: checks.channelId, mode: input.mode, isFirstLoan: !input.company.hasBankLoan, companySize: facts.size ?? null, trackingToken,
        flaggedBroker: flagged, secondContact: second !== undefined, assistedBy: opts.assistedBy ?? null, flagReason: reasons.length ? reasons.join('; ') : null,
        consentVersion: input.consent.version, consentAt: now, consentIp: opts.ip ?? null, createdAt: now, updatedAt: now,
      },
      consents: consentsOf(input, to, results).map((c) => ({ applicationId, bankId: c.bankId, purpose: c.purpose, version: input.consent.version, grantedAt: now, ip: opts.ip ?? null })),
      leads: rows,
      now,
      note: open ? 'open request (抢单)' : null,
      more: [
        ...newLeadNotificationsSql(rows, now),
        ...(await changeStatements(tx, changes, now, fresh)),
        markAppliedSql(input.contact.phone, input.company.uscc, now),
      ],
      key: opts.idempotencyKey,
      answer: body,
    });
    return { body, replayed: false };
  });
}
