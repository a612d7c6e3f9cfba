import { certificationLabels } from '../../server/domain/catalogue';
import type { CityProfile } from '../../server/domain/cities';
import { currentLang } from './i18n';

type Labels = Record<string, { zh: string; en: string }>;

let city: CityProfile | null | undefined;

/**
 * The city the service runs for (GET /api/city), as the server embeds it in every page's head
 * (server/pages.ts); null on a page without it (then district codes show as themselves).
 */
export function currentCity(): CityProfile | null {
  if (city === undefined) {
    const block = typeof document === 'undefined' ? null : document.getElementById('rongma-city');
    city = block?.textContent ? (JSON.parse(block.textContent) as CityProfile) : null;
  }
  return city;
}

const groups: Record<string, Labels> = {
  type: {
    credit: { zh: '信用贷', en: 'Credit loan' },
    tax: { zh: '银税贷', en: 'Tax-based loan' },
    mortgage: { zh: '抵押贷', en: 'Mortgage loan' },
    guarantee: { zh: '担保贷', en: 'Guaranteed loan' },
    procurement: { zh: '政采贷', en: 'Procurement loan' },
    ip_pledge: { zh: '知识产权质押贷', en: 'IP-pledge loan' },
    supply_chain: { zh: '供应链金融', en: 'Supply-chain finance' },
    tech: { zh: '科技贷', en: 'Technology loan' },
    first_loan: { zh: '首贷', en: 'First loan' },
  },
  repay: {
    equal_installment: { zh: '等额本息', en: 'Equal instalments' },
    equal_principal: { zh: '等额本金', en: 'Equal principal' },
    interest_first: { zh: '按月付息、到期还本', en: 'Interest monthly, principal at maturity' },
    bullet: { zh: '到期一次还本付息', en: 'Bullet repayment' },
    revolving: { zh: '随借随还', en: 'Revolving' },
  },
  guarantee: {
    credit: { zh: '信用', en: 'Unsecured' },
    guarantee: { zh: '保证', en: 'Guarantee' },
    mortgage: { zh: '抵押', en: 'Mortgage' },
    pledge: { zh: '质押', en: 'Pledge' },
  },
  collateral: {
    real_estate: { zh: '不动产', en: 'real estate' },
    equipment: { zh: '机器设备', en: 'equipment' },
    receivables: { zh: '应收账款', en: 'receivables' },
    ip: { zh: '知识产权', en: 'intellectual property' },
    deposit: { zh: '存单', en: 'deposits' },
    none: { zh: '无', en: 'none' },
  },
  size: {
    micro: { zh: '微型', en: 'micro' },
    small: { zh: '小型', en: 'small' },
    medium: { zh: '中型', en: 'medium' },
    large: { zh: '大型', en: 'large' },
  },
  /** The city's districts, in the order its profile lists them. */
  get district(): Labels {
    return currentCity()?.districts ?? {};
  },
  certification: certificationLabels,
  /** A bank reads "未知" where the applicant did not know the rating, and checks it itself. */
  taxRating: {
    A: { zh: 'A级', en: 'A' }, B: { zh: 'B级', en: 'B' }, M: { zh: 'M级', en: 'M' }, C: { zh: 'C级', en: 'C' }, D: { zh: 'D级', en: 'D' },
    unknown: { zh: '未知', en: 'unknown' },
  },
};

export type LabelGroup = keyof typeof groups;

/** The label of a code in a vocabulary, in the current language; unknown codes show as themselves. */
export function label(group: LabelGroup, code: string): string {
  const entry = groups[group]?.[code];
  if (!entry) return code;
  return currentLang() === 'en' ? entry.en : entry.zh;
}

export function codesOf(group: LabelGroup): string[] {
  return Object.keys(groups[group] ?? {});
}

const isEn = () => currentLang() === 'en';

/** 50000 → "5万"; 2000000 → "200万"; 100000000 → "1亿"; English: "CNY 2m", "CNY 500k". */
export function money(cny: number): string {
  if (isEn()) {
    if (cny >= 1_000_000) return `${trim(cny / 1_000_000)}m`;
    if (cny >= 1_000) return `${trim(cny / 1_000)}k`;
    return String(cny);
  }
  if (cny >= 100_000_000) return `${trim(cny / 100_000_000)}亿`;
  if (cny >= 10_000) return `${trim(cny / 10_000)}万`;
  return String(cny);
}

function trim(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export function moneyAmount(cny: number): string {
  return isEn() ? `CNY ${money(cny)}` : `${money(cny)}元`;
}

export function moneyRange(r: { min: number; max: number }): string {
  return isEn() ? `CNY ${money(r.min)}–${money(r.max)}` : `${money(r.min)}–${money(r.max)}元`;
}

export function monthsRange(r: { min: number; max: number }): string {
  const span = r.min === r.max ? `${r.min}` : `${r.min}–${r.max}`;
  return isEn() ? `${span} months` : `${span}个月`;
}

export function rateRange(r: { min: number; max: number }): string {
  return `${r.min.toFixed(2)}%–${r.max.toFixed(2)}%`;
}

/** "LPR + 35~240 bp" (a negative spread shows as "LPR − N bp"). */
export function spreadRange(bp: { min: number; max: number }): string {
  const one = (n: number) => (n < 0 ? `− ${-n}` : `+ ${n}`);
  return bp.min === bp.max ? `LPR ${one(bp.min)} bp` : `LPR ${one(bp.min)}~${bp.max} bp`;
}
