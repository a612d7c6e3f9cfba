import { certificationLabels } from '../server/domain/catalogue';
import { districtNames } from '../server/domain/cities';

/** A message in both languages. */
export interface Msg {
  zh: string;
  en: string;
}

export const msg = (zh: string, en: string): Msg => ({ zh, en });

/** 1234567 → "1,234,567" (toLocaleString goes through ICU and costs microseconds per call). */
function grouped(n: number): string {
  const s = String(Math.trunc(n));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return out;
}

/** CNY as 万元 in Chinese ("95万元", "1.5亿元") and grouped digits in English ("CNY 950,000"). */
export function money(cny: number): Msg {
  const zh = cny >= 100_000_000 ? `${round2(cny / 100_000_000)}亿元` : cny >= 10_000 ? `${round2(cny / 10_000)}万元` : `${cny}元`;
  return { zh, en: `CNY ${grouped(cny)}` };
}

export function duration(months: number): Msg {
  const y = Math.floor(months / 12);
  const m = months % 12;
  const zh = y && m ? `${y}年${m}个月` : y ? `${y}年` : `${m}个月`;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const en = y && m ? `${plural(y, 'year')} ${plural(m, 'month')}` : y ? plural(y, 'year') : plural(m, 'month');
  return { zh, en };
}

export function years(n: number): Msg {
  return { zh: `${n}年`, en: `${n} year${n === 1 ? '' : 's'}` };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

const sizeNames: Record<string, Msg> = {
  micro: msg('微型', 'micro'), small: msg('小型', 'small'), medium: msg('中型', 'medium'), large: msg('大型', 'large'),
};
const collateralNames: Record<string, Msg> = {
  real_estate: msg('不动产', 'real estate'), equipment: msg('机器设备', 'equipment'), receivables: msg('应收账款', 'receivables'),
  ip: msg('知识产权', 'intellectual property'), deposit: msg('存单', 'deposits'), none: msg('无', 'none'),
};

const tables: Record<'size' | 'collateral' | 'district' | 'certification', Record<string, Msg>> = {
  size: sizeNames, collateral: collateralNames, district: districtNames, certification: certificationLabels,
};

/** Names of codes joined for each language ("微型、小型" / "micro, small"; `or` joins the last with 或 / or). */
export function names(kind: 'size' | 'collateral' | 'district' | 'certification', codes: readonly string[], or = false): Msg {
  const table = tables[kind];
  const zh = codes.map((c) => table[c]?.zh ?? c);
  const en = codes.map((c) => table[c]?.en ?? c);
  if (!or || codes.length < 2) return { zh: zh.join('、'), en: en.join(', ') };
  return { zh: `${zh.slice(0, -1).join('、')}或${zh.at(-1)}`, en: `${en.slice(0, -1).join(', ')} or ${en.at(-1)}` };
}

/** A range as words: 'a–b', 'at least a' or 'at most b'. */
export function rangeText(r: { min?: number; max?: number }, fmt: (n: number) => Msg): Msg {
  if (r.min !== undefined && r.max !== undefined) return msg(`${fmt(r.min).zh}–${fmt(r.max).zh}`, `${fmt(r.min).en}–${fmt(r.max).en}`);
  if (r.min !== undefined) return msg(`不低于${fmt(r.min).zh}`, `at least ${fmt(r.min).en}`);
  return msg(`不高于${fmt(r.max!).zh}`, `at most ${fmt(r.max!).en}`);
}
