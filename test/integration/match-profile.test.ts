import { expect } from 'chai';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors } from '../helpers/expect';
import { hardwareMaker } from '../helpers/applications';
import { buildBank, buildUser, tokenFor } from '../helpers/factories';
import { productBody } from '../helpers/products';

interface Reason { criterion: string; status: string; message: Record<string, string>; hint?: Record<string, string> }
interface Result { product: { id: number; name: string; bankId: number }; eligible: boolean; score: number; reasons: Reason[]; hints: Record<string, string>[] }

/**
 * SPEC "Second wave → Company profile and matching": an unknown tax rating, certifications and the
 * answer's language, on a registry of three products built for it.
 */
describe('POST /api/match with the second-wave profile', function () {
  this.timeout(60_000);
  let app: TestApp;
  let bankId: number;
  let desk: string;
  const ids: Record<string, number> = {};

  before(async () => {
    app = await startTestApp();
    const bank = await buildBank(app.db, { code: 'TST', name: '测试银行', shortName: '测试行' });
    bankId = bank.id;
    const admin = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId }));
    desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    const lines = {
      tech: { name: '科创贷', type: 'tech' as const, criteria: { certificationsAnyOf: ['high_tech' as const, 'tech_sme' as const] } },
      tax: { name: '税易贷', type: 'tax' as const, criteria: { taxRatings: ['A' as const, 'B' as const] } },
      plain: { name: '首贷通', type: 'first_loan' as const, criteria: { firstLoanOnly: true } },
    };
    for (const [key, over] of Object.entries(lines)) {
      const draft = await app.call('POST', '/api/products', { token: admin, body: productBody({ ...over, amount: { min: 100_000, max: 5_000_000 } }) });
      expect(draft.status, draft.text).to.equal(201);
      expect((await app.call('POST', `/api/products/${draft.body.id}/publish`, { token: desk, body: { expectedUpdatedAt: draft.body.updatedAt } })).status).to.equal(200);
      ids[key] = draft.body.id;
    }
  });
  after(() => app.close());

  const need = { amount: 1_000_000, termMonths: 12 };
  async function match(company: object, extra: object = {}, headers?: Record<string, string>) {
    const res = await app.call('POST', '/api/match', { body: { company, need, limit: 100, ...extra }, headers });
    expect(res.status, res.text).to.equal(200);
    return res.body as { results: Result[]; lang?: string };
  }
  const resultOf = (body: { results: Result[] }, key: string) => body.results.find((r) => r.product.id === ids[key])!;
  const reasonOf = (r: Result, criterion: string) => r.reasons.find((x) => x.criterion === criterion)!;

  describe('taxRating', () => {
    it('POST /api/match › when taxRating is "unknown" › answers 200 and the rating criterion reads unknown', async () => {
      const body = await match(hardwareMaker({ taxRating: 'unknown' }));
      const tax = resultOf(body, 'tax');
      expect(tax.eligible).to.equal(false);
      expect(reasonOf(tax, 'taxRatings').status).to.equal('unknown');
      expect(resultOf(body, 'plain').eligible, 'a product that asks nothing of the rating').to.equal(true);
    });

    it('POST /api/match › when taxRating is omitted or in any case ("Unknown") › reads unknown too', async () => {
      const { taxRating: _, ...company } = hardwareMaker();
      expect(reasonOf(resultOf(await match(company), 'tax'), 'taxRatings').status).to.equal('unknown');
      expect(reasonOf(resultOf(await match(hardwareMaker({ taxRating: 'Unknown' })), 'tax'), 'taxRatings').status).to.equal('unknown');
    });

    it('POST /api/match › when taxRating is not a rating › returns 400 naming company.taxRating', async () => {
      expectFieldErrors(await app.call('POST', '/api/match', { body: { company: hardwareMaker({ taxRating: 'E' }), need } }), ['company.taxRating']);
    });

    for (const [label, over] of [['"unknown"', { taxRating: 'unknown' }], ['omitted', { taxRating: undefined }]] as const) {
      it(`POST /api/applications › when taxRating is ${label} › answers 201 and the lead's company reads "unknown"`, async () => {
        const company: Record<string, unknown> = hardwareMaker(over);
        if (company.taxRating === undefined) delete company.taxRating;
        const consent = (await app.call('GET', '/api/applications/consent')).body;
        const res = await app.call('POST', '/api/applications', {
          body: { company, contact: { name: '梁伟', phone: '13812345678' }, need, mode: 'chosen', productIds: [ids.plain], consent: { version: consent.version, banks: [bankId] } },
        });
        expect(res.status, res.text).to.equal(201);
        const lead = await app.call('GET', `/api/leads/${res.body.leads[0].id}`, { token: desk });
        expect(lead.status, lead.text).to.equal(200);
        expect(lead.body.company.taxRating).to.equal('unknown');
      });
    }
  });

  describe('certifications', () => {
    it('POST /api/match › when the company holds a listed certification › the criterion passes and the product is eligible', async () => {
      const tech = resultOf(await match(hardwareMaker({ certifications: ['innovative', 'tech_sme'] })), 'tech');
      expect(reasonOf(tech, 'certificationsAnyOf').status).to.equal('pass');
      expect(tech.eligible).to.equal(true);
    });

    it('POST /api/match › when the company holds none of them › the criterion fails with a hint', async () => {
      for (const certifications of [[], ['specialized']]) {
        const tech = resultOf(await match(hardwareMaker({ certifications })), 'tech');
        const r = reasonOf(tech, 'certificationsAnyOf');
        expect(r.status).to.equal('fail');
        expect(r.message.zh).to.equal('需为高新技术企业或科技型中小企业');
        expect(r.hint!.en).to.match(/^Once certified as High and New Technology Enterprise or Tech-based SME/);
        expect(tech.eligible).to.equal(false);
      }
    });

    it('POST /api/match › when certifications are not given › the criterion reads unknown', async () => {
      const tech = resultOf(await match(hardwareMaker()), 'tech');
      expect(reasonOf(tech, 'certificationsAnyOf').status).to.equal('unknown');
      expect(tech.eligible).to.equal(false);
    });

    it('POST /api/match › when a certification is not one of the five › returns 400 naming it', async () => {
      expectFieldErrors(await app.call('POST', '/api/match', { body: { company: hardwareMaker({ certifications: ['iso9001'] }), need } }), ['company.certifications.0']);
    });

    it('POST /api/products › when certificationsAnyOf names an unknown certification › returns 400 naming it', async () => {
      const admin = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId }));
      expectFieldErrors(await app.call('POST', '/api/products', { token: admin, body: productBody({ criteria: { certificationsAnyOf: ['iso9001'] } as never }) }),
        ['criteria.certificationsAnyOf.0']);
    });
  });

  describe('lang', () => {
    const allMessages = (body: { results: Result[] }) => body.results.flatMap((r) => [...r.reasons.flatMap((x) => [x.message, ...(x.hint ? [x.hint] : [])]), ...r.hints]);

    it('POST /api/match › without lang or a Chinese or English Accept-Language › keeps both languages', async () => {
      const body = await match(hardwareMaker({ certifications: [] }), {}, { 'accept-language': '*' });
      expect(body.lang).to.equal(undefined);
      for (const m of allMessages(body)) expect(m).to.have.all.keys('zh', 'en');
    });

    for (const [how, extra, headers, lang] of [
      ['lang "en"', { lang: 'en' }, undefined, 'en'],
      ['lang "zh" over an English Accept-Language', { lang: 'zh' }, { 'accept-language': 'en-GB,en;q=0.9' }, 'zh'],
      ['Accept-Language en-US', {}, { 'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.8' }, 'en'],
      ['Accept-Language preferring Chinese by q-value', {}, { 'accept-language': 'en;q=0.5, zh-CN' }, 'zh'],
    ] as const) {
      it(`POST /api/match › with ${how} › every message and hint carries ${lang} only`, async () => {
        const body = await match(hardwareMaker({ certifications: [] }), extra, headers);
        expect(body.lang).to.equal(lang);
        const messages = allMessages(body);
        expect(body.results.some((r) => r.hints.length > 0), 'some hints to check').to.equal(true);
        for (const m of messages) expect(m).to.have.all.keys(lang);
        if (lang === 'en') for (const m of messages) expect(m.en).not.to.match(/[\u4e00-\u9fff]/);
      });
    }

    it('POST /api/match › when lang is neither zh nor en › returns 400 naming lang', async () => {
      expectFieldErrors(await app.call('POST', '/api/match', { body: { company: {}, need, lang: 'fr' } }), ['lang']);
    });
  });
});
