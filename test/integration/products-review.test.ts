import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../models/audit';
import type { BankRow } from '../../models/banks';
import { productReviews } from '../../models/product-reviews';
import { products } from '../../models/products';
import type { UserRow } from '../../models/users';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildUser, tokenFor } from '../helpers/factories';
import { productBody } from '../helpers/products';

const MINUTE = 60_000;

describe('the desk reviews products, it does not rewrite them', () => {
  let app: TestApp;
  let bankA: BankRow;
  let bankB: BankRow;
  const t: Record<string, string> = {};
  let users: Record<string, UserRow>;

  before(async () => {
    app = await startTestApp({ clock: new TestClock(new Date('2026-11-20T02:00:00Z')) });
    bankA = await buildBank(app.db, { code: 'RVA', name: '甲审核银行', shortName: '甲行' });
    bankB = await buildBank(app.db, { code: 'RVB', name: '乙审核银行', shortName: '乙行' });
    users = {
      admin: await buildUser(app.db, { role: 'admin' }),
      desk: await buildUser(app.db, { role: 'desk', name: '林专窗' }),
      adminA: await buildUser(app.db, { role: 'bank_admin', bankId: bankA.id, name: '甲行产品经理' }),
      officerA: await buildUser(app.db, { role: 'bank_officer', bankId: bankA.id }),
      adminB: await buildUser(app.db, { role: 'bank_admin', bankId: bankB.id }),
    };
    for (const [k, u] of Object.entries(users)) t[k] = await tokenFor(app, u);
  });
  after(() => app.close());

  let seq = 0;
  async function draftOfA(overrides = {}) {
    const res = await app.call('POST', '/api/products', { token: t.adminA, body: productBody({ code: `RV-${++seq}`, ...overrides }) });
    expect(res.status, res.text).to.equal(201);
    return res.body;
  }
  async function publishedOfA() {
    const draft = await draftOfA();
    const res = await app.call('POST', `/api/products/${draft.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: draft.updatedAt } });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  }
  const rowOf = async (id: number) => (await app.db.select().from(products).where(eq(products.id, id)))[0]!;
  const reviewsOf = (id: number) => app.db.select().from(productReviews).where(eq(productReviews.productId, id)).orderBy(productReviews.id);
  /** The version as it stands now, as the desk's page would have read it. */
  const stampOf = async (id: number) => (await app.db.select().from(products).where(eq(products.id, id)))[0]?.updatedAt.toISOString() ?? '2026-01-01T00:00:00.000Z';
  const returnDraft = async (id: number, comment: unknown, token = t.desk) =>
    app.call('POST', `/api/products/${id}/return`, { token, body: { comment, expectedUpdatedAt: await stampOf(id) } });

  describe('PATCH /api/products/:id and POST /api/products', () => {
    it('PATCH /api/products/:id › when the desk changes a bank’s draft or live product › is 403 and the product is unchanged', async () => {
      const draft = await draftOfA();
      const live = await publishedOfA();
      const before = [await rowOf(draft.id), await rowOf(live.id)];
      for (const p of [draft, live]) {
        expectProblem(await app.call('PATCH', `/api/products/${p.id}`, { token: t.desk, body: { rate: { min: 2.5, max: 3 } } }), 403, 'forbidden');
      }
      expect([await rowOf(draft.id), await rowOf(live.id)]).to.deep.equal(before);
      const family = await app.db.select().from(products).where(and(eq(products.bankId, bankA.id), eq(products.code, live.code)));
      expect(family, 'no new draft version either').to.have.length(1);
    });

    it('POST /api/products › when the desk creates a product for a bank › is 403 and nothing is created', async () => {
      const res = await app.call('POST', '/api/products', { token: t.desk, body: { ...productBody({ code: 'DESK-MADE' }), bankId: bankA.id } });
      expectProblem(res, 403, 'forbidden');
      expect(await app.db.select().from(products).where(eq(products.code, 'DESK-MADE'))).to.have.length(0);
    });

    it('PATCH /api/products/:id › when an admin changes a bank’s draft › is allowed', async () => {
      const draft = await draftOfA();
      const res = await app.call('PATCH', `/api/products/${draft.id}`, { token: t.admin, body: { name: '管理员更正' } });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ name: '管理员更正', status: 'draft' });
    });
  });

  describe('POST /api/products/:id/return', () => {
    it('POST /api/products/:id/return › when the desk returns a draft with a comment › records the review and the audit row, and the bank admin reads the comment on its draft', async () => {
      const draft = await draftOfA();
      app.clock.advance(MINUTE);
      const res = await returnDraft(draft.id, '  利率上限高于同类产品，请核实后重新提交  ');
      expect(res.status, res.text).to.equal(200);
      const at = app.clock.now().toISOString();
      expect(res.body).to.include({ id: draft.id, status: 'draft' });
      expect(res.body.review).to.deep.equal({ action: 'returned', comment: '利率上限高于同类产品，请核实后重新提交', at, resubmitted: false });

      const reviews = await reviewsOf(draft.id);
      expect(reviews).to.have.length(1);
      expect(reviews[0]).to.include({ action: 'returned', comment: '利率上限高于同类产品，请核实后重新提交', actorId: users.desk!.id, bankId: bankA.id });
      const audit = await app.db.select().from(auditLog).where(and(eq(auditLog.action, 'product.return'), eq(auditLog.entityId, String(draft.id))));
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ actorId: users.desk!.id, bankId: bankA.id });

      const own = await app.call('GET', `/api/products/${draft.id}`, { token: t.adminA });
      expect(own.body.review).to.deep.equal(res.body.review);
      const list = await app.call('GET', '/api/products?status=draft&pageSize=200', { token: t.adminA });
      expect(list.body.items.find((p: { id: number }) => p.id === draft.id).review).to.include({ action: 'returned', resubmitted: false });
      expect(list.body.items.filter((p: { id: number }) => p.id !== draft.id).every((p: { review: unknown }) => p.review === null)).to.equal(true);
    });

    it('POST /api/products/:id/return › when the comment is missing, blank or too long › is 400 naming comment and records nothing', async () => {
      const draft = await draftOfA();
      expectFieldErrors(await app.call('POST', `/api/products/${draft.id}/return`, { token: t.desk, body: {} }), ['comment', 'expectedUpdatedAt']);
      expectFieldErrors(await returnDraft(draft.id, '   '), ['comment']);
      expectFieldErrors(await returnDraft(draft.id, '改'.repeat(501)), ['comment']);
      expectFieldErrors(await returnDraft(draft.id, 42), ['comment']);
      expect(await reviewsOf(draft.id)).to.have.length(0);
      expect((await returnDraft(draft.id, '改'.repeat(500))).status).to.equal(200);
    });

    it('POST /api/products/:id/return › when the version is published or retired › is 409 with the current status and records nothing', async () => {
      const live = await publishedOfA();
      const res = await returnDraft(live.id, '请补充材料');
      expectProblem(res, 409, 'invalid_status');
      expect(res.body.currentStatus).to.equal('published');
      await app.call('POST', `/api/products/${live.id}/retire`, { token: t.desk });
      const retired = await returnDraft(live.id, '请补充材料');
      expectProblem(retired, 409, 'invalid_status');
      expect(retired.body.currentStatus).to.equal('retired');
      expect((await reviewsOf(live.id)).map((r) => r.action)).to.deep.equal(['published', 'retired']);
    });

    it('POST /api/products/:id/return › when the caller is a bank user, anonymous, or the product is missing › is 403 / 401 / 404', async () => {
      const draft = await draftOfA();
      expectProblem(await returnDraft(draft.id, '自己退回', t.adminA), 403);
      expectProblem(await returnDraft(draft.id, '越权', t.officerA), 403);
      expectProblem(await app.call('POST', `/api/products/${draft.id}/return`, { body: { comment: '匿名' } }), 401);
      expectProblem(await returnDraft(999999, '不存在'), 404, 'product_not_found');
      expect(await reviewsOf(draft.id)).to.have.length(0);
    });
  });

  describe('a draft the bank changes while the desk reviews it', () => {
    for (const action of ['publish', 'return'] as const) {
      it(`POST /api/products/:id/${action} › when the bank edited the draft after the desk read it › is 409 draft_changed with the current version, and nothing is ${action === 'publish' ? 'published' : 'returned'}`, async () => {
        const draft = await draftOfA({ rate: { min: 3.45, max: 4.0 } });
        const seen = (await app.call('GET', `/api/products/${draft.id}`, { token: t.desk })).body;
        // Same instant on the test clock: the edit still moves updatedAt on.
        const edit = await app.call('PATCH', `/api/products/${draft.id}`, { token: t.adminA, body: { rate: { min: 18, max: 23.9 }, name: '换了内容' } });
        expect(edit.status, edit.text).to.equal(200);
        const body = { expectedUpdatedAt: seen.updatedAt, ...(action === 'return' ? { comment: '请核实' } : {}) };
        const res = await app.call('POST', `/api/products/${draft.id}/${action}`, { token: t.desk, body });
        expectProblem(res, 409, 'draft_changed');
        expect(res.body.current).to.include({ id: draft.id, name: '换了内容', updatedAt: edit.body.updatedAt });
        expect(res.body.current.rate).to.deep.equal({ min: 18, max: 23.9 });
        expect((await rowOf(draft.id)).status).to.equal('draft');
        expect(await reviewsOf(draft.id)).to.deep.equal([]);
        // Read again, the desk acts on what it now sees.
        const again = await app.call('POST', `/api/products/${draft.id}/${action}`, { token: t.desk, body: { ...body, expectedUpdatedAt: res.body.current.updatedAt } });
        expect(again.status, again.text).to.equal(200);
      });
    }

    it('POST /api/products/:id/publish › without expectedUpdatedAt, or with one that is not a time › is 400 naming it', async () => {
      const draft = await draftOfA();
      expectFieldErrors(await app.call('POST', `/api/products/${draft.id}/publish`, { token: t.desk, body: {} }), ['expectedUpdatedAt']);
      expectFieldErrors(await app.call('POST', `/api/products/${draft.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: 'yesterday' } }), ['expectedUpdatedAt']);
      expect((await rowOf(draft.id)).status).to.equal('draft');
    });
  });

  describe('a returned draft edited by its bank', () => {
    it('PATCH /api/products/:id › when the bank admin edits a returned draft › answers it as resubmitted, and the desk’s list of drafts shows it so', async () => {
      const draft = await draftOfA();
      await returnDraft(draft.id, '请下调利率上限');
      app.clock.advance(MINUTE);
      const edit = await app.call('PATCH', `/api/products/${draft.id}`, { token: t.adminA, body: { rate: { min: 3.45, max: 4.2 } } });
      expect(edit.status, edit.text).to.equal(200);
      expect(edit.body.review).to.include({ action: 'returned', comment: '请下调利率上限', resubmitted: true });
      const desk = await app.call('GET', '/api/products?status=draft&pageSize=200', { token: t.desk });
      expect(desk.body.items.find((p: { id: number }) => p.id === draft.id).review).to.include({ resubmitted: true });

      // Publishing it ends the matter: the live version carries no return.
      const published = await app.call('POST', `/api/products/${draft.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: edit.body.updatedAt } });
      expect(published.body).to.include({ status: 'published', review: null });
    });
  });

  describe('GET /api/products/:id/reviews', () => {
    let v1: { id: number; code: string };
    let v2: { id: number };

    before(async () => {
      v1 = await publishedOfA();
      app.clock.advance(MINUTE);
      v2 = (await app.call('PATCH', `/api/products/${v1.id}`, { token: t.adminA, body: { name: '第二版' } })).body;
      app.clock.advance(MINUTE);
      await returnDraft(v2.id, '名称请与合同一致');
      app.clock.advance(MINUTE);
      const resent = (await app.call('PATCH', `/api/products/${v2.id}`, { token: t.adminA, body: { name: '第二版（合同名称）' } })).body;
      app.clock.advance(MINUTE);
      expect((await app.call('POST', `/api/products/${v2.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: resent.updatedAt } })).status).to.equal(200);
      app.clock.advance(MINUTE);
      expect((await app.call('POST', `/api/products/${v2.id}/retire`, { token: t.admin })).status).to.equal(200);
    });

    it('GET /api/products/:id/reviews › when read by the desk through any version › lists the whole family’s history newest first', async () => {
      for (const id of [v1.id, v2.id]) {
        const res = await app.call('GET', `/api/products/${id}/reviews`, { token: t.desk });
        expect(res.status, res.text).to.equal(200);
        expect(res.body).to.include({ total: 4, page: 1, pageSize: 20 });
        expect(res.body.items.map((r: { action: string; version: number }) => `${r.action} v${r.version}`))
          .to.deep.equal(['retired v2', 'published v2', 'returned v2', 'published v1']);
        const [retired, published, returned] = res.body.items;
        expect(retired.actor).to.deep.equal({ id: users.admin!.id, name: users.admin!.name ?? users.admin!.username });
        expect(published.actor).to.deep.equal({ id: users.desk!.id, name: '林专窗' });
        expect(returned).to.include({ comment: '名称请与合同一致', productId: v2.id });
        expect(returned).to.have.all.keys('id', 'productId', 'version', 'action', 'comment', 'actor', 'at');
        expect(published.comment).to.equal(null);
      }
    });

    it('GET /api/products/:id/reviews › when read by the product’s own bank › answers its admin and officers', async () => {
      for (const token of [t.adminA, t.officerA]) {
        const res = await app.call('GET', `/api/products/${v1.id}/reviews?pageSize=2`, { token });
        expect(res.status, res.text).to.equal(200);
        expect(res.body).to.include({ total: 4, pageSize: 2 });
        expect(res.body.items).to.have.length(2);
      }
    });

    it('GET /api/products/:id/reviews › when an officer asks about a returned draft they cannot open › is 404 as for the draft itself, and the family’s history leaves the draft’s reviews out', async () => {
      const live = await publishedOfA();
      const draft = (await app.call('PATCH', `/api/products/${live.id}`, { token: t.adminA, body: { name: '内部修改稿' } })).body;
      await returnDraft(draft.id, '内部意见：风控材料不足');
      expectProblem(await app.call('GET', `/api/products/${draft.id}`, { token: t.officerA }), 404, 'product_not_found');
      expectProblem(await app.call('GET', `/api/products/${draft.id}/reviews`, { token: t.officerA }), 404, 'product_not_found');
      const throughLive = await app.call('GET', `/api/products/${live.id}/reviews`, { token: t.officerA });
      expect(throughLive.status, throughLive.text).to.equal(200);
      expect(throughLive.body.items.map((r: { action: string }) => r.action)).to.deep.equal(['published']);
      expect(throughLive.text).not.to.contain('内部意见');
      // The bank's admin, who may open the draft, reads its history.
      const own = await app.call('GET', `/api/products/${draft.id}/reviews`, { token: t.adminA });
      expect(own.body.items.map((r: { action: string; comment: string | null }) => [r.action, r.comment])).to.deep.equal([['returned', '内部意见：风控材料不足'], ['published', null]]);
    });

    it('GET /api/products/:id/reviews › when read by another bank, anonymously, or for a missing product › is 404 (as missing) / 401', async () => {
      const missing = await app.call('GET', '/api/products/999999/reviews', { token: t.adminB });
      expectProblem(missing, 404, 'product_not_found');
      const other = await app.call('GET', `/api/products/${v2.id}/reviews`, { token: t.adminB });
      expectProblem(other, 404, 'product_not_found');
      expect(other.body).to.deep.equal(missing.body);
      expectProblem(await app.call('GET', `/api/products/${v2.id}/reviews`), 401);
      expectFieldErrors(await app.call('GET', `/api/products/${v2.id}/reviews?pageSize=0`, { token: t.desk }), ['pageSize']);
    });
  });

  describe('POST /api/products/:id/publish and /retire', () => {
    it('POST /api/products/:id/publish › when a new version replaces the live one › records one published review for the draft and none for the version it retires', async () => {
      const live = await publishedOfA();
      const next = (await app.call('PATCH', `/api/products/${live.id}`, { token: t.adminA, body: { approvalDays: 3 } })).body;
      await app.call('POST', `/api/products/${next.id}/publish`, { token: t.admin, body: { expectedUpdatedAt: next.updatedAt } });
      expect((await reviewsOf(next.id)).map((r) => [r.action, r.actorId])).to.deep.equal([['published', users.admin!.id]]);
      expect((await reviewsOf(live.id)).map((r) => r.action)).to.deep.equal(['published']);
    });

    it('POST /api/products/:id/publish › when the bank edits the live version while the desk publishes its draft › never deadlocks into a 500 (on PostgreSQL the two took their locks in opposite orders)', async function () {
      this.timeout(120_000);
      const seen = new Set<string>();
      for (let i = 0; i < 25; i++) {
        const live = await publishedOfA();
        const draft = (await app.call('PATCH', `/api/products/${live.id}`, { token: t.adminA, body: { approvalDays: 7 } })).body;
        const [patch, publish] = await Promise.all([
          app.call('PATCH', `/api/products/${live.id}`, { token: t.adminA, body: { approvalDays: 9 } }),
          app.call('POST', `/api/products/${draft.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: draft.updatedAt } }),
        ]);
        seen.add(`${patch.status}/${publish.status}`);
        expect(publish.status, publish.text).to.equal(200);
        // The PATCH waits for the publish or goes first: the draft exists (409) or the version it edits was just retired (409).
        expectProblem(patch, 409);
      }
      expect([...seen]).to.deep.equal(['409/200']);
    });
  });
});
