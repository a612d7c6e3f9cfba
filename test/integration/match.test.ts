import { expect } from 'chai';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { hardwareMaker } from '../helpers/applications';
import { buildUser, tokenFor } from '../helpers/factories';
import { seedStoryCompany, seedStoryNeed } from '../helpers/seed-story';

/** The seed story: a hardware maker in Gaoyao that has never borrowed. */
const gaoyaoHardware = hardwareMaker({ uscc: '914403001922038216' });

describe('POST /api/match', function () {
  this.timeout(60_000);
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
    await seedDemo(app.db, { accounts: false });
  });
  after(() => app.close());

  const match = (company: object, need: object = { amount: 1_000_000, termMonths: 12 }) => app.call('POST', '/api/match', { body: { company, need } });

  it('scores every published product, eligible first and then by score, each with its summary and reasons', async () => {
    const res = await app.call('POST', '/api/match', { body: { company: gaoyaoHardware, need: { amount: 4_000_000, termMonths: 12, purpose: '采购原材料' }, limit: 1000 } });
    expect(res.status).to.equal(200);
    expect(res.body.total).to.equal(132);
    expect(res.body.profile).to.deep.equal({ size: 'small', monthsInOperation: res.body.profile.monthsInOperation });
    const results = res.body.results as { eligible: boolean; score: number; product: Record<string, unknown>; reasons: { status: string }[] }[];
    expect(res.body.eligibleCount).to.equal(results.filter((r) => r.eligible).length).and.to.be.greaterThan(0);
    const firstIneligible = results.findIndex((r) => !r.eligible);
    expect(results.slice(firstIneligible).every((r) => !r.eligible), 'eligible first').to.equal(true);
    for (let i = 1; i < firstIneligible; i++) expect(results[i - 1]!.score).to.be.at.least(results[i]!.score);
    expect(results[0]!.product).to.include.keys('id', 'bankId', 'bankName', 'name', 'type', 'amount', 'termMonths', 'rate');
    for (const r of results) {
      expect(r.eligible).to.equal(r.reasons.every((x) => x.status === 'pass'));
      expect(r.reasons.length).to.be.at.least(2);
    }
  });

  it('POST /api/match › for the seed story with its tax rating unknown › offers first-loan and local products, an 农业银行 one holding 400万, and no tech loan', async () => {
    const res = await app.call('POST', '/api/match', { body: { company: seedStoryCompany(), need: seedStoryNeed } });
    expect(res.status, res.text).to.equal(200);
    const eligible = (res.body.results as { eligible: boolean; product: { bankName: string; name: string; type: string; amount: { min: number; max: number } } }[]).filter((r) => r.eligible);
    expect(eligible.length).to.be.at.least(3);
    expect(eligible.find((r) => r.product.bankName === '中国农业银行' && r.product.amount.min <= 4_000_000 && r.product.amount.max >= 4_000_000)?.product.name).to.equal('首户e贷');
    expect(eligible.map((r) => r.product.name)).to.include('五金产业贷');
    expect(eligible.filter((r) => r.product.type === 'tech')).to.deep.equal([]);
  });

  it('answers every eligible product and the 10 best of the rest by default, or exactly `limit`', async () => {
    const res = await match(gaoyaoHardware, { amount: 1_000_000, termMonths: 12 });
    expect(res.body.returned).to.equal(res.body.eligibleCount + 10);
    expect(res.body.results).to.have.length(res.body.returned);
    expect(res.body.results.filter((r: { eligible: boolean }) => r.eligible)).to.have.length(res.body.eligibleCount);
    const all = await app.call('POST', '/api/match', { body: { company: gaoyaoHardware, need: { amount: 1_000_000, termMonths: 12 }, limit: 200 } });
    expect(all.body.results).to.have.length(132);
    expect(all.body.results.slice(0, res.body.returned)).to.deep.equal(res.body.results);
    const three = await app.call('POST', '/api/match', { body: { company: gaoyaoHardware, need: { amount: 1_000_000, termMonths: 12 }, limit: 3 } });
    expect(three.body.results).to.deep.equal(res.body.results.slice(0, 3));
    expectFieldErrors(await app.call('POST', '/api/match', { body: { company: {}, need: { amount: 100_000, termMonths: 12 }, limit: 0 } }), ['limit']);
  });

  it('ranks products that only lack information above products that fail, asking for the missing field', async () => {
    const res = await app.call('POST', '/api/match', { body: { company: { district: '441204', industry: 'C33' }, need: { amount: 1_000_000, termMonths: 12 }, limit: 1000 } });
    const results = res.body.results as { eligible: boolean; reasons: { status: string; message: { zh: string } }[] }[];
    const rank = (r: (typeof results)[number]) => (r.eligible ? 2 : r.reasons.some((x) => x.status === 'fail') ? 0 : 1);
    for (let i = 1; i < results.length; i++) expect(rank(results[i - 1]!)).to.be.at.least(rank(results[i]!));
    const unknownOnly = results.find((r) => rank(r) === 1)!;
    expect(unknownOnly.reasons.find((x) => x.status === 'unknown')!.message.zh).to.match(/^请/);
  });

  it('hints how to qualify: an amount above a product\'s maximum', async () => {
    const res = await match(gaoyaoHardware, { amount: 40_000_000, termMonths: 12 });
    const withHint = (res.body.results as { reasons: { criterion: string; status: string; hint?: { zh: string } }[] }[])
      .flatMap((r) => r.reasons).find((x) => x.criterion === 'amount' && x.status === 'fail');
    expect(withHint!.hint!.zh).to.match(/^可将申请金额调整为不超过/);
  });

  it('answers 400 naming every bad field, before reaching the catalogue', async () => {
    const broken = await startTestApp();
    await broken.testDb.database.close(); // any request that reached the evaluator would now fail with 500
    const res = await broken.call('POST', '/api/match', {
      body: {
        company: { uscc: '914403001922038217', industry: 'Z99', district: '4412', establishedOn: '2019-02-30', employees: -1, taxRating: 'E', collateral: ['none', 'ip'] },
        need: { amount: 500, termMonths: 0 },
      },
    });
    expectFieldErrors(res, ['company.uscc', 'company.industry', 'company.district', 'company.establishedOn', 'company.employees', 'company.taxRating', 'company.collateral', 'need.amount', 'need.termMonths']);
    expectProblem(await broken.call('POST', '/api/match', { body: { company: {}, need: { amount: 100_000, termMonths: 12 } } }), 500);
    await broken.close().catch(() => undefined);
  });

  it('needs a need', async () => {
    expectFieldErrors(await app.call('POST', '/api/match', { body: { company: gaoyaoHardware } }), ['need']);
  });

  it('follows the catalogue: a retired product leaves the results, a new one joins once published', async () => {
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    const before = await match(gaoyaoHardware);
    const top = before.body.results[0].product;
    await app.call('POST', `/api/products/${top.id}/retire`, { token: desk });
    const after = await match(gaoyaoHardware);
    expect(after.body.total).to.equal(131);
    expect(after.body.results.map((r: { product: { id: number } }) => r.product.id)).not.to.include(top.id);
  });
});

describe('POST /api/match rate limit', () => {
  it('answers 429 with Retry-After past the per-client limit', async () => {
    const app = await startTestApp({ config: { matchRateLimit: 3 } });
    try {
      const body = { company: {}, need: { amount: 100_000, termMonths: 12 } };
      for (let i = 0; i < 3; i++) expect((await app.call('POST', '/api/match', { body })).status).to.equal(200);
      const limited = await app.call('POST', '/api/match', { body });
      expectProblem(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
      app.clock.advance(61_000);
      expect((await app.call('POST', '/api/match', { body })).status).to.equal(200);
    } finally {
      await app.close();
    }
  });
});
