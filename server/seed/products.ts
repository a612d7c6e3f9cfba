import type { Criteria } from '../../matchers/criteria';
import type { ProductFields } from '../../models/products';
import type { GuaranteeType, ProductType, RepaymentMethod } from '../domain/catalogue';
import type { SeedBank } from './banks';

/** A product line as banks in Zhaoqing offer it; banks' own products are variations of these. */
interface Template {
  type: ProductType;
  amount: [number, number];
  term: [number, number];
  /** Annual rate range in basis points, around the 2025 one-year LPR of 300 bp. */
  rateBp: [number, number];
  days: number;
  guarantee: GuaranteeType[];
  repay: RepaymentMethod[];
  firstLoanFriendly: boolean;
  criteria: Criteria;
  materials: string[];
  description: string;
}

const baseMaterials = ['营业执照', '法定代表人身份证', '近一年财务报表'];

/**
 * Rates sit around the one-year LPR of 3.00% (from 2025-05-20), as Zhaoqing's banks price inclusive SME
 * loans: secured and tax-based loans from about LPR + 30 bp, unsecured ones higher; the bank's kind then
 * shades them (kindRateBp). Every template's criteria say what its name promises.
 */
const templates: Record<string, Template> = {
  credit: {
    type: 'credit', amount: [100_000, 3_000_000], term: [6, 36], rateBp: [350, 580], days: 3,
    guarantee: ['credit'], repay: ['interest_first', 'revolving'], firstLoanFriendly: false,
    criteria: { minYearsInOperation: 2, taxRatings: ['A', 'B', 'M'], maxOverdueCount: 2, sizes: ['micro', 'small', 'medium'] },
    materials: [...baseMaterials, '近12个月银行流水'],
    description: '纯信用、免抵押的小微企业经营贷款，线上申请，额度循环使用，随借随还。',
  },
  tax: {
    type: 'tax', amount: [100_000, 3_000_000], term: [12, 36], rateBp: [330, 480], days: 1,
    guarantee: ['credit'], repay: ['interest_first', 'equal_installment', 'revolving'], firstLoanFriendly: true,
    criteria: { minYearsInOperation: 2, taxRatings: ['A', 'B'], maxOverdueCount: 1, annualRevenue: { min: 1_000_000 } },
    materials: [...baseMaterials, '税务授权（银税互动）'],
    description: '银税互动产品：依据企业纳税信用等级和纳税额核定额度，无需抵押，线上秒批。',
  },
  mortgage: {
    type: 'mortgage', amount: [500_000, 20_000_000], term: [12, 120], rateBp: [330, 460], days: 7,
    guarantee: ['mortgage'], repay: ['interest_first', 'equal_installment', 'equal_principal'], firstLoanFriendly: false,
    criteria: { minYearsInOperation: 1, collateralAnyOf: ['real_estate'], maxOverdueCount: 3 },
    materials: [...baseMaterials, '不动产权证书', '抵押物评估报告'],
    description: '以企业或企业主名下房产、厂房抵押，额度高、期限长，适合扩大经营和设备更新。',
  },
  guarantee: {
    type: 'guarantee', amount: [100_000, 10_000_000], term: [12, 36], rateBp: [340, 480], days: 7,
    guarantee: ['guarantee'], repay: ['interest_first', 'equal_installment'], firstLoanFriendly: true,
    criteria: { requiresGuarantee: true, minYearsInOperation: 1, maxOverdueCount: 2 },
    materials: [...baseMaterials, '担保机构担保意向书'],
    description: '与肇庆市融资担保机构合作，由政府性融资担保提供增信，担保费享受财政补贴。',
  },
  procurement: {
    type: 'procurement', amount: [100_000, 10_000_000], term: [3, 12], rateBp: [340, 480], days: 3,
    guarantee: ['credit', 'pledge'], repay: ['bullet', 'interest_first'], firstLoanFriendly: true,
    criteria: { collateralAnyOf: ['receivables'], minYearsInOperation: 1, taxRatings: ['A', 'B', 'M'] },
    materials: [...baseMaterials, '政府采购中标（成交）通知书', '政府采购合同'],
    description: '政采贷：凭政府采购合同即可申请，以合同回款作为还款来源，无需抵押。',
  },
  ip_pledge: {
    type: 'ip_pledge', amount: [500_000, 30_000_000], term: [12, 36], rateBp: [340, 460], days: 10,
    guarantee: ['pledge'], repay: ['interest_first', 'equal_installment'], firstLoanFriendly: false,
    criteria: { collateralAnyOf: ['ip'], industriesInclude: ['C', 'I', 'M'], minYearsInOperation: 1 },
    materials: [...baseMaterials, '专利证书或商标注册证', '知识产权评估报告'],
    description: '以发明专利、实用新型、商标等知识产权质押融资，享受知识产权质押贴息政策。',
  },
  supply_chain: {
    type: 'supply_chain', amount: [100_000, 50_000_000], term: [3, 12], rateBp: [330, 450], days: 3,
    guarantee: ['pledge', 'credit'], repay: ['bullet', 'revolving'], firstLoanFriendly: false,
    criteria: { collateralAnyOf: ['receivables'], minYearsInOperation: 1, maxOverdueCount: 2 },
    materials: [...baseMaterials, '购销合同', '应收账款确认材料'],
    description: '依托核心企业信用，为上下游企业提供应收账款融资，确权后线上放款。',
  },
  tech: {
    type: 'tech', amount: [1_000_000, 30_000_000], term: [12, 36], rateBp: [320, 450], days: 7,
    guarantee: ['credit', 'pledge', 'guarantee'], repay: ['interest_first', 'equal_installment'], firstLoanFriendly: true,
    criteria: { certificationsAnyOf: ['high_tech', 'tech_sme', 'specialized', 'little_giant'], industriesInclude: ['C', 'I', 'M'], minYearsInOperation: 1, sizes: ['micro', 'small', 'medium'] },
    materials: [...baseMaterials, '高新技术企业、科技型中小企业或专精特新企业认定证书'],
    description: '面向科技型中小企业、高新技术企业和专精特新企业，按研发投入与知识产权情况核定信用额度。',
  },
  first_loan: {
    type: 'first_loan', amount: [100_000, 5_000_000], term: [6, 36], rateBp: [320, 450], days: 3,
    guarantee: ['credit', 'guarantee'], repay: ['interest_first', 'equal_installment'], firstLoanFriendly: true,
    criteria: { firstLoanOnly: true, minYearsInOperation: 1, maxOverdueCount: 0, sizes: ['micro', 'small'] },
    materials: [...baseMaterials, '企业征信授权书'],
    description: '首贷户专享：从未在银行取得过贷款的小微企业，享受优惠利率与绿色审批通道，银行自行核实纳税情况。',
  },
  industry: {
    type: 'credit', amount: [300_000, 8_000_000], term: [6, 36], rateBp: [340, 520], days: 5,
    guarantee: ['credit', 'guarantee'], repay: ['interest_first', 'revolving'], firstLoanFriendly: true,
    criteria: { minYearsInOperation: 1, maxOverdueCount: 1, sizes: ['micro', 'small', 'medium'] },
    materials: [...baseMaterials, '近12个月银行流水', '主要购销合同'],
    description: '服务本地特色产业集群，按经营流水和上下游交易核定额度，可追加担保提高额度。',
  },
  agri: {
    type: 'credit', amount: [50_000, 5_000_000], term: [6, 36], rateBp: [330, 520], days: 5,
    guarantee: ['credit', 'guarantee'], repay: ['interest_first', 'bullet'], firstLoanFriendly: true,
    criteria: { industriesInclude: ['A', 'C13', 'C14', 'F51'], maxOverdueCount: 2 },
    materials: [...baseMaterials, '土地承包或流转合同（如有）'],
    description: '服务乡村振兴，支持种养殖、农产品加工和农产品流通企业，用途灵活。',
  },
  policy_agri: {
    type: 'guarantee', amount: [5_000_000, 200_000_000], term: [12, 96], rateBp: [300, 400], days: 15,
    guarantee: ['guarantee', 'mortgage'], repay: ['equal_principal', 'interest_first'], firstLoanFriendly: false,
    criteria: { industriesInclude: ['A', 'C13', 'C14', 'F51'], sizes: ['medium', 'large'], minYearsInOperation: 3, maxOverdueCount: 0 },
    materials: [...baseMaterials, '项目可行性研究报告', '项目批复文件'],
    description: '政策性中长期贷款，支持农业产业化、粮食收储和农村基础设施项目。',
  },
};

/** A product line: its name, its template, and criteria of its own (which win over the template's and the bank's home). */
type Line = [name: string, template: keyof typeof templates, criteria?: Criteria];

/** Each bank's product names (132 in all), in the bank's own naming. */
export const productLines: Record<string, Line[]> = {
  ICBC: [['经营快贷', 'credit'], ['税务贷', 'tax'], ['e抵快贷', 'mortgage'], ['科创贷', 'tech'], ['政采贷', 'procurement'], ['知识产权质押贷', 'ip_pledge'], ['数字供应链融资', 'supply_chain'], ['首贷户专享贷', 'first_loan']],
  ABC: [['纳税e贷', 'tax'], ['微捷贷', 'credit'], ['抵押e贷', 'mortgage'], ['链捷贷', 'supply_chain'], ['科技e贷', 'tech'], ['政采e贷', 'procurement'], ['首户e贷', 'first_loan'], ['惠农e贷', 'agri']],
  BOC: [['中银企E贷·信用贷', 'credit'], ['中银企E贷·银税贷', 'tax'], ['中银企E贷·抵押贷', 'mortgage'], ['中银科创贷', 'tech'], ['中银政采贷', 'procurement'], ['知识产权质押融资', 'ip_pledge'], ['中银e链', 'supply_chain'], ['中银首贷通', 'first_loan']],
  CCB: [['信用快贷', 'credit'], ['云税贷', 'tax'], ['抵押快贷', 'mortgage'], ['善新贷', 'tech'], ['政采云贷', 'procurement'], ['知识产权质押贷', 'ip_pledge'], ['e信通', 'supply_chain'], ['首贷易', 'first_loan']],
  BOCOM: [['普惠e贷', 'credit'], ['线上税融通', 'tax'], ['优贷通', 'mortgage'], ['科创快贷', 'tech'], ['政采贷', 'procurement'], ['知识产权质押贷', 'ip_pledge'], ['交银e链', 'supply_chain'], ['首贷快', 'first_loan']],
  PSBC: [['极速贷', 'credit'], ['小微易贷', 'tax'], ['小企业房产抵押贷', 'mortgage'], ['科创e贷', 'tech'], ['政采贷', 'procurement'], ['产业链贷', 'supply_chain'], ['首贷通', 'first_loan'], ['助农贷', 'agri']],
  ADBC: [['农业产业化龙头企业贷款', 'policy_agri'], ['粮棉油收储贷款', 'policy_agri', { industriesInclude: ['A01', 'F51'] }], ['农村流通体系建设贷款', 'policy_agri', { industriesInclude: ['F51', 'G59'] }]],
  CMB: [['闪电贷', 'credit'], ['招税贷', 'tax'], ['生意贷', 'mortgage'], ['科创贷', 'tech'], ['供应链融资', 'supply_chain']],
  CIB: [['快易贷', 'credit'], ['兴e税贷', 'tax'], ['兴速贷', 'mortgage'], ['科创贷', 'tech'], ['兴业首贷', 'first_loan']],
  SPDB: [['浦慧贷', 'credit'], ['浦慧税贷', 'tax'], ['房抵快贷', 'mortgage'], ['科技含权贷', 'tech'], ['政采e贷', 'procurement']],
  CITIC: [['信秒贷', 'credit'], ['税金贷', 'tax'], ['房抵贷', 'mortgage'], ['信e链', 'supply_chain'], ['科创e贷', 'tech']],
  CEB: [['阳光快贷', 'credit'], ['阳光e税贷', 'tax'], ['阳光e抵贷', 'mortgage'], ['科创易贷', 'tech'], ['阳光e链', 'supply_chain']],
  CMBC: [['民生惠', 'credit'], ['纳税贷', 'tax'], ['云快贷', 'mortgage'], ['科创金融贷', 'tech'], ['政采贷', 'procurement']],
  PAB: [['数字贷', 'credit'], ['税金贷', 'tax'], ['房抵经营贷', 'mortgage'], ['科创贷', 'tech'], ['平安好链', 'supply_chain']],
  CGB: [['E秒贷', 'credit'], ['税银通', 'tax'], ['房抵贷', 'mortgage'], ['科技贷', 'tech'], ['政采贷', 'procurement']],
  GZCB: [['税银贷', 'tax'], ['房抵贷', 'mortgage'], ['科创贷', 'tech'], ['小微首贷', 'first_loan']],
  GHB: [['华兴税贷', 'tax'], ['华兴抵押贷', 'mortgage'], ['华兴链融', 'supply_chain'], ['华兴首贷', 'first_loan']],
  NYB: [['南粤税易贷', 'tax'], ['南粤抵押贷', 'mortgage'], ['南粤政采贷', 'procurement'], ['南粤科创贷', 'tech']],
  DGB: [['莞银税贷', 'tax'], ['房抵贷', 'mortgage'], ['知识产权质押贷', 'ip_pledge'], ['首贷通', 'first_loan']],
  CRB: [['润税贷', 'tax'], ['润抵贷', 'mortgage'], ['润链贷', 'supply_chain'], ['润创贷', 'tech']],
  ZQRCB: [['税易贷', 'tax'], ['商e贷', 'credit'], ['房抵贷', 'mortgage'], ['政银担保贷', 'guarantee'], ['首贷易', 'first_loan']],
  GYRCB: [['五金产业贷', 'industry', { industriesInclude: ['C33', 'C34'] }], ['税信贷', 'tax'], ['助农贷', 'agri'], ['政银担保贷', 'guarantee']],
  SHRCB: [['玉器商户贷', 'industry', { industriesInclude: ['C243', 'F5146', 'F5245'], districts: ['441284', '441223'] }], ['税易贷', 'tax'], ['房抵贷', 'mortgage'], ['首贷通', 'first_loan']],
  HJRCB: [['助农贷', 'agri'], ['税易贷', 'tax'], ['政银担保贷', 'guarantee'], ['房抵贷', 'mortgage']],
  DQRCB: [['贡柑贷', 'agri', { industriesInclude: ['A01', 'C13', 'F51'] }], ['税易贷', 'tax'], ['政银担保贷', 'guarantee'], ['首贷通', 'first_loan']],
};

/** Rate offset by bank kind in basis points: larger banks price lower. */
const kindRateBp: Record<string, number> = { state_owned: -10, policy: 0, joint_stock: 15, city_commercial: 25, rural_commercial: 35, village: 45, foreign: 20 };

const round = (n: number, step: number) => Math.max(step, Math.round(n / step) * step);

/** Products of one bank: the templates, shaded by the bank's kind and reach, with a little variety. */
export function seedProductsOf(bank: SeedBank, bankIndex: number): (ProductFields & { code: string })[] {
  const lines = productLines[bank.code] ?? [];
  return lines.map(([name, key, extra], i) => {
    const t = templates[key]!;
    const jitter = (bankIndex * 7 + i * 3) % 5; // 0..4, stable
    const small = bank.kind === 'rural_commercial' || bank.kind === 'city_commercial';
    const amountMax = small ? round(t.amount[1] * 0.5, 10_000) : t.amount[1];
    const rateMin = t.rateBp[0] + kindRateBp[bank.kind]! + jitter * 5;
    const rateMax = t.rateBp[1] + kindRateBp[bank.kind]! + jitter * 5;
    const criteria: Criteria = { ...t.criteria, ...(bank.home ? { districts: bank.home } : {}), ...extra };
    return {
      code: `${bank.code}-${String(i + 1).padStart(2, '0')}`,
      name,
      type: t.type,
      amount: { min: t.amount[0], max: Math.max(amountMax, t.amount[0]) },
      termMonths: { min: t.term[0], max: t.term[1] },
      rate: { min: rateMin / 100, max: rateMax / 100 },
      repaymentMethods: t.repay,
      guaranteeTypes: t.guarantee,
      approvalDays: Math.max(1, t.days + (jitter % 3) - 1),
      firstLoanFriendly: t.firstLoanFriendly,
      criteria,
      description: `${bank.shortName}「${name}」：${t.description}`,
      materials: t.materials,
    };
  });
}
