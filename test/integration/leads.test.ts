import { expect } from 'chai';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog } from '../../models/audit';
import { leads, outbox } from '../../models/leads';
import type { UserRow } from '../../models/users';
import { shanghaiDate } from '../../server/domain/lpr';
import { startTestApp, type TestApp } from '../helpers/app';
import { requestAtBank } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBranch, buildLendingBank, buildUser, tokenFor } from '../helpers/factories';

describe('leads at the banks', function () {
  this.timeout(90_000);
  let app: TestApp;
  let bankA: number;
  let bankB: number;
  const u: Record<string, UserRow> = {};
  const t: Record<string, string> = {};

  before(async () => {
    app = await startTestApp();
    bankA = (await buildLendingBank(app.db)).id;
    bankB = (await buildLendingBank(app.db)).id;
    u.officerA = await buildUser(app.db, { role: 'bank_officer', bankId: bankA, name: '农行经理甲' });
    u.officerA2 = await buildUser(app.db, { role: 'bank_officer', bankId: bankA });
    u.adminA = await buildUser(app.db, { role: 'bank_admin', bankId: bankA });
    u.officerB = await buildUser(app.db, { role: 'bank_officer', bankId: bankB });
    u.adminB = await buildUser(app.db, { role: 'bank_admin', bankId: bankB });
    u.desk = await buildUser(app.db, { role: 'desk' });
    for (const [k, v] of Object.entries(u)) t[k] = await tokenFor(app, v);
  });
  after(() => app.close());

  /** A request from a fresh company to one product of the given bank; answers its lead id. */
  const leadAt = async (bankId: number) => (await requestAtBank(app, bankId)).leadId;
  const post = (token: string | undefined, path: string, body: object = {}) => app.call('POST', path, { token, body });
  const approve = { outcome: 'approved', amount: 1_000_000, ratePct: 3.45, termMonths: 12, guaranteeType: 'credit' };
  /** Today in Asia/Shanghai on the app's clock: the latest day a disbursement may be dated. */
  const today = () => shanghaiDate(app.clock.now());

  describe('the lifecycle', () => {
    it('goes new → claimed → contacted → approved → disbursed, with an event and a queued change each', async () => {
      const id = await leadAt(bankA);
      expect((await post(t.officerA, `/api/leads/${id}/claim`)).body.status).to.equal('claimed');
      expect((await post(t.officerA, `/api/leads/${id}/contact`, { note: '电话沟通，约定下周上门' })).body.status).to.equal('contacted');
      const decided = await post(t.officerA, `/api/leads/${id}/decision`, { ...approve, firstLoanConfirmed: true });
      expect(decided.body).to.deep.include({ status: 'approved', terms: { amount: 1_000_000, ratePct: 3.45, termMonths: 12, guaranteeType: 'credit' }, firstLoanConfirmed: true });
      const paid = await post(t.officerA, `/api/leads/${id}/disburse`, { amount: 1_000_000, disbursedOn: today() });
      expect(paid.body).to.deep.include({ status: 'disbursed', disbursement: { amount: 1_000_000, disbursedOn: today() } });
      expect(paid.body.events.map((e: { action: string }) => e.action)).to.deep.equal(['created', 'claim', 'contact', 'approve', 'disburse']);
      const queued = await app.db.select().from(outbox).where(eq(outbox.leadId, id)).orderBy(asc(outbox.id));
      expect(queued.map((q) => q.event)).to.deep.equal(['lead.created', 'lead.status_changed', 'lead.status_changed', 'lead.status_changed', 'lead.status_changed']);
      expect(JSON.stringify(queued.map((q) => q.payload))).not.to.contain('13812345678');
    });

    const forbidden: [string, string[], string, object?][] = [
      ['new', [], 'contact'], ['new', [], 'decision', approve], ['new', [], 'disburse', { amount: 1000, disbursedOn: '2026-11-21' }],
      ['claimed', ['claim'], 'claim'], ['claimed', ['claim'], 'decision', approve], ['claimed', ['claim'], 'disburse', { amount: 1000, disbursedOn: '2026-11-21' }],
      ['contacted', ['claim', 'contact'], 'contact'], ['contacted', ['claim', 'contact'], 'claim'],
      ['approved', ['claim', 'contact', 'decision'], 'decision', { outcome: 'declined', reasonCode: 'collateral' }], ['approved', ['claim', 'contact', 'decision'], 'contact'],
      ['declined', ['claim', 'decline'], 'disburse', { amount: 1000, disbursedOn: '2026-11-21' }], ['declined', ['claim', 'decline'], 'contact'],
    ];
    for (const [state, path, action, body] of forbidden) {
      it(`refuses ${action} on a ${state} lead with 409 and the current status`, async () => {
        const id = await leadAt(bankA);
        for (const step of path) {
          const res = step === 'decline' ? await post(t.officerA, `/api/leads/${id}/decision`, { outcome: 'declined', reasonCode: 'credit_record' })
            : step === 'decision' ? await post(t.officerA, `/api/leads/${id}/decision`, approve) : await post(t.officerA, `/api/leads/${id}/${step}`);
          expect(res.status, res.text).to.equal(200);
        }
        const res = await post(t.officerA, `/api/leads/${id}/${action}`, body ?? {});
        expectProblem(res, 409, 'invalid_transition');
        expect(res.body.currentStatus).to.equal(state);
      });
    }

    it('lets exactly one of two racing claims, and one of two racing decisions, win', async () => {
      const id = await leadAt(bankA);
      const claims = await Promise.all([post(t.officerA, `/api/leads/${id}/claim`), post(t.officerA2, `/api/leads/${id}/claim`)]);
      expect(claims.map((c) => c.status).sort()).to.deep.equal([200, 409]);
      await post(t.officerA, `/api/leads/${id}/contact`);
      const decisions = await Promise.all([post(t.officerA, `/api/leads/${id}/decision`, approve), post(t.officerA2, `/api/leads/${id}/decision`, { outcome: 'declined', reasonCode: 'collateral' })]);
      expect(decisions.map((d) => d.status).sort()).to.deep.equal([200, 409]);
      const events = (await app.call('GET', `/api/leads/${id}/events`, { token: t.adminA })).body.items;
      expect(events.filter((e: { action: string }) => e.action === 'approve' || e.action === 'decline')).to.have.length(1);
    });

    it('checks decisions: terms required, not above the request unless said, a note for "other"', async () => {
      const id = await leadAt(bankA);
      await post(t.officerA, `/api/leads/${id}/claim`);
      await post(t.officerA, `/api/leads/${id}/contact`);
      expectFieldErrors(await post(t.officerA, `/api/leads/${id}/decision`, { outcome: 'approved' }), ['amount', 'ratePct', 'termMonths', 'guaranteeType']);
      expectFieldErrors(await post(t.officerA, `/api/leads/${id}/decision`, { ...approve, amount: 5_000_000 }), ['amount']);
      expectFieldErrors(await post(t.officerA, `/api/leads/${id}/decision`, { outcome: 'declined', reasonCode: 'other' }), ['note']);
      expect((await post(t.officerA, `/api/leads/${id}/decision`, { ...approve, amount: 1_200_000, aboveRequest: true })).status).to.equal(200);
    });
  });

  describe('contact data', () => {
    it('is masked until the bank holds the lead, then shown to that bank and every read audited; the desk sees it masked', async () => {
      const id = await leadAt(bankA);
      const before = await app.call('GET', `/api/leads/${id}`, { token: t.officerA });
      expect(before.body.contact).to.deep.equal({ name: '梁*', phone: '138****5678', masked: true });
      await post(t.officerA, `/api/leads/${id}/claim`);
      const after = await app.call('GET', `/api/leads/${id}`, { token: t.officerA });
      expect(after.body.contact).to.deep.equal({ name: '梁伟', phone: '13812345678', masked: false });
      const audits = await app.db.select().from(auditLog).where(and(eq(auditLog.action, 'lead.read_contact'), eq(auditLog.entityId, String(id))));
      expect(audits.length).to.be.at.least(2); // the claim answer and the read
      expect(audits.every((a) => a.bankId === bankA)).to.equal(true);
      const desk = await app.call('GET', `/api/leads/${id}`, { token: t.desk });
      expect(desk.body.contact.masked).to.equal(true);
      const list = await app.call('GET', '/api/leads', { token: t.officerA });
      expect(list.text).not.to.contain('13812345678');
    });
  });

  describe('tenant isolation', () => {
    it('answers bank B the same 404 for bank A\'s lead as for a missing one, on every lead endpoint, and changes nothing', async () => {
      const id = await leadAt(bankA);
      await post(t.officerA, `/api/leads/${id}/claim`);
      const missing = await app.call('GET', '/api/leads/999999', { token: t.officerB });
      const attempts = [
        app.call('GET', `/api/leads/${id}`, { token: t.officerB }),
        app.call('GET', `/api/leads/${id}/events`, { token: t.adminB }),
        post(t.officerB, `/api/leads/${id}/claim`),
        post(t.officerB, `/api/leads/${id}/contact`),
        post(t.officerB, `/api/leads/${id}/decision`, { outcome: 'declined', reasonCode: 'collateral' }),
        post(t.officerB, `/api/leads/${id}/disburse`, { amount: 1000, disbursedOn: today() }),
        post(t.officerB, `/api/leads/${id}/first-loan`, { isFirstLoan: false }),
        post(t.adminB, `/api/leads/${id}/assign`, { officerId: u.officerB!.id }),
      ];
      for (const res of await Promise.all(attempts)) {
        expectProblem(res, 404, 'lead_not_found');
        expect(res.body).to.deep.equal(missing.body);
      }
      const [row] = await app.db.select().from(leads).where(eq(leads.id, id));
      expect(row).to.include({ status: 'claimed', officerId: u.officerA!.id });
    });

    it('never lists another bank\'s leads, whatever bankId is forged, nor feeds them', async () => {
      const id = await leadAt(bankA);
      for (const q of ['', `?bankId=${bankA}`, '?pageSize=200', `?status=new&bankId=${bankA}`]) {
        const res = await app.call('GET', `/api/leads${q}`, { token: t.adminB });
        expect(res.body.items.map((l: { id: number }) => l.id)).not.to.include(id);
        expect(res.body.items.every((l: { bankId: number }) => l.bankId === bankB)).to.equal(true);
      }
      const feed = await app.call('GET', '/api/leads?since=0&pageSize=200', { token: t.officerB });
      expect(feed.body.items.every((c: { lead: { bankId: number } }) => c.lead.bankId === bankB)).to.equal(true);
    });

    it('refuses a bank admin an officer of another bank', async () => {
      const id = await leadAt(bankA);
      expectFieldErrors(await post(t.adminA, `/api/leads/${id}/assign`, { officerId: u.officerB!.id }), ['officerId']);
      expectProblem(await post(t.officerA, `/api/leads/${id}/assign`, { officerId: u.officerA!.id }), 403);
      expectProblem(await post(t.desk, `/api/leads/${id}/contact`), 403);
    });
  });

  describe('assignment and routing', () => {
    it('accepts a new lead by assigning it, then reassigns without changing its status', async () => {
      const id = await leadAt(bankA);
      const first = await post(t.adminA, `/api/leads/${id}/assign`, { officerId: u.officerA!.id });
      expect(first.body).to.include({ status: 'claimed', officerId: u.officerA!.id });
      const again = await post(t.adminA, `/api/leads/${id}/assign`, { officerId: u.officerA2!.id });
      expect(again.body).to.include({ status: 'claimed', officerId: u.officerA2!.id });
      expect(again.body.events.map((e: { action: string }) => e.action)).to.deep.equal(['created', 'assign', 'reassign']);
    });

    it('routes new leads by district to a branch and round-robin to its active officers', async () => {
      const branch = await buildBranch(app.db, bankA, { name: '高要测试支行', district: '441204' });
      const o1 = await buildUser(app.db, { role: 'bank_officer', bankId: bankA, branchId: branch.id });
      const o2 = await buildUser(app.db, { role: 'bank_officer', bankId: bankA, branchId: branch.id });
      const res = await app.call('PUT', `/api/banks/${bankA}/routing`, { token: t.adminA, body: { rules: [{ district: '441204', branchId: branch.id }], dispatch: [{ branchId: branch.id, mode: 'round_robin' }] } });
      expect(res.status, res.text).to.equal(200);
      const ids = [await leadAt(bankA), await leadAt(bankA), await leadAt(bankA)];
      const rows = await Promise.all(ids.map(async (id) => (await app.db.select().from(leads).where(eq(leads.id, id)))[0]!));
      expect(rows.map((r) => r.branchId)).to.deep.equal([branch.id, branch.id, branch.id]);
      expect(rows.map((r) => r.officerId)).to.deep.equal([o1.id, o2.id, o1.id]);
      expect(rows.map((r) => r.status)).to.deep.equal(['new', 'new', 'new']);
      expectProblem(await app.call('PUT', `/api/banks/${bankA}/routing`, { token: t.adminB, body: { defaultBranchId: null } }), 404);
      const foreignBranch = await buildBranch(app.db, bankB);
      expectFieldErrors(await app.call('PUT', `/api/banks/${bankA}/routing`, { token: t.adminA, body: { defaultBranchId: foreignBranch.id } }), ['defaultBranchId']);
    });
  });

  describe('GET /api/leads?since=', () => {
    it('feeds the bank\'s changes in order without gaps, from any cursor', async () => {
      const start = (await app.call('GET', '/api/leads?since=0&pageSize=200', { token: t.adminB })).body;
      const cursors = start.items.map((c: { cursor: number }) => c.cursor);
      expect(cursors).to.deep.equal(cursors.map((_: number, i: number) => i + 1).slice(0, cursors.length));
      const id = await leadAt(bankB);
      await post(t.officerB, `/api/leads/${id}/claim`);
      const next = (await app.call('GET', `/api/leads?since=${start.nextCursor}`, { token: t.adminB })).body;
      expect(next.items.map((c: { event: string; lead: { id: number } }) => [c.event, c.lead.id])).to.deep.equal([['lead.created', id], ['lead.status_changed', id]]);
      expect(next.items[0].cursor).to.equal(start.nextCursor + 1);
      expectFieldErrors(await app.call('GET', '/api/leads?since=0', { token: t.desk }), ['since']);
    });
  });
});
