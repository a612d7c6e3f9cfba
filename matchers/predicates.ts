/**
 * Criteria → predicates, and the one statement of their boundaries. Every bound is INCLUSIVE:
 *
 * | criterion            | passes when                                                               |
 * | -------------------- | ------------------------------------------------------------------------- |
 * | districts            | the company's district is in the list                                      |
 * | industriesInclude    | the company's GB/T 4754 code starts with one listed code (C includes C33)  |
 * | industriesExclude    | the company's code starts with none of the listed codes                    |
 * | minYearsInOperation  | whole months since establishment ≥ years × 12 (2 years: from the 24th month) |
 * | annualRevenue        | min ≤ revenue ≤ max (either bound may be absent)                            |
 * | employees            | min ≤ employees ≤ max                                                       |
 * | sizes                | the MIIT size class (server/domain/company-size.ts) is listed               |
 * | taxRatings           | the tax credit rating is listed                                            |
 * | maxOverdueCount      | overdue count in the last 24 months ≤ max                                  |
 * | collateralAnyOf      | the company offers at least one listed kind of collateral                  |
 * | requiresGuarantee    | (when true) the company can provide a guarantee                            |
 * | firstLoanOnly        | (when true) the company has never had a bank loan                          |
 * | certificationsAnyOf  | the company holds at least one listed certification (none given: unknown)  |
 * | amount               | product amount.min ≤ requested amount ≤ product amount.max                 |
 * | termMonths           | product termMonths.min ≤ requested term ≤ product termMonths.max           |
 *
 * A criterion whose fact the profile lacks is "unknown": the product is then not eligible, but it
 * ranks above products that fail. Absent criteria are no constraint and produce no reason.
 */
import type { Criteria } from './criteria';
import type { Facts } from './facts';
import { Interner } from './interner';
import { duration, money, msg, names, rangeText, years, type Msg } from './text';
import tuning from './tuning.json' with { type: 'json' };

export type CriterionName = keyof Criteria | 'amount' | 'termMonths';
export type Status = 'pass' | 'fail' | 'unknown';

export interface Reason {
  criterion: CriterionName;
  status: Status;
  message: Msg;
  hint?: Msg;
}

export interface Predicate {
  /** Index in the interner: identical criteria of different products share one predicate. */
  id: number;
  criterion: CriterionName;
  /** true: pass; false: fail; undefined: the profile lacks the fact. */
  test(f: Facts): boolean | undefined;
  /** Built once when compiling: a pass never depends on more than the product. */
  pass: Reason;
  unknown: Reason;
  fail(f: Facts): Reason;
}

/** Fail reasons are remembered per value of the fact they quote, up to this many per predicate. */
const FAIL_CACHE_SIZE = 256;

/** The product terms a predicate may quote. */
export interface ProductTerms {
  amount: { min: number; max: number };
  termMonths: { min: number; max: number };
}

const near = tuning.near;

/**
 * A predicate. `failKey` names what the fail message depends on (the fact's value); reasons are then
 * built once per value and shared, frozen. Without it every failure builds its own reason.
 */
function predicate(criterion: CriterionName, test: Predicate['test'], pass: Msg, unknown: Msg, fail: (f: Facts) => { message: Msg; hint?: Msg }, failKey?: (f: Facts) => string | number): Omit<Predicate, 'id'> {
  const build = (f: Facts): Reason => {
    const { message, hint } = fail(f);
    return Object.freeze({ criterion, status: 'fail' as const, message: Object.freeze(message), ...(hint ? { hint: Object.freeze(hint) } : {}) });
  };
  const cache = new Map<string | number, Reason>();
  return {
    criterion,
    test,
    pass: Object.freeze({ criterion, status: 'pass', message: Object.freeze(pass) }),
    unknown: Object.freeze({ criterion, status: 'unknown', message: Object.freeze(unknown) }),
    fail: failKey ? (f) => {
      const key = failKey(f);
      let reason = cache.get(key);
      if (!reason) {
        reason = build(f);
        if (cache.size < FAIL_CACHE_SIZE) cache.set(key, reason);
      }
      return reason;
    } : build,
  };
}

const startsWithAny = (code: string, prefixes: readonly string[]) => prefixes.some((p) => code.startsWith(p));

function inRange(value: number, r: { min?: number; max?: number }): boolean {
  return (r.min === undefined || value >= r.min) && (r.max === undefined || value <= r.max);
}

/** Compiles a product's criteria (plus its amount and term ranges) into a flat list of predicates. */
export function compileCriteria(c: Criteria, terms: ProductTerms, interner: Interner = new Interner()): Predicate[] {
  const out: Predicate[] = [];
  const add = (criterion: CriterionName, params: unknown, make: () => Omit<Predicate, 'id'>) => out.push(interner.intern(criterion, params, make));

  if (c.districts?.length) {
    const list = c.districts;
    const where = names('district', list);
    add('districts', list, () => predicate('districts', (f) => (f.district === undefined ? undefined : list.includes(f.district)),
      msg(`服务区域：${where.zh}`, `Serves ${where.en}`),
      msg('请填写企业所在区县', 'Tell us the district of your company'),
      (f) => ({ message: msg(`仅服务${where.zh}，您的企业在${names('district', [f.district!]).zh}`, `Serves only ${where.en}; your company is in ${names('district', [f.district!]).en}`) }),
      (f) => f.district!));
  }

  if (c.industriesInclude?.length) {
    const list = c.industriesInclude;
    add('industriesInclude', list, () => predicate('industriesInclude', (f) => (f.industry === undefined ? undefined : startsWithAny(f.industry, list)),
      msg(`行业符合（${list.join('、')}）`, `Industry fits (${list.join(', ')})`),
      msg('请填写所属行业（国民经济行业分类代码）', 'Tell us your industry (GB/T 4754 code)'),
      (f) => ({ message: msg(`仅面向行业 ${list.join('、')}，您的行业为 ${f.industry}`, `Only for industries ${list.join(', ')}; yours is ${f.industry}`) }),
      (f) => f.industry!));
  }

  if (c.industriesExclude?.length) {
    const list = c.industriesExclude;
    add('industriesExclude', list, () => predicate('industriesExclude', (f) => (f.industry === undefined ? undefined : !startsWithAny(f.industry, list)),
      msg(`行业不在限制范围（${list.join('、')}）内`, `Industry is not excluded (${list.join(', ')})`),
      msg('请填写所属行业（国民经济行业分类代码）', 'Tell us your industry (GB/T 4754 code)'),
      (f) => ({ message: msg(`本产品不支持行业 ${f.industry}`, `This product excludes industry ${f.industry}`) }),
      (f) => f.industry!));
  }

  if (c.minYearsInOperation !== undefined && c.minYearsInOperation > 0) {
    const needed = Math.round(c.minYearsInOperation * 12);
    const req = years(c.minYearsInOperation);
    add('minYearsInOperation', needed, () => predicate('minYearsInOperation', (f) => (f.monthsInOperation === undefined ? undefined : f.monthsInOperation >= needed),
      msg(`满足经营满${req.zh}的要求`, `Meets the ${req.en} in operation required`),
      msg('请填写企业成立日期', 'Tell us when the company was established'),
      (f) => {
        const have = duration(f.monthsInOperation!);
        const gap = needed - f.monthsInOperation!;
        const isNear = gap <= Math.max(near.operatingMinMonths, needed * near.operatingFraction);
        const wait = duration(gap);
        return {
          message: msg(`需经营满${req.zh}，您已经营${have.zh}`, `Needs ${req.en} in operation; yours is ${have.en}`),
          ...(isNear ? { hint: msg(`再经营${wait.zh}即可申请本产品`, `You can apply in ${wait.en}`) } : {}),
        };
      },
      (f) => f.monthsInOperation!));
  }

  if (c.annualRevenue && (c.annualRevenue.min !== undefined || c.annualRevenue.max !== undefined)) {
    const r = c.annualRevenue;
    const bounds = rangeText(r, money);
    add('annualRevenue', r, () => predicate('annualRevenue', (f) => (f.revenue === undefined ? undefined : inRange(f.revenue, r)),
      msg(`年营业收入符合要求（${bounds.zh}）`, `Annual revenue fits (${bounds.en})`),
      msg('请填写上一年度营业收入', 'Tell us last year\'s revenue'),
      (f) => {
        const have = money(f.revenue!);
        if (r.min !== undefined && f.revenue! < r.min) {
          const short = money(r.min - f.revenue!);
          const isNear = r.min - f.revenue! <= r.min * near.revenueFraction;
          return {
            message: msg(`年营业收入需不低于${money(r.min).zh}，您为${have.zh}`, `Needs annual revenue of at least ${money(r.min).en}; yours is ${have.en}`),
            ...(isNear ? { hint: msg(`年营业收入还差${short.zh}即可达到要求`, `Revenue is ${short.en} short of the minimum`) } : {}),
          };
        }
        return { message: msg(`年营业收入需不高于${money(r.max!).zh}，您为${have.zh}`, `Needs annual revenue of at most ${money(r.max!).en}; yours is ${have.en}`) };
      }));
  }

  if (c.employees && (c.employees.min !== undefined || c.employees.max !== undefined)) {
    const r = c.employees;
    const people = (n: number) => msg(`${n}人`, `${n} employees`);
    const bounds = rangeText(r, people);
    add('employees', r, () => predicate('employees', (f) => (f.employees === undefined ? undefined : inRange(f.employees, r)),
      msg(`从业人数符合要求（${bounds.zh}）`, `Headcount fits (${bounds.en})`),
      msg('请填写从业人数', 'Tell us how many people you employ'),
      (f) => {
        const low = r.min !== undefined && f.employees! < r.min;
        const gap = low ? r.min! - f.employees! : 0;
        const isNear = low && gap <= r.min! * near.employeesFraction;
        return {
          message: msg(`从业人数需在${bounds.zh}，您为${f.employees}人`, `Needs ${bounds.en}; you have ${f.employees}`),
          ...(isNear ? { hint: msg(`从业人数还差${gap}人`, `${gap} more employees would qualify`) } : {}),
        };
      },
      (f) => f.employees!));
  }

  if (c.sizes?.length) {
    const list = c.sizes;
    const allowed = names('size', list);
    add('sizes', list, () => predicate('sizes', (f) => (f.size === undefined ? undefined : list.includes(f.size)),
      msg(`面向${allowed.zh}企业`, `For ${allowed.en} companies`),
      msg('请填写行业、从业人数、营业收入（部分行业还需资产总额）以判断企业规模', 'Tell us your industry, headcount and revenue (and total assets for some industries) to tell your company size'),
      (f) => ({ message: msg(`仅面向${allowed.zh}企业，您的企业为${names('size', [f.size!]).zh}`, `Only for ${allowed.en} companies; yours is ${names('size', [f.size!]).en}`) }),
      (f) => f.size!));
  }

  if (c.taxRatings?.length) {
    const list = c.taxRatings;
    add('taxRatings', list, () => predicate('taxRatings', (f) => (f.taxRating === undefined ? undefined : list.includes(f.taxRating)),
      msg(`纳税信用等级符合（${list.join('/')}级）`, `Tax credit rating fits (${list.join('/')})`),
      msg('请填写纳税信用等级（不清楚可在电子税务局“纳税信用”中查询，银行也会核实）', 'Tell us your tax credit rating (the e-tax bureau shows it; the bank will check it too)'),
      (f) => ({ message: msg(`需纳税信用${list.join('/')}级，您为${f.taxRating}级`, `Needs tax credit rating ${list.join('/')}; yours is ${f.taxRating}`) }),
      (f) => f.taxRating!));
  }

  if (c.maxOverdueCount !== undefined) {
    const max = c.maxOverdueCount;
    const rule = max === 0 ? msg('近24个月无逾期', 'no overdue payments in 24 months') : msg(`近24个月逾期不超过${max}次`, `at most ${max} overdue payments in 24 months`);
    add('maxOverdueCount', max, () => predicate('maxOverdueCount', (f) => (f.overdueCount === undefined ? undefined : f.overdueCount <= max),
      msg(`信用记录符合（${rule.zh}）`, `Credit record fits (${rule.en})`),
      msg('请填写近24个月的逾期次数', 'Tell us how many overdue payments you had in 24 months'),
      (f) => ({ message: msg(`要求${rule.zh}，您有${f.overdueCount}次`, `Requires ${rule.en}; you had ${f.overdueCount}`) }),
      (f) => f.overdueCount!));
  }

  if (c.collateralAnyOf?.length) {
    const list = c.collateralAnyOf;
    const kinds = names('collateral', list);
    add('collateralAnyOf', list, () => predicate('collateralAnyOf', (f) => (f.collateral === undefined ? undefined : f.collateral.some((k) => list.includes(k))),
      msg(`可提供所需抵质押物（${kinds.zh}）`, `You offer the collateral needed (${kinds.en})`),
      msg('请选择可提供的抵质押物', 'Tell us what collateral you can offer'),
      () => ({
        message: msg(`需提供${kinds.zh}作为抵质押`, `Requires ${kinds.en} as collateral`),
        hint: msg(`如能提供${kinds.zh}，即可申请本产品；也可选择信用类产品`, `With ${kinds.en} you could apply; or consider an unsecured product`),
      }),
      () => 0));
  }

  if (c.requiresGuarantee) {
    add('requiresGuarantee', true, () => predicate('requiresGuarantee', (f) => (f.guaranteeAvailable === undefined ? undefined : f.guaranteeAvailable),
      msg('可提供担保', 'You can provide a guarantee'),
      msg('请说明能否提供担保', 'Tell us whether you can provide a guarantee'),
      () => ({
        message: msg('本产品需提供担保', 'This product requires a guarantee'),
        hint: msg('可向市政府性融资担保机构申请担保，担保费享受财政补贴', 'A government financing guarantee company can guarantee you, with a subsidised fee'),
      }),
      () => 0));
  }

  if (c.firstLoanOnly) {
    add('firstLoanOnly', true, () => predicate('firstLoanOnly', (f) => (f.hasBankLoan === undefined ? undefined : !f.hasBankLoan),
      msg('首贷户专享：您从未获得银行贷款', 'First-loan product: you have never had a bank loan'),
      msg('请说明是否曾获得银行贷款', 'Tell us whether you have ever had a bank loan'),
      () => ({ message: msg('仅限从未获得银行贷款的企业（首贷户）', 'Only for companies that never had a bank loan') }),
      () => 0));
  }

  if (c.certificationsAnyOf?.length) {
    const list = c.certificationsAnyOf;
    const held = names('certification', list, true);
    add('certificationsAnyOf', list, () => predicate('certificationsAnyOf', (f) => (f.certifications === undefined ? undefined : f.certifications.some((k) => list.includes(k))),
      msg(`具备所需资质（${held.zh}）`, `You hold a certification needed (${held.en})`),
      msg(`请说明企业是否为${held.zh}`, `Tell us whether your company is certified as ${held.en}`),
      () => ({
        message: msg(`需为${held.zh}`, `Only for companies certified as ${held.en}`),
        hint: msg(`取得${held.zh}认定后即可申请；可向区科技、工信部门咨询认定条件`, `Once certified as ${held.en} you can apply; the district science and industry offices explain how`),
      }),
      () => 0));
  }

  const a = terms.amount;
  const span = msg(`${money(a.min).zh}–${money(a.max).zh}`, `${money(a.min).en}–${money(a.max).en}`);
  add('amount', a, () => predicate('amount', (f) => f.amount >= a.min && f.amount <= a.max,
    msg(`申请金额在本产品额度（${span.zh}）内`, `The amount is within this product's range (${span.en})`),
    msg('请填写申请金额', 'Tell us how much you need'),
    (f) => (f.amount > a.max
      ? { message: msg(`申请金额超过本产品最高额度${money(a.max).zh}`, `The amount is above this product's maximum of ${money(a.max).en}`), hint: msg(`可将申请金额调整为不超过${money(a.max).zh}`, `Try up to ${money(a.max).en}`) }
      : { message: msg(`申请金额低于本产品最低额度${money(a.min).zh}`, `The amount is below this product's minimum of ${money(a.min).en}`), hint: msg(`本产品最低可申请${money(a.min).zh}`, `The minimum is ${money(a.min).en}`) }),
    (f) => (f.amount > a.max ? 1 : 0)));

  const t = terms.termMonths;
  const tSpan = msg(`${t.min}–${t.max}个月`, `${t.min}–${t.max} months`);
  add('termMonths', t, () => predicate('termMonths', (f) => f.termMonths >= t.min && f.termMonths <= t.max,
    msg(`期限在本产品范围（${tSpan.zh}）内`, `The term is within this product's range (${tSpan.en})`),
    msg('请填写贷款期限', 'Tell us the term you need'),
    (f) => ({
      message: msg(`期限${f.termMonths}个月不在本产品范围（${tSpan.zh}）内`, `A ${f.termMonths}-month term is outside this product's range (${tSpan.en})`),
      hint: msg(`可选择${tSpan.zh}的期限`, `Choose a term of ${tSpan.en}`),
    }),
    (f) => f.termMonths));

  return out;
}
