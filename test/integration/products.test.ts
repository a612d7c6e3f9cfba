import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../models/audit';
import type { BankRow } from '../../models/banks';
import { products } from '../../models/products';
import type { UserRow } from '../../models/users';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildUser, tokenFor } from '../helpers/factories';
import { productBody } from '../helpers/products';

describe('products API', () => {
  let app: TestApp;
  let bankA: BankRow;
  let bankB: BankRow;
  const t: Record<string, string> = {};
  let users: Record<string, UserRow>;

  before(async () => {
    app = await startTestApp();
    bankA = await buildBank(app.db, { code: 'AAA', name: '甲银行', shortName: '甲行' });
    bankB = await buildBank(app.db, { code: 'BBB', name: '乙银行', shortName: '乙行' });
    users = {
      admin: await buildUser(app.db, { role: 'admin' }),
      desk: await buildUser(app.db, { role: 'desk' }),
      adminA: await buildUser(app.db, { role: 'bank_admin', bankId: bankA.id }),
      officerA: await buildUser(app.db, { role: 'bank_officer', bankId: bankA.id }),
      adminB: await buildUser(app.db, { role: 'bank_admin', bankId: bankB.id }),
    };
    for (const [k, u] of Object.entries(users)) t[k] = await tokenFor(app, u);
  });
  after(() => app.close());

  async function draftOfA(overrides = {}) {
    const res = await app.call('POST', '/api/products', { token: t.adminA, body: productBody(overrides) });
    expect(res.status, res.text).to.equal(201);
    return res.body;
  }

  async function publishedOfA(overrides = {}) {
    const draft = await draftOfA(overrides);
    const res = await app.call('POST', `/api/products/${draft.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: draft.updatedAt } });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  }

  describe('POST /api/products', () => {
    it('creates a draft of the bank admin\'s own bank, whatever bankId is sent, and audits it', async () => {
      const res = await app.call('POST', '/api/products', { token: t.adminA, body: { ...productBody(), bankId: bankB.id } });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ bankId: bankA.id, status: 'draft', version: 1, bankName: '甲银行' });
      expect(res.body.rate).to.deep.equal({ min: 3.45, max: 5.2 });
      const audit = await app.db.select().from(auditLog).where(and(eq(auditLog.action, 'product.create'), eq(auditLog.entityId, String(res.body.id))));
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ actorId: users.adminA!.id, bankId: bankA.id });
    });

    it('requires bankId from an admin', async () => {
      expectFieldErrors(await app.call('POST', '/api/products', { token: t.admin, body: productBody() }), ['bankId']);
      const ok = await app.call('POST', '/api/products', { token: t.admin, body: { ...productBody(), bankId: bankB.id } });
      expect(ok.body.bankId).to.equal(bankB.id);
    });

    it('is 403 for officers and 401 for the public', async () => {
      expectProblem(await app.call('POST', '/api/products', { token: t.officerA, body: productBody() }), 403);
      expectProblem(await app.call('POST', '/api/products', { body: productBody() }), 401);
    });

    it('is 409 for a code the bank already uses', async () => {
      const first = await draftOfA();
      expectProblem(await app.call('POST', '/api/products', { token: t.adminA, body: productBody({ code: first.code }) }), 409, 'product_code_taken');
    });

    it('names every invalid field, criteria included, by its path', async () => {
      const res = await app.call('POST', '/api/products', {
        token: t.adminA,
        body: productBody({
          amount: { min: 500_000, max: 100_000 },
          rate: { min: 3.456, max: 4 },
          criteria: {
            minYearsInOperation: -1, sizes: ['tiny'], annualRevenue: { min: 10, max: 5 }, industriesInclude: ['Z99'],
            districts: ['4412'], taxRatings: ['E'], foo: 1,
          } as never,
        }),
      });
      expectFieldErrors(res, ['amount', 'rate.min', 'criteria.minYearsInOperation', 'criteria.sizes.0', 'criteria.annualRevenue',
        'criteria.industriesInclude.0', 'criteria.districts.0', 'criteria.taxRatings.0', 'criteria.foo']);
    });
  });

  describe('visibility of drafts', () => {
    it('hides a draft from the public, officers and other banks (404 like a missing product), shows it to its bank admin and the desk', async () => {
      const draft = await draftOfA();
      const missing = await app.call('GET', '/api/products/999999');
      for (const token of [undefined, t.officerA, t.adminB]) {
        const res = await app.call('GET', `/api/products/${draft.id}`, { token });
        expectProblem(res, 404, 'product_not_found');
        expect(res.body).to.deep.equal(missing.body);
      }
      expect((await app.call('GET', `/api/products/${draft.id}`, { token: t.adminA })).status).to.equal(200);
      expect((await app.call('GET', `/api/products/${draft.id}`, { token: t.desk })).status).to.equal(200);

      const listB = await app.call('GET', '/api/products?status=draft&pageSize=200', { token: t.adminB });
      expect(listB.body.items.map((p: { id: number }) => p.id)).not.to.include(draft.id);
      const listA = await app.call('GET', '/api/products?status=draft&pageSize=200', { token: t.adminA });
      expect(listA.body.items.map((p: { id: number }) => p.id)).to.include(draft.id);
      const publicList = await app.call('GET', '/api/products?status=draft');
      expect(publicList.body.total).to.equal(0);
    });

    it('is 404 when a bank admin edits, and 403 when they publish, another bank\'s product', async () => {
      const draft = await draftOfA();
      expectProblem(await app.call('PATCH', `/api/products/${draft.id}`, { token: t.adminB, body: { name: '越权修改' } }), 404, 'product_not_found');
      expectProblem(await app.call('POST', `/api/products/${draft.id}/publish`, { token: t.adminB }), 403);
      expectProblem(await app.call('POST', `/api/products/${draft.id}/publish`, { token: t.adminA }), 403);
      const [row] = await app.db.select().from(products).where(eq(products.id, draft.id));
      expect(row!.name).to.equal('测试经营贷');
      expect(row!.status).to.equal('draft');
    });
  });

  describe('versions', () => {
    it('edits a draft in place', async () => {
      const draft = await draftOfA();
      const res = await app.call('PATCH', `/api/products/${draft.id}`, { token: t.adminA, body: { name: '改名后的产品' } });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: draft.id, version: 1, name: '改名后的产品', status: 'draft' });
    });

    it('turns an edit of a published product into a new draft version and keeps the old version live and readable', async () => {
      const v1 = await publishedOfA({ rate: { min: 3.5, max: 4.5 } });
      const edit = await app.call('PATCH', `/api/products/${v1.id}`, { token: t.adminA, body: { rate: { min: 3.2, max: 4.2 } } });
      expect(edit.status).to.equal(201);
      expect(edit.body).to.include({ version: 2, status: 'draft', code: v1.code });
      expect(edit.body.id).not.to.equal(v1.id);
      expect(edit.headers.get('location')).to.equal(`/api/products/${edit.body.id}`);

      const liveBefore = await app.call('GET', `/api/products/${v1.id}`);
      expect(liveBefore.body).to.include({ status: 'published' });
      expect(liveBefore.body.rate).to.deep.equal({ min: 3.5, max: 4.5 });

      expectProblem(await app.call('PATCH', `/api/products/${v1.id}`, { token: t.adminA, body: { name: '再改一次' } }), 409, 'draft_exists');

      const publish = await app.call('POST', `/api/products/${edit.body.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: edit.body.updatedAt } });
      expect(publish.body).to.include({ status: 'published', version: 2 });
      const old = await app.call('GET', `/api/products/${v1.id}`);
      expect(old.status).to.equal(200);
      expect(old.body).to.include({ status: 'retired', supersededById: edit.body.id });
      expect(old.body.rate, 'the old version keeps its exact terms').to.deep.equal({ min: 3.5, max: 4.5 });
      const list = await app.call('GET', `/api/products?q=${encodeURIComponent(v1.code)}&bankId=${bankA.id}&pageSize=200`);
      const codes = list.body.items.filter((p: { code: string }) => p.code === v1.code);
      expect(codes).to.have.length(0); // q searches names, not codes
      const all = await app.call('GET', `/api/products?bankId=${bankA.id}&pageSize=200`);
      expect(all.body.items.filter((p: { code: string }) => p.code === v1.code).map((p: { id: number }) => p.id)).to.deep.equal([edit.body.id]);
    });

    it('refuses to edit a retired version, publish a published one or retire a draft, answering the current status', async () => {
      const live = await publishedOfA();
      expectProblem(await app.call('POST', `/api/products/${live.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: live.updatedAt } }), 409, 'invalid_status');
      const retired = await app.call('POST', `/api/products/${live.id}/retire`, { token: t.desk });
      expect(retired.body.status).to.equal('retired');
      const again = await app.call('POST', `/api/products/${live.id}/retire`, { token: t.desk });
      expectProblem(again, 409, 'invalid_status');
      expect(again.body.currentStatus).to.equal('retired');
      expectProblem(await app.call('PATCH', `/api/products/${live.id}`, { token: t.adminA, body: { name: '复活' } }), 409, 'invalid_status');
      const draft = await draftOfA();
      expectProblem(await app.call('POST', `/api/products/${draft.id}/retire`, { token: t.desk }), 409, 'invalid_status');
    });

    it('POST /api/products/import and PATCH /api/products/:id › when both revise one product › follow the one rule (its draft edited in place, else a new draft version after the newest), each addressing it its own way', async () => {
      const live = await publishedOfA();
      const familyOf = async () => (await app.db.select().from(products).where(and(eq(products.bankId, bankA.id), eq(products.code, live.code))).orderBy(products.version))
        .map((r) => `${r.version}:${r.status}:${r.approvalDays}`);
      const exported = (await app.call('GET', `/api/products/export?format=json&bankId=${bankA.id}`, { token: t.adminA })).body.items.find((r: { code: string }) => r.code === live.code);
      const row = async (approvalDays: number) => ({ ...exported, status: 'draft', approvalDays });
      const imported = async (approvalDays: number) => (await app.call('POST', '/api/products/import', { token: t.adminA, body: { items: [await row(approvalDays)] } })).body;
      expect(await imported(11)).to.include({ updated: 1 });
      expect(await familyOf(), 'a new draft version beside the live one').to.deep.equal(['1:published:3', '2:draft:11']);
      // PATCH names a version: the live one, beside its draft, is refused; the draft changes in place, as by import.
      expectProblem(await app.call('PATCH', `/api/products/${live.id}`, { token: t.adminA, body: { approvalDays: 12 } }), 409, 'draft_exists');
      expect(await imported(13)).to.include({ updated: 1 });
      const draftId = (await app.db.select().from(products).where(and(eq(products.code, live.code), eq(products.status, 'draft'))))[0]!.id;
      const patched = await app.call('PATCH', `/api/products/${draftId}`, { token: t.adminA, body: { approvalDays: 14 } });
      expect(patched.status, patched.text).to.equal(200);
      expect(await familyOf()).to.deep.equal(['1:published:3', '2:draft:14']);
      // A family of retired versions only: PATCH refuses the retired version; import, which names the product, starts its next version.
      const published = await app.call('POST', `/api/products/${draftId}/publish`, { token: t.desk, body: { expectedUpdatedAt: patched.body.updatedAt } });
      expect(published.status, published.text).to.equal(200);
      expect((await app.call('POST', `/api/products/${draftId}/retire`, { token: t.desk })).status).to.equal(200);
      expectProblem(await app.call('PATCH', `/api/products/${draftId}`, { token: t.adminA, body: { approvalDays: 15 } }), 409, 'invalid_status');
      const revived = await app.call('POST', '/api/products/import', { token: t.adminA, body: { items: [await row(16)] } });
      expect(revived.body, revived.text).to.include({ updated: 1 });
      expect(await familyOf()).to.deep.equal(['1:retired:3', '2:retired:14', '3:draft:16']);
    });

    it('lets exactly one of two racing edits of a published product create the draft', async () => {
      const live = await publishedOfA();
      const results = await Promise.all([1, 2].map((i) => app.call('PATCH', `/api/products/${live.id}`, { token: t.adminA, body: { name: `并发修改${i}` } })));
      expect(results.map((r) => r.status).sort()).to.deep.equal([201, 409]);
      const family = await app.db.select().from(products).where(and(eq(products.bankId, bankA.id), eq(products.code, live.code)));
      expect(family).to.have.length(2);
    });
  });

  describe('GET /api/products', () => {
    let ids: Record<string, number>;
    let bankC: BankRow;
    before(async () => {
      bankC = await buildBank(app.db, { code: 'CCC', name: '丙农商银行', shortName: '丙农商' });
      const create = async (body: object) => {
        const d = await app.call('POST', '/api/products', { token: t.admin, body: { bankId: bankC.id, ...productBody(body) } });
        expect(d.status, d.text).to.equal(201);
        await app.call('POST', `/api/products/${d.body.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: d.body.updatedAt } });
        return d.body.id as number;
      };
      ids = {
        tax: await create({ name: '纳税快贷', type: 'tax', amount: { min: 50_000, max: 1_000_000 }, criteria: { districts: ['441204'] } }),
        mortgage: await create({ name: '厂房抵押贷', type: 'mortgage', amount: { min: 1_000_000, max: 20_000_000 }, description: '以厂房作抵押' }),
        firstLoan: await create({ name: '首贷通', type: 'first_loan', amount: { min: 50_000, max: 3_000_000 }, firstLoanFriendly: true, criteria: { districts: ['441202', '441284'] } }),
      };
    });
    const idsOf = (res: { body: { items: { id: number }[] } }) => res.body.items.map((p) => p.id);

    it('filters by type, bank, amount inside the range, district served and text', async () => {
      const base = `/api/products?bankId=${bankC.id}`;
      expect(idsOf(await app.call('GET', `${base}&type=tax`))).to.deep.equal([ids.tax]);
      expect(idsOf(await app.call('GET', `${base}&amount=1000000`))).to.have.members([ids.tax, ids.mortgage, ids.firstLoan]);
      expect(idsOf(await app.call('GET', `${base}&amount=1000001`))).to.have.members([ids.mortgage, ids.firstLoan]);
      expect(idsOf(await app.call('GET', `${base}&amount=49999`))).to.deep.equal([]);
      expect(idsOf(await app.call('GET', `${base}&district=441204`))).to.have.members([ids.tax, ids.mortgage]);
      expect(idsOf(await app.call('GET', `${base}&district=441284`))).to.have.members([ids.mortgage, ids.firstLoan]);
      expect(idsOf(await app.call('GET', `${base}&q=${encodeURIComponent('厂房')}`))).to.deep.equal([ids.mortgage]);
      expect(idsOf(await app.call('GET', `/api/products?q=${encodeURIComponent('丙农商')}`))).to.have.members(Object.values(ids));
      expect(idsOf(await app.call('GET', `${base}&firstLoanFriendly=true`))).to.deep.equal([ids.firstLoan]);
    });

    it('pages with a total', async () => {
      const p1 = await app.call('GET', `/api/products?bankId=${bankC.id}&pageSize=2&page=1`);
      const p2 = await app.call('GET', `/api/products?bankId=${bankC.id}&pageSize=2&page=2`);
      expect(p1.body).to.include({ total: 3, page: 1, pageSize: 2 });
      expect(p1.body.items).to.have.length(2);
      expect(p2.body.items).to.have.length(1);
      expect([...idsOf(p1), ...idsOf(p2)]).to.have.members(Object.values(ids));
    });

    it('treats % and _ in the text filter literally', async () => {
      expect((await app.call('GET', `/api/products?bankId=${bankC.id}&q=%25`)).body.total).to.equal(0);
    });

    it('shows the rate also as a spread over the LPR in force', async () => {
      app.clock.set(new Date('2025-06-01T04:00:00Z'));
      const res = await app.call('GET', `/api/products/${ids.tax}`);
      expect(res.body.lpr).to.deep.equal({ ratePct: 3, since: '2025-05-20' });
      expect(res.body.rateSpreadBp).to.deep.equal({ min: 45, max: 220 });
    });

    it('names bad filters', async () => {
      expectFieldErrors(await app.call('GET', '/api/products?type=magic&amount=-5&district=abc&pageSize=0'), ['type', 'amount', 'district', 'pageSize']);
    });
  });
});
