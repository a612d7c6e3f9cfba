import { expect } from 'chai';
import { toFacts } from '../../matchers/facts';
import { Matcher } from '../../matchers/matcher';
import { lprOn } from '../../server/domain/lpr';
import { seedStoryCompany, seedStoryNeed } from '../helpers/seed-story';
import { randomProfile, rng, seededMatchProducts } from '../helpers/profiles';

/** Finer industry codes than the generator's own, for products that name a class (jade carving, jewellery trade, citrus). */
const finer = ['C2431', 'F5146', 'F5245', 'A0151', 'C3311', 'C3484', 'I6513', 'M7320'];

describe('the demo registry reads like Zhaoqing\'s banks', () => {
  const products = seededMatchProducts();
  const matcher = new Matcher(products);

  it('demo registry › when a few thousand plausible companies are matched › every product is eligible for some of them (no dead products)', function () {
    this.timeout(120_000);
    const next = rng(17);
    const eligibleCount = new Map(products.map((p) => [p.id, 0]));
    for (let i = 0; i < 4000; i++) {
      const { company, need } = randomProfile(next);
      if (next() < 0.2) company.industry = finer[Math.floor(next() * finer.length)]!;
      if (next() < 0.15) company.taxRating = 'unknown';
      for (const r of matcher.match(toFacts(company, need, '2026-11-20'))) {
        if (!r.eligible) break;
        eligibleCount.set(r.product.id, eligibleCount.get(r.product.id)! + 1);
      }
    }
    const dead = products.filter((p) => eligibleCount.get(p.id) === 0).map((p) => `${p.bankName} ${p.name}`);
    expect(dead, 'products no generated company is eligible for').to.deep.equal([]);
  });

  it('demo registry › read product by product › criteria agree with names', () => {
    for (const p of products) {
      const c = p.criteria;
      if (p.type === 'tech') expect(c.certificationsAnyOf, `${p.bankName} ${p.name}`).to.include.members(['high_tech', 'tech_sme']);
      if (/首贷|首户/.test(p.name)) expect(c.firstLoanOnly, `${p.bankName} ${p.name}`).to.equal(true);
      if (/税/.test(p.name)) expect(c.taxRatings, `${p.bankName} ${p.name}`).to.be.an('array');
      if (/玉器/.test(p.name)) expect(c.districts).to.have.members(['441284', '441223']);
      if (/五金/.test(p.name)) {
        expect(c.industriesInclude).to.have.members(['C33', 'C34']);
        expect(c.districts).to.deep.equal(['441204']);
      }
      if (/贡柑/.test(p.name)) expect(c.districts).to.deep.equal(['441226']);
    }
  });

  it('demo registry › read for its terms › rates sit between the LPR and LPR + 350 bp, amounts and terms are ranges', () => {
    const lpr = lprOn('2026-11-20').ratePct;
    for (const p of products) {
      const label = `${p.bankName} ${p.name}`;
      expect(p.rate.min, label).to.be.at.least(lpr).and.at.most(p.rate.max);
      expect(p.rate.max, label).to.be.at.most(lpr + 3.5);
      expect(p.amount.min, label).to.be.below(p.amount.max);
      expect(p.termMonths.min, label).to.be.below(p.termMonths.max);
    }
  });

  it('demo registry › for the seed story with its tax rating unknown › offers real choices, among them an 农业银行 product holding 400万, and no product that needs a certificate', () => {
    const results = matcher.match(toFacts(seedStoryCompany() as never, seedStoryNeed, new Date().toISOString().slice(0, 10)));
    const eligible = results.filter((r) => r.eligible);
    expect(eligible.length).to.be.within(3, 20);
    expect(new Set(eligible.map((r) => r.product.bankId)).size, 'from several banks').to.be.at.least(3);
    expect(eligible.some((r) => r.product.bankName === '中国农业银行' && r.product.amount.min <= 4_000_000 && r.product.amount.max >= 4_000_000)).to.equal(true);
    expect(eligible.filter((r) => r.product.type === 'tech')).to.deep.equal([]);
  });
});
