import type { CompanyProfile } from '../../matchers/facts';
import type { CollateralKind, TaxRating } from '../domain/catalogue';
import { usccCheckChar } from '../domain/uscc';
import type { Random } from './random';

/** Zhaoqing's districts and counties, weighted by how many small companies each has. */
export const demoDistricts: [code: string, weight: number][] = [
  ['441202', 24], ['441203', 9], ['441204', 20], ['441284', 18], ['441223', 6], ['441224', 8], ['441225', 4], ['441226', 5],
];

/** Industries of the city's small companies, with what their names say and how big they tend to be. */
const industries: [code: string, word: string, weight: number, employees: number, revenue: number][] = [
  ['C33', '五金制品', 14, 40, 12_000_000], ['C34', '机械设备', 8, 60, 20_000_000], ['C38', '电器', 7, 70, 25_000_000],
  ['C39', '电子科技', 6, 80, 30_000_000], ['C29', '塑料制品', 6, 35, 10_000_000], ['C13', '农产品加工', 7, 25, 8_000_000],
  ['C14', '食品', 6, 30, 9_000_000], ['C24', '玉器工艺', 6, 12, 3_000_000], ['A01', '农业发展', 8, 15, 2_500_000],
  ['A03', '生态养殖', 5, 12, 3_000_000], ['F51', '贸易', 9, 10, 15_000_000], ['F52', '商行', 8, 6, 2_000_000],
  ['H62', '餐饮管理', 5, 18, 2_500_000], ['E48', '建筑工程', 4, 50, 30_000_000], ['I65', '信息技术', 3, 20, 6_000_000],
  ['G54', '物流运输', 4, 25, 8_000_000],
];

const firstChars = '鑫华盛泰宏兴源丰利恒祥信瑞昌隆裕茂嘉诚达富德和顺星宝汇通益金新永';
const surnames = '陈李黄梁林张王吴何罗刘冯邓谢麦叶苏莫区冼';
const givenChars = '伟强明华军建国志文杰斌敏丽娟芳燕婷海涛辉俊峰玲霞雄锋';
const purposes = ['流动资金周转', '采购原材料', '购置生产设备', '支付货款', '扩大经营', '厂房装修', '季节性备货'];

export function companyName(r: Random, districtName: string, industryWord: string): string {
  return `肇庆市${districtName}${r.pick([...firstChars])}${r.pick([...firstChars])}${industryWord}有限公司`;
}

export function personName(r: Random): string {
  return r.pick([...surnames]) + r.pick([...givenChars]) + (r.chance(0.7) ? r.pick([...givenChars]) : '');
}

export function mobile(r: Random): string {
  return `1${r.pick(['3', '5', '8', '9'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`;
}

export const purpose = (r: Random) => r.pick(purposes);

/** A well-formed USCC for a company registered in `district`; `serial` makes it unique within a run. */
export function uscc(district: string, salt: string, serial: number): string {
  const first17 = `91${district}${salt}${String(serial).padStart(6, '0')}`;
  return first17 + usccCheckChar(first17);
}

const round = (n: number, step: number) => Math.max(step, Math.round(n / step) * step);

/** A plausible small company of the city, as an applicant would declare it. */
export function demoCompany(r: Random, o: { uscc: string; district: string; districtName: string; today: Date }): CompanyProfile {
  const [industry, word, , employees, revenue] = r.weighted(industries.map((i) => [i, i[2]] as const));
  const scale = r.logNormal(1, 0.8);
  const age = r.weighted([[1, 12], [2, 14], [4, 20], [8, 25], [15, 15]] as const) * r.logNormal(1, 0.3);
  const established = new Date(o.today.getTime() - Math.round(age * 365) * 86_400_000);
  const hasBankLoan = r.chance(0.45);
  const collateral: CollateralKind[] = [];
  if (r.chance(0.35)) collateral.push('real_estate');
  if (r.chance(0.15)) collateral.push('equipment');
  if (r.chance(0.1)) collateral.push('receivables');
  return {
    uscc: o.uscc,
    name: companyName(r, o.districtName, word),
    district: o.district,
    industry,
    establishedOn: established.toISOString().slice(0, 10),
    employees: Math.max(2, Math.round(employees * scale)),
    annualRevenue: round(revenue * scale * r.logNormal(1, 0.3), 10_000),
    totalAssets: round(revenue * scale * 0.8, 10_000),
    taxRating: r.weighted<TaxRating>([['A', 25], ['B', 40], ['M', 20], ['C', 10], ['D', 5]]),
    hasBankLoan,
    overdueCount: r.chance(0.9) ? 0 : r.int(1, 3),
    collateral,
    guaranteeAvailable: r.chance(0.3),
  };
}
