import { expect } from 'chai';
import type { Criteria } from '../../matchers/criteria';
import { monthsBetween, toFacts, type Facts } from '../../matchers/facts';
import { explain, compileProduct, Matcher, type MatchProduct } from '../../matchers/matcher';
import type { Reason } from '../../matchers/predicates';
import { ELIGIBLE_FLOOR } from '../../matchers/score';
import { randomProfile, rng, seededMatchProducts } from '../helpers/profiles';

const product = (criteria: Criteria, over: Partial<MatchProduct> = {}): MatchProduct => ({
  id: 1, bankId: 1, bankName: '测试银行', name: '测试贷', type: 'credit',
  amount: { min: 100_000, max: 2_000_000 }, termMonths: { min: 6, max: 36 }, rate: { min: 3.5, max: 5 },
  approvalDays: 3, firstLoanFriendly: false, criteria, ...over,
});

/** Complete facts for a small manufacturer; override what a case needs. */
const facts = (over: Partial<Facts> = {}): Facts => ({
  district: '441204', industry: 'C33', monthsInOperation: 36, revenue: 5_000_000, employees: 30, size: 'small', taxRating: 'B',
  overdueCount: 0, collateral: ['equipment'], guaranteeAvailable: false, hasBankLoan: false, amount: 500_000, termMonths: 12, ...over,
});

function reasonOf(criteria: Criteria, f: Partial<Facts>, criterion: string, over: Partial<MatchProduct> = {}): Reason {
  const r = explain(compileProduct(product(criteria, over)), facts(f)).reasons.find((x) => x.criterion === criterion);
  if (!r) throw new Error(`no reason for ${criterion}`);
  return r;
}
const statusOf = (criteria: Criteria, f: Partial<Facts>, criterion: string, over?: Partial<MatchProduct>) => reasonOf(criteria, f, criterion, over).status;

describe('matcher predicates', () => {
  it('gives exactly one reason per criterion present, plus amount and term', () => {
    const r = explain(compileProduct(product({ districts: ['441204'], taxRatings: ['A', 'B'] })), facts()).reasons;
    expect(r.map((x) => x.criterion)).to.deep.equal(['districts', 'taxRatings', 'amount', 'termMonths']);
    for (const x of r) expect(x.message.zh).to.be.a('string').and.not.equal('');
    for (const x of r) expect(x.message.en).to.be.a('string').and.not.equal('');
  });

  describe('districts', () => {
    it('passes a listed district, fails another, is unknown without one', () => {
      expect(statusOf({ districts: ['441204', '441202'] }, {}, 'districts')).to.equal('pass');
      const fail = reasonOf({ districts: ['441202'] }, {}, 'districts');
      expect(fail.status).to.equal('fail');
      expect(fail.message.zh).to.equal('仅服务端州区，您的企业在高要区');
      expect(statusOf({ districts: ['441202'] }, { district: undefined }, 'districts')).to.equal('unknown');
    });
  });

  describe('industriesInclude / industriesExclude', () => {
    it('match by code prefix: C includes C33 and C3311, C3 does not reach C24 … but does reach C33', () => {
      expect(statusOf({ industriesInclude: ['C'] }, { industry: 'C3311' }, 'industriesInclude')).to.equal('pass');
      expect(statusOf({ industriesInclude: ['C33', 'C34'] }, { industry: 'C34' }, 'industriesInclude')).to.equal('pass');
      expect(statusOf({ industriesInclude: ['C33'] }, { industry: 'C3' }, 'industriesInclude')).to.equal('fail');
      expect(statusOf({ industriesInclude: ['C33'] }, { industry: 'F52' }, 'industriesInclude')).to.equal('fail');
      expect(statusOf({ industriesExclude: ['K70'] }, { industry: 'K701' }, 'industriesExclude')).to.equal('fail');
      expect(statusOf({ industriesExclude: ['K70'] }, { industry: 'K72' }, 'industriesExclude')).to.equal('pass');
      expect(statusOf({ industriesExclude: ['K70'] }, { industry: undefined }, 'industriesExclude')).to.equal('unknown');
    });
  });

  describe('minYearsInOperation (whole months ≥ years × 12)', () => {
    it('passes from the 24th month for 2 years', () => {
      expect(monthsBetween('2024-11-21', '2026-11-21')).to.equal(24);
      expect(monthsBetween('2024-11-22', '2026-11-21')).to.equal(23);
      expect(statusOf({ minYearsInOperation: 2 }, { monthsInOperation: 24 }, 'minYearsInOperation')).to.equal('pass');
      expect(statusOf({ minYearsInOperation: 2 }, { monthsInOperation: 23 }, 'minYearsInOperation')).to.equal('fail');
      expect(statusOf({ minYearsInOperation: 0.5 }, { monthsInOperation: 6 }, 'minYearsInOperation')).to.equal('pass');
    });

    it('hints a near miss: 1.5 years where 2 are required', () => {
      const r = reasonOf({ minYearsInOperation: 2 }, { monthsInOperation: 18 }, 'minYearsInOperation');
      expect(r.message.zh).to.equal('需经营满2年，您已经营1年6个月');
      expect(r.hint!.zh).to.equal('再经营6个月即可申请本产品');
      expect(r.hint!.en).to.equal('You can apply in 6 months');
    });

    it('gives no hint when far off', () => {
      expect(reasonOf({ minYearsInOperation: 3 }, { monthsInOperation: 12 }, 'minYearsInOperation').hint).to.equal(undefined);
    });

    it('is unknown without an establishment date', () => {
      expect(statusOf({ minYearsInOperation: 2 }, { monthsInOperation: undefined }, 'minYearsInOperation')).to.equal('unknown');
    });
  });

  describe('annualRevenue and employees (min ≤ value ≤ max)', () => {
    it('includes both bounds', () => {
      const c: Criteria = { annualRevenue: { min: 1_000_000, max: 50_000_000 } };
      expect(statusOf(c, { revenue: 1_000_000 }, 'annualRevenue')).to.equal('pass');
      expect(statusOf(c, { revenue: 50_000_000 }, 'annualRevenue')).to.equal('pass');
      expect(statusOf(c, { revenue: 999_999 }, 'annualRevenue')).to.equal('fail');
      expect(statusOf(c, { revenue: 50_000_001 }, 'annualRevenue')).to.equal('fail');
      const e: Criteria = { employees: { min: 10, max: 300 } };
      expect(statusOf(e, { employees: 10 }, 'employees')).to.equal('pass');
      expect(statusOf(e, { employees: 300 }, 'employees')).to.equal('pass');
      expect(statusOf(e, { employees: 9 }, 'employees')).to.equal('fail');
      expect(statusOf(e, { employees: 301 }, 'employees')).to.equal('fail');
      expect(statusOf(e, { employees: undefined }, 'employees')).to.equal('unknown');
    });

    it('hints revenue 5% under the minimum with the shortfall in 万元', () => {
      const r = reasonOf({ annualRevenue: { min: 1_000_000 } }, { revenue: 950_000 }, 'annualRevenue');
      expect(r.message.zh).to.equal('年营业收入需不低于100万元，您为95万元');
      expect(r.hint!.zh).to.equal('年营业收入还差5万元即可达到要求');
    });
  });

  describe('sizes, taxRatings, maxOverdueCount', () => {
    it('pass listed values and fail others; overdue count is inclusive', () => {
      expect(statusOf({ sizes: ['micro', 'small'] }, { size: 'small' }, 'sizes')).to.equal('pass');
      expect(statusOf({ sizes: ['micro', 'small'] }, { size: 'medium' }, 'sizes')).to.equal('fail');
      expect(statusOf({ sizes: ['micro'] }, { size: undefined }, 'sizes')).to.equal('unknown');
      expect(statusOf({ taxRatings: ['A', 'B'] }, { taxRating: 'B' }, 'taxRatings')).to.equal('pass');
      expect(statusOf({ taxRatings: ['A', 'B'] }, { taxRating: 'M' }, 'taxRatings')).to.equal('fail');
      expect(statusOf({ maxOverdueCount: 1 }, { overdueCount: 1 }, 'maxOverdueCount')).to.equal('pass');
      expect(statusOf({ maxOverdueCount: 1 }, { overdueCount: 2 }, 'maxOverdueCount')).to.equal('fail');
      expect(statusOf({ maxOverdueCount: 0 }, { overdueCount: 0 }, 'maxOverdueCount')).to.equal('pass');
    });
  });

  describe('collateralAnyOf, requiresGuarantee, firstLoanOnly', () => {
    it('needs any one listed collateral', () => {
      expect(statusOf({ collateralAnyOf: ['real_estate', 'equipment'] }, { collateral: ['equipment'] }, 'collateralAnyOf')).to.equal('pass');
      const r = reasonOf({ collateralAnyOf: ['real_estate'] }, { collateral: ['none'] }, 'collateralAnyOf');
      expect(r.status).to.equal('fail');
      expect(r.hint).to.not.equal(undefined);
      expect(statusOf({ collateralAnyOf: ['real_estate'] }, { collateral: undefined }, 'collateralAnyOf')).to.equal('unknown');
    });

    it('needs a guarantee when asked, and suggests the government guarantee fund', () => {
      expect(statusOf({ requiresGuarantee: true }, { guaranteeAvailable: true }, 'requiresGuarantee')).to.equal('pass');
      expect(reasonOf({ requiresGuarantee: true }, { guaranteeAvailable: false }, 'requiresGuarantee').hint!.zh).to.contain('政府性融资担保');
    });

    it('admits only first-time borrowers to first-loan-only products', () => {
      expect(statusOf({ firstLoanOnly: true }, { hasBankLoan: false }, 'firstLoanOnly')).to.equal('pass');
      expect(statusOf({ firstLoanOnly: true }, { hasBankLoan: true }, 'firstLoanOnly')).to.equal('fail');
      expect(statusOf({ firstLoanOnly: true }, { hasBankLoan: undefined }, 'firstLoanOnly')).to.equal('unknown');
    });
  });

  describe('certificationsAnyOf', () => {
    const tech: Criteria = { certificationsAnyOf: ['high_tech', 'tech_sme'] };
    it('passes a company holding one listed certification, fails one holding none of them, is unknown when not answered', () => {
      expect(statusOf(tech, { certifications: ['tech_sme', 'innovative'] }, 'certificationsAnyOf')).to.equal('pass');
      const fail = reasonOf(tech, { certifications: ['innovative'] }, 'certificationsAnyOf');
      expect(fail.status).to.equal('fail');
      expect(fail.message).to.deep.equal({ zh: '需为高新技术企业或科技型中小企业', en: 'Only for companies certified as High and New Technology Enterprise or Tech-based SME' });
      expect(fail.hint!.zh).to.match(/^取得高新技术企业或科技型中小企业认定后即可申请/);
      expect(statusOf(tech, { certifications: [] }, 'certificationsAnyOf')).to.equal('fail');
      const unknown = reasonOf(tech, { certifications: undefined }, 'certificationsAnyOf');
      expect(unknown.status).to.equal('unknown');
      expect(unknown.message.zh).to.equal('请说明企业是否为高新技术企业或科技型中小企业');
    });

    it('is no constraint when absent', () => {
      const r = explain(compileProduct(product({})), facts({ certifications: undefined }));
      expect(r.eligible).to.equal(true);
      expect(r.reasons.map((x) => x.criterion)).not.to.include('certificationsAnyOf');
    });
  });

  describe('taxRatings with the rating unknown', () => {
    it('reads "unknown" for a profile that says "unknown", as for one that leaves it out', () => {
      const f = toFacts({ taxRating: 'unknown' }, { amount: 500_000, termMonths: 12 }, '2026-11-21');
      expect(f.taxRating).to.equal(undefined);
      expect(statusOf({ taxRatings: ['A', 'B'] }, { taxRating: f.taxRating }, 'taxRatings')).to.equal('unknown');
    });
  });

  describe('amount and term against the product ranges (inclusive)', () => {
    it('passes at both ends and fails just outside', () => {
      expect(statusOf({}, { amount: 100_000 }, 'amount')).to.equal('pass');
      expect(statusOf({}, { amount: 2_000_000 }, 'amount')).to.equal('pass');
      expect(statusOf({}, { amount: 99_999 }, 'amount')).to.equal('fail');
      expect(statusOf({}, { termMonths: 6 }, 'termMonths')).to.equal('pass');
      expect(statusOf({}, { termMonths: 36 }, 'termMonths')).to.equal('pass');
      expect(statusOf({}, { termMonths: 37 }, 'termMonths')).to.equal('fail');
    });

    it('hints the maximum when the amount is above it', () => {
      const r = reasonOf({}, { amount: 4_000_000 }, 'amount');
      expect(r.message.zh).to.equal('申请金额超过本产品最高额度200万元');
      expect(r.hint).to.deep.equal({ zh: '可将申请金额调整为不超过200万元', en: 'Try up to CNY 2,000,000' });
    });
  });

  describe('ranking and score', () => {
    const products: MatchProduct[] = [
      product({ minYearsInOperation: 10 }, { id: 1, name: '失败' }),
      product({ taxRatings: ['A'] }, { id: 2, name: '未知' }),
      product({}, { id: 3, name: '合格高价', rate: { min: 5.5, max: 6 } }),
      product({}, { id: 4, name: '合格低价', rate: { min: 3.1, max: 4 }, approvalDays: 1 }),
    ];

    it('puts eligible first, then unknown-only, then failures; each by score', () => {
      const results = new Matcher(products).match(facts({ taxRating: undefined }));
      expect(results.map((r) => r.product.name)).to.deep.equal(['合格低价', '合格高价', '未知', '失败']);
      expect(results.map((r) => r.eligible)).to.deep.equal([true, true, false, false]);
      expect(results[0]!.score).to.be.greaterThan(results[1]!.score);
      for (const r of results) expect(r.score).to.be.within(0, 100);
    });

    it('scores a first-loan-friendly product higher for a first-time borrower, not for others', () => {
      const friendly = compileProduct(product({}, { firstLoanFriendly: true }));
      const plain = compileProduct(product({}));
      const first = facts({ hasBankLoan: false });
      const repeat = facts({ hasBankLoan: true });
      expect(explain(friendly, first).score).to.be.greaterThan(explain(plain, first).score);
      expect(explain(friendly, repeat).score).to.equal(explain(plain, repeat).score);
    });

    it('scores an amount far above the maximum lower than one just above', () => {
      const c = compileProduct(product({}));
      expect(explain(c, facts({ amount: 2_200_000 })).score).to.be.greaterThan(explain(c, facts({ amount: 8_000_000 })).score);
    });

    it('matcher › when a product is ineligible › its score stays below every eligible score, however well it would fit', () => {
      expect(ELIGIBLE_FLOOR).to.equal(45);
      const near = explain(compileProduct(product({ taxRatings: ['A'] }, { rate: { min: 3.0, max: 3.5 }, approvalDays: 1, firstLoanFriendly: true })), facts({ taxRating: 'B' }));
      const poor = explain(compileProduct(product({}, { rate: { min: 6, max: 8 }, approvalDays: 15 })), facts({ hasBankLoan: true }));
      expect(near.eligible).to.equal(false);
      expect(poor.eligible).to.equal(true);
      expect(near.score).to.be.below(poor.score);
      const matcher = new Matcher(seededMatchProducts());
      const next = rng(3);
      for (let i = 0; i < 300; i++) {
        const { company, need } = randomProfile(next);
        const results = matcher.match(toFacts(company, need, '2026-11-20'));
        const lowestEligible = Math.min(101, ...results.filter((r) => r.eligible).map((r) => r.score));
        const highestOther = Math.max(-1, ...results.filter((r) => !r.eligible).map((r) => r.score));
        expect(highestOther).to.be.below(lowestEligible);
        expect(lowestEligible === 101 || lowestEligible >= ELIGIBLE_FLOOR).to.equal(true);
      }
    });

    it('collects the hints of near misses', () => {
      const [r] = new Matcher([product({ minYearsInOperation: 2 })]).match(facts({ monthsInOperation: 20, amount: 3_000_000 }));
      expect(r!.hints.map((h) => h.zh)).to.deep.equal(['再经营4个月即可申请本产品', '可将申请金额调整为不超过200万元']);
    });
  });

  describe('toFacts', () => {
    it('derives size and months in operation, leaving what is missing undefined', () => {
      const f = toFacts({ industry: 'C33', employees: 45, annualRevenue: 18_000_000, establishedOn: '2019-05-10' }, { amount: 1, termMonths: 1 }, '2026-11-21');
      expect(f.size).to.equal('small');
      expect(f.monthsInOperation).to.equal(90);
      expect(f.taxRating).to.equal(undefined);
      const construction = toFacts({ industry: 'E48', employees: 45, annualRevenue: 18_000_000 }, { amount: 1, termMonths: 1 }, '2026-11-21');
      expect(construction.size, 'construction needs total assets').to.equal(undefined);
    });
  });
});
