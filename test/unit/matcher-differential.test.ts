import { expect } from 'chai';
import { BatchMatcher } from '../../matchers/batch';
import { toFacts, type Facts } from '../../matchers/facts';
import { explain, Matcher } from '../../matchers/matcher';
import { randomProfile, rng, seededMatchProducts } from '../helpers/profiles';
import { rulesEngine } from '../helpers/rules-oracle';

describe('matcher against independent oracles (2,000 random profiles × the 132 demo products)', function () {
  this.timeout(120_000);
  const products = seededMatchProducts();
  const matcher = new Matcher(products);
  const next = rng(20261121);
  const facts: Facts[] = Array.from({ length: 2000 }, () => {
    const { company, need } = randomProfile(next);
    return toFacts(company, need, '2026-11-20');
  });

  it('uses the demo registry and a profile mix where some but not all pairs are eligible', () => {
    expect(products).to.have.length(132);
    const eligible = facts.reduce((n, f) => n + matcher.match(f).filter((r) => r.eligible).length, 0);
    const share = eligible / (facts.length * products.length);
    expect(share).to.be.within(0.02, 0.6);
  });

  it('agrees with json-rules-engine on eligibility for every profile and product', async () => {
    const oracle = rulesEngine(products);
    let disagreements = 0;
    for (const f of facts) {
      const theirs = await oracle.eligibleIds(f);
      for (const r of matcher.match(f)) {
        if (r.eligible !== theirs.has(r.product.id)) {
          disagreements++;
          if (disagreements <= 3) console.error('disagreement', r.product.id, JSON.stringify(f), r.reasons.filter((x) => x.status !== 'pass'));
        }
      }
    }
    expect(disagreements).to.equal(0);
  });

  it('gives the batch evaluator the same eligibility and scores as the explaining one', () => {
    const batch = new BatchMatcher(matcher.compiled);
    const cols = batch.encode(facts);
    const eligible = new Uint8Array(facts.length * products.length);
    const score = new Uint8Array(facts.length * products.length);
    batch.run(cols, eligible, score);
    let mismatches = 0;
    facts.forEach((f, i) => {
      matcher.compiled.forEach((c, p) => {
        const e = explain(c, f);
        if (e.eligible !== (eligible[p * facts.length + i] === 1) || e.score !== score[p * facts.length + i]) mismatches++;
      });
    });
    expect(mismatches).to.equal(0);
  });

  it('scores eligible pairs alike when asked to score only those', () => {
    const batch = new BatchMatcher(matcher.compiled);
    const cols = batch.encode(facts);
    const all = { e: new Uint8Array(facts.length * 132), s: new Uint8Array(facts.length * 132) };
    const some = { e: new Uint8Array(facts.length * 132), s: new Uint8Array(facts.length * 132) };
    expect(batch.run(cols, all.e, all.s)).to.equal(batch.run(cols, some.e, some.s, { scoreAll: false }));
    expect(some.e).to.deep.equal(all.e);
    for (let k = 0; k < all.e.length; k++) expect(some.s[k]).to.equal(all.e[k] ? all.s[k] : 0);
  });

  it('refuses incomplete profiles in the batch evaluator', () => {
    const batch = new BatchMatcher(matcher.compiled);
    expect(() => batch.encode([{ ...facts[0]!, district: undefined }])).to.throw(TypeError, /incomplete/);
  });
});
