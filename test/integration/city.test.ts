import { expect } from 'chai';
import { loadConfig, type AppConfig } from '../../server/config';
import { deliverDueSms } from '../../server/sms/outbox';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { chosenBody, hardwareMaker, need } from '../helpers/applications';
import { expectFieldErrors } from '../helpers/expect';
import { buildBank, buildBranch, buildUser, tokenFor } from '../helpers/factories';
import { productBody } from '../helpers/products';

/** What CITY decides in config: the profile, and the desk name and phone that default to its desk's. */
function cityConfig(city: string): Partial<AppConfig> {
  const { city: profile, deskName, deskPhone } = loadConfig({ CITY: city });
  return { city: profile, deskName, deskPhone };
}

const XIANGTAN = ['430302', '430304', '430321', '430381', '430382'];

/** SPEC "Second wave → The city is data": the districts, labels, posters and messages come from the city profile. */
describe('the city is data (CITY)', function () {
  this.timeout(60_000);

  describe('with CITY=xiangtan', () => {
    let app: TestApp;
    let desk: string;
    let bankAdmin: string;
    let admin: string;
    let bankId: number;
    let productId: number;

    before(async () => {
      // A weekday at 10:00 in Shanghai: the applicant's messages go out at once, not after quiet hours.
      app = await startTestApp({ config: cityConfig('xiangtan'), clock: new TestClock(new Date('2026-12-01T02:00:00Z')) });
      const bank = await buildBank(app.db, { code: 'XTB', name: '湘潭测试银行', shortName: '湘潭测试行' });
      bankId = bank.id;
      await buildBranch(app.db, bankId, { name: '雨湖支行', district: '430302' });
      desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
      bankAdmin = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId }));
      admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
      const draft = await app.call('POST', '/api/products', { token: bankAdmin, body: productBody({ name: '雨湖首贷', criteria: { districts: ['430302'] } }) });
      expect(draft.status, draft.text).to.equal(201);
      productId = draft.body.id;
      const published = await app.call('POST', `/api/products/${productId}/publish`, { token: desk, body: { expectedUpdatedAt: draft.body.updatedAt } });
      expect(published.status, published.text).to.equal(200);
    });
    after(() => app.close());

    it('GET /api/city › when asked by anyone › answers Xiangtan\'s profile: code, names, districts and desk', async () => {
      const res = await app.call('GET', '/api/city');
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ code: '430300', name: { zh: '湘潭市', en: 'Xiangtan' } });
      expect(Object.keys(res.body.districts)).to.deep.equal(XIANGTAN);
      expect(res.body.districts['430302']).to.deep.equal({ zh: '雨湖区', en: 'Yuhu' });
      expect(res.body.desk.name).to.equal('湘潭市融资（首贷）专窗');
    });

    it('GET /apply › when the page is served › embeds the city for the district select, and no Zhaoqing district', async () => {
      const res = await app.call('GET', '/apply');
      expect(res.status).to.equal(200);
      const block = /<script type="application\/json" id="rongma-city">(.*?)<\/script>/.exec(res.text);
      expect(block, 'the city data block').to.not.equal(null);
      expect(Object.keys(JSON.parse(block![1]!).districts)).to.deep.equal(XIANGTAN);
      expect(res.text).not.to.contain('441204');
    });

    it('POST /api/match › when the company is in 雨湖区 (430302) › answers 200 with the district product eligible, its reason naming the district', async () => {
      const res = await app.call('POST', '/api/match', { body: { company: hardwareMaker({ district: '430302' }), need, limit: 100 } });
      expect(res.status, res.text).to.equal(200);
      const result = (res.body.results as { product: { id: number }; eligible: boolean; reasons: { criterion: string; message: { zh: string } }[] }[]).find((r) => r.product.id === productId)!;
      expect(result.eligible).to.equal(true);
      expect(result.reasons.find((r) => r.criterion === 'districts')!.message.zh).to.contain('雨湖区');
    });

    it('POST /api/match › when the company is in a Zhaoqing district › returns 400 naming company.district', async () => {
      const res = await app.call('POST', '/api/match', { body: { company: hardwareMaker({ district: '441204' }), need } });
      expectFieldErrors(res, ['company.district']);
      expect(res.body.errors[0].message).to.contain('湘潭市').and.to.contain('430302');
    });

    it('GET /api/products › when filtered by a Zhaoqing district › returns 400 naming district; by a Xiangtan one › 200', async () => {
      expectFieldErrors(await app.call('GET', '/api/products?district=441204'), ['district']);
      const ok = await app.call('GET', '/api/products?district=430302');
      expect(ok.status, ok.text).to.equal(200);
    });

    it('POST /api/products › when the criteria name a Zhaoqing district › returns 400 naming criteria.districts.0', async () => {
      expectFieldErrors(await app.call('POST', '/api/products', { token: bankAdmin, body: productBody({ criteria: { districts: ['441204'] } }) }), ['criteria.districts.0']);
    });

    it('POST /api/applications › when the company is in 雨湖区 › returns 201, and the applicant\'s message is signed by Xiangtan\'s desk', async () => {
      const body = await chosenBody(app, { company: hardwareMaker({ district: '430302' }), count: 1, phone: '13912340001' });
      expect(body.productIds).to.deep.equal([productId]);
      const res = await app.call('POST', '/api/applications', { body });
      expect(res.status, res.text).to.equal(201);
      await deliverDueSms(jobDeps(app));
      const sms = await app.call('GET', '/api/admin/sms?phone=13912340001', { token: admin });
      expect(sms.status, sms.text).to.equal(200);
      expect(sms.body.items).to.have.length.above(0);
      for (const item of sms.body.items as { text: string }[]) expect(item.text).to.match(/——湘潭市融资（首贷）专窗$/);
    });

    it('POST /api/applications › when the company is in a Zhaoqing district › returns 400 naming company.district', async () => {
      const body = await chosenBody(app, { company: hardwareMaker({ district: '430302' }), count: 1 });
      expectFieldErrors(await app.call('POST', '/api/applications', { body: { ...body, company: { ...body.company, district: '441204' } } }), ['company.district']);
    });

    it('POST /api/applications/assisted › when the desk files for a company in a Zhaoqing district › returns 400 naming company.district', async () => {
      const body = { company: hardwareMaker({ district: '441202' }), contact: { name: '李明', phone: '13800138000' }, need, mode: 'chosen', productIds: [productId] };
      expectFieldErrors(await app.call('POST', '/api/applications/assisted', { token: desk, body }), ['company.district']);
    });

    it('POST /api/coaching › when the near miss\'s company is in a Zhaoqing district › returns 400 naming company.district', async () => {
      const company = hardwareMaker({ district: '441284' });
      const body = {
        uscc: company.uscc, companyName: company.name, targetProductIds: [productId], company, need,
        gaps: [{ criterion: 'districts', plan: '迁入雨湖区', dueOn: '2027-06-30' }],
      };
      expectFieldErrors(await app.call('POST', '/api/coaching', { token: desk, body }), ['company.district']);
    });

    it('POST /api/channels › when the desk places a code in a Zhaoqing district › returns 400 naming district; in 岳塘区 › 201', async () => {
      expectFieldErrors(await app.call('POST', '/api/channels', { token: desk, body: { name: '端州窗口', kind: 'desk', district: '441202' } }), ['district']);
      const ok = await app.call('POST', '/api/channels', { token: desk, body: { name: '岳塘区政务服务中心', kind: 'desk', district: '430304' } });
      expect(ok.status, ok.text).to.equal(201);
    });

    it('POST /api/banks/:id/branches › when the branch is in a Zhaoqing district › returns 400 naming district', async () => {
      expectFieldErrors(await app.call('POST', `/api/banks/${bankId}/branches`, { token: bankAdmin, body: { name: '高要支行', district: '441204' } }), ['district']);
    });

    it('GET /api/leads and GET /api/reports/summary › when filtered by a Zhaoqing district › return 400 naming district', async () => {
      expectFieldErrors(await app.call('GET', '/api/leads?district=441204', { token: desk }), ['district']);
      expectFieldErrors(await app.call('GET', '/api/reports/summary?district=441204', { token: desk }), ['district']);
      expect((await app.call('GET', '/api/reports/summary?district=430302', { token: desk })).status).to.equal(200);
    });

    it('GET /c/:code/poster › when printed › names Xiangtan and the desk\'s phone', async () => {
      const made = await app.call('POST', '/api/channels', { token: desk, body: { name: '雨湖区便民服务中心', kind: 'town', district: '430302' } });
      const res = await app.call('GET', `/api/channels/${made.body.id}/poster`, { token: desk });
      expect(res.status, res.text).to.equal(200);
      expect(res.text).to.contain('扫码了解湘潭市各银行信贷产品');
      expect(res.text).not.to.contain('肇庆');
    });
  });

  describe('with the default city', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp();
    });
    after(() => app.close());

    it('GET /api/city › when CITY is not set › answers Zhaoqing', async () => {
      const res = await app.call('GET', '/api/city');
      expect(res.body.code).to.equal('441200');
      expect(Object.keys(res.body.districts)).to.include('441204');
    });

    it('POST /api/match › when the company is in 高要区 (441204) › answers 200; in 雨湖区 (430302) › returns 400 naming company.district', async () => {
      const ok = await app.call('POST', '/api/match', { body: { company: hardwareMaker(), need } });
      expect(ok.status, ok.text).to.equal(200);
      expectFieldErrors(await app.call('POST', '/api/match', { body: { company: hardwareMaker({ district: '430302' }), need } }), ['company.district']);
    });
  });
});
