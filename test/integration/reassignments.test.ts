import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { leads, outbox } from '../../models/leads';
import { reassignments } from '../../models/reassignments';
import type { UserRow } from '../../models/users';
import { slaCheck } from '../../server/jobs/sla-check';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { sh } from '../helpers/time';
import { eligibleFor, hardwareMaker, requestAtBank } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildLendingBank, buildProduct, buildUser, tokenFor } from '../helpers/factories';

interface Candidate { product: { id: number; bankId: number; bankName: string }; consentOnFile: boolean }
interface QueueItem { id: number; bankId: number; offer: { id: number } | null; candidates: Candidate[] }

describe('the desk\'s reassignment queue', function () {
  this.timeout(60_000);
  let app: TestApp;
  let bankA: number;
  let adminA: UserRow;
  let desk: UserRow;
  let deskToken: string;

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-02T10:00')) });
    bankA = (await buildLendingBank(app.db)).id;
    // Other banks the company qualifies at (where a handed-back request may go), and a product it does not (A-rated only).
    await buildLendingBank(app.db);
    const other = await buildLendingBank(app.db);
    await buildProduct(app.db, other.id, { criteria: { taxRatings: ['A'] } });
    adminA = await buildUser(app.db, { role: 'bank_admin', bankId: bankA });
    desk = await buildUser(app.db, { role: 'desk' });
  });
  after(() => app.close());

  /** A request to bank A made Monday 10:00 and left alone until it is handed back (Thursday 10:00). */
  async function escalatedLead(opts: { standby?: boolean } = {}) {
    app.clock.set(sh('2026-03-02T10:00'));
    const company = hardwareMaker();
    const other = (await eligibleFor(app, company)).find((p) => p.bankId !== bankA)!;
    const made = await requestAtBank(app, bankA, { company, standbyBanks: opts.standby ? [other.bankId] : [] });
    app.clock.set(sh('2026-03-05T10:01'));
    await slaCheck.run(jobDeps(app));
    deskToken = await tokenFor(app, desk);
    return { ...made, standbyBankId: other.bankId };
  }

  async function queueItem(leadId: number): Promise<QueueItem | undefined> {
    const res = await app.call('GET', '/api/reassignments/queue?pageSize=200', { token: deskToken });
    expect(res.status).to.equal(200);
    return (res.body.items as QueueItem[]).find((i) => i.id === leadId);
  }

  const trackOf = async (token: string) => (await app.call('GET', `/api/applications/track/${token}`)).body;

  it('lists handed-back leads for the desk and admins only, with other banks to send them to', async () => {
    const { leadId, standbyBankId } = await escalatedLead({ standby: true });
    const item = await queueItem(leadId);
    expect(item, 'the escalated lead is in the queue').to.not.equal(undefined);
    expect(item!.offer).to.equal(null);
    expect(item!.candidates.length).to.be.within(1, 5);
    expect(item!.candidates.every((c) => c.product.bankId !== bankA), 'never the bank that already has it').to.equal(true);
    expect(item!.candidates[0]).to.deep.include({ consentOnFile: true });
    expect(item!.candidates[0]!.product.bankId).to.equal(standbyBankId);
    expectProblem(await app.call('GET', '/api/reassignments/queue', { token: await tokenFor(app, adminA) }), 403);
    expectProblem(await app.call('GET', '/api/reassignments/queue'), 401);
    const admin = await buildUser(app.db, { role: 'admin' });
    expect((await app.call('GET', '/api/reassignments/queue', { token: await tokenFor(app, admin) })).status).to.equal(200);
  });

  it('hands over at once when the applicant consented to that bank, without telling the old bank where it went', async () => {
    const { leadId, trackingToken, standbyBankId } = await escalatedLead({ standby: true });
    const target = (await queueItem(leadId))!.candidates.find((c) => c.product.bankId === standbyBankId)!;
    const res = await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId, productId: target.product.id, note: '农行逾期未受理' } });
    expect(res.status).to.equal(201);
    expect(res.body).to.include({ status: 'done', toBankId: standbyBankId, leadId });
    const [old] = await app.db.select().from(leads).where(eq(leads.id, leadId));
    expect(old!.status).to.equal('expired');
    const [fresh] = await app.db.select().from(leads).where(eq(leads.id, res.body.newLeadId));
    expect(fresh).to.include({ bankId: standbyBankId, status: 'new', applicationId: old!.applicationId });
    expect(fresh!.acceptDueAt!.getTime(), 'a fresh SLA clock from the hand-over').to.be.greaterThan(app.clock.now().getTime());
    expect(fresh!.escalatedAt).to.equal(null);
    // Both banks hear of it through their own feed; the old bank's history never names the new bank.
    expect(await app.db.select().from(outbox).where(and(eq(outbox.leadId, fresh!.id), eq(outbox.bankId, standbyBankId)))).to.have.length(1);
    const tokenA = await tokenFor(app, adminA);
    const events = (await app.call('GET', `/api/leads/${leadId}/events`, { token: tokenA })).body.items as { action: string; note: string }[];
    expect(events.at(-1)).to.include({ action: 'reassigned' });
    expect(JSON.stringify(events)).not.to.include(target.product.bankName);
    expectProblem(await app.call('GET', `/api/leads/${fresh!.id}`, { token: tokenA }), 404);
    const notes = (await app.call('GET', '/api/notifications', { token: tokenA })).body.items as { kind: string }[];
    expect(notes.some((n) => n.kind === 'lead_reassigned_away')).to.equal(true);
    expect(JSON.stringify(notes)).not.to.include(target.product.bankName);
    // The applicant sees the new bank; the desk's queue no longer holds the lead.
    const tracking = await trackOf(trackingToken);
    expect(tracking.leads.map((l: { status: string }) => l.status)).to.deep.equal(['expired', 'new']);
    expect(await queueItem(leadId)).to.equal(undefined);
  });

  it('otherwise asks the applicant on the tracking page, and hands over once they consent', async () => {
    const { leadId, trackingToken } = await escalatedLead();
    const target = (await queueItem(leadId))!.candidates.find((c) => !c.consentOnFile)!;
    const res = await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId, productId: target.product.id } });
    expect(res.status).to.equal(202);
    expect(res.body).to.include({ status: 'awaiting_consent', bankName: target.product.bankName });
    expect((await queueItem(leadId))!.offer).to.include({ id: res.body.id });
    expectProblem(await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId, productId: target.product.id } }), 409, 'offer_pending');

    const tracking = await trackOf(trackingToken);
    expect(tracking.offers).to.have.length(1);
    expect(tracking.offers[0]).to.include({ id: res.body.id, bankName: target.product.bankName });
    const consent = (await app.call('GET', '/api/applications/consent')).body;
    const path = `/api/applications/track/${trackingToken}/offers/${res.body.id}`;
    expectProblem(await app.call('POST', path, { body: { accept: true, consent: { version: consent.version, banks: [bankA] } } }), 422, 'consent_missing');
    expectFieldErrors(await app.call('POST', path, { body: { accept: true } }), ['consent']);
    const accepted = await app.call('POST', path, { body: { accept: true, consent: { version: consent.version, banks: [target.product.bankId] } } });
    expect(accepted.status).to.equal(200);
    expect(accepted.body.offers).to.deep.equal([]);
    expect(accepted.body.leads.map((l: { bankId: number; status: string }) => [l.bankId, l.status])).to.deep.equal([[bankA, 'expired'], [target.product.bankId, 'new']]);
    const [offer] = await app.db.select().from(reassignments).where(eq(reassignments.id, res.body.id));
    expect(offer).to.include({ status: 'done' });
    expect(offer!.newLeadId).to.be.a('number');
    const deskNotes = (await app.call('GET', '/api/notifications', { token: deskToken })).body.items as { kind: string }[];
    expect(deskNotes.some((n) => n.kind === 'offer_accepted')).to.equal(true);
    expectProblem(await app.call('POST', path, { body: { accept: true, consent: { version: consent.version, banks: [target.product.bankId] } } }), 409, 'offer_closed');
  });

  it('keeps the lead in the queue when the applicant declines', async () => {
    const { leadId, trackingToken } = await escalatedLead();
    const target = (await queueItem(leadId))!.candidates[0]!;
    const offer = (await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId, productId: target.product.id } })).body;
    const declined = await app.call('POST', `/api/applications/track/${trackingToken}/offers/${offer.id}`, { body: { accept: false } });
    expect(declined.status).to.equal(200);
    expect(declined.body.leads.map((l: { status: string }) => l.status)).to.deep.equal(['new']);
    expect((await queueItem(leadId))!.offer).to.equal(null);
    const history = (await app.call('GET', '/api/reassignments?status=declined', { token: deskToken })).body.items as { id: number }[];
    expect(history.map((h) => h.id)).to.include(offer.id);
  });

  it('lets an offer lapse when the first bank accepts late, and lets the desk cancel one', async () => {
    const { leadId, trackingToken } = await escalatedLead();
    const target = (await queueItem(leadId))!.candidates[0]!;
    const offer = (await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId, productId: target.product.id } })).body;
    const officer = await buildUser(app.db, { role: 'bank_officer', bankId: bankA });
    expect((await app.call('POST', `/api/leads/${leadId}/claim`, { token: await tokenFor(app, officer) })).status).to.equal(200);
    expect((await trackOf(trackingToken)).offers).to.deep.equal([]);
    expectProblem(await app.call('POST', `/api/applications/track/${trackingToken}/offers/${offer.id}`, { body: { accept: false } }), 409, 'offer_closed');
    expect(await queueItem(leadId)).to.equal(undefined);
    expectProblem(await app.call('POST', `/api/reassignments/${offer.id}/cancel`, { token: deskToken }), 409, 'offer_closed');

    const second = await escalatedLead();
    const pick = (await queueItem(second.leadId))!.candidates[0]!;
    const pending = (await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId: second.leadId, productId: pick.product.id } })).body;
    expect((await app.call('POST', `/api/reassignments/${pending.id}/cancel`, { token: deskToken })).body).to.include({ status: 'cancelled' });
    expect((await trackOf(second.trackingToken)).offers).to.deep.equal([]);
  });

  it('refuses what would be wrong: a lead not handed back, a bank already asked, an ineligible product, another request\'s offer', async () => {
    const { leadId, trackingToken } = await escalatedLead();
    app.clock.set(sh('2026-03-02T10:00'));
    const fresh = await requestAtBank(app, bankA);
    const item = (await queueItem(leadId))!;
    expectProblem(await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId: fresh.leadId, productId: item.candidates[0]!.product.id } }), 409, 'not_escalated');
    const ownBank = (await eligibleFor(app, hardwareMaker())).find((p) => p.bankId === bankA)!;
    expectProblem(await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId, productId: ownBank.id } }), 409, 'bank_already_asked');
    const match = await app.call('POST', '/api/match', { body: { company: hardwareMaker(), need: { amount: 1_000_000, termMonths: 12, purpose: 'x' }, limit: 1000 } });
    const ineligible = (match.body.results as { eligible: boolean; product: { id: number } }[]).find((r) => !r.eligible)!;
    expectProblem(await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId, productId: ineligible.product.id } }), 422, 'product_not_eligible');
    expectProblem(await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId: 999999, productId: ineligible.product.id } }), 404, 'lead_not_found');
    expectFieldErrors(await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId: 'x' } }), ['leadId', 'productId']);
    expectProblem(await app.call('POST', '/api/reassignments', { token: await tokenFor(app, adminA), body: { leadId, productId: ownBank.id } }), 403);

    const offer = (await app.call('POST', '/api/reassignments', { token: deskToken, body: { leadId, productId: item.candidates[0]!.product.id } })).body;
    expectProblem(await app.call('POST', `/api/applications/track/${fresh.trackingToken}/offers/${offer.id}`, { body: { accept: false } }), 404, 'offer_not_found');
    expect((await trackOf(trackingToken)).offers).to.have.length(1);
  });
});
