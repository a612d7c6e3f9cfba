import { currentLang, hasString, t, type StringKey } from './i18n';
import './strings/leads';

/** A lead's status and history entries in the current language (staff pages). */
export const statusText = (s: string) => t(`track.lead.${s}` as StringKey);
export const eventText = (action: string) => (hasString(`event.${action}`) ? t(`event.${action}` as StringKey) : action in bankStrings ? lt(action as BankKey) : action);

/** The bank workspace's own words (issue 18), zh-CN first. */
const bankStrings = {
  amended: { zh: '更正审批条件', en: 'Terms corrected' },
  'q.label': { zh: '搜索企业名称或统一社会信用代码', en: 'Search company name or USCC' },
  'f.status': { zh: '状态', en: 'Status' },
  'f.district': { zh: '区县', en: 'District' },
  'f.product': { zh: '产品', en: 'Product' },
  'f.firstLoan': { zh: '首贷', en: 'First loan' },
  'f.overdue': { zh: '只看超时', en: 'Overdue only' },
  'f.any': { zh: '全部', en: 'Any' },
  'f.yes': { zh: '是', en: 'Yes' },
  'f.no': { zh: '否', en: 'No' },
  'f.apply': { zh: '筛选', en: 'Filter' },
  'page.prev': { zh: '上一页', en: 'Previous' },
  'page.next': { zh: '下一页', en: 'Next' },
  'page.of': { zh: '第 {page} / {pages} 页', en: 'Page {page} of {pages}' },
  'stage.accept': { zh: '受理', en: 'Acceptance' },
  'stage.contact': { zh: '首次联系', en: 'First contact' },
  'stage.decision': { zh: '审批', en: 'Decision' },
  'clock.left': { zh: '{stage}剩余 {h} 小时（工作时间），截止 {due}（日历时间还有 {c} 小时）', en: '{stage}: {h} working hours left, due {due} ({c} calendar hours)' },
  'clock.late': { zh: '{stage}已超时 {h} 小时（工作时间），截止时间为 {due}', en: '{stage} overdue by {h} working hours (was due {due})' },
  'profile.title': { zh: '企业情况', en: 'Company profile' },
  'profile.uscc': { zh: '统一社会信用代码', en: 'USCC' },
  'profile.district': { zh: '所在区县', en: 'District' },
  'profile.industry': { zh: '行业', en: 'Industry' },
  'profile.established': { zh: '成立日期', en: 'Established' },
  'profile.years': { zh: '（经营 {n} 年）', en: ' ({n} years)' },
  'profile.employees': { zh: '从业人数', en: 'Employees' },
  'profile.revenue': { zh: '年营业收入', en: 'Annual revenue' },
  'profile.assets': { zh: '资产总额', en: 'Total assets' },
  'profile.size': { zh: '企业规模（工信部标准）', en: 'Size (MIIT standard)' },
  'profile.tax': { zh: '纳税信用等级', en: 'Tax credit rating' },
  'profile.taxUnknown': { zh: '（申请人不清楚，请自行核实）', en: ' (the applicant did not know: check it)' },
  'profile.loan': { zh: '银行贷款记录', en: 'Bank loans' },
  'profile.firstLoan': { zh: '首贷户（从未有过银行贷款）', en: 'First loan (never borrowed from a bank)' },
  'profile.hadLoan': { zh: '有过银行贷款', en: 'Has had bank loans' },
  'profile.checked': { zh: '；征信核实：{v}', en: '; credit check: {v}' },
  'profile.checkedYes': { zh: '确为首贷', en: 'first loan confirmed' },
  'profile.checkedNo': { zh: '已有贷款', en: 'has had loans' },
  'profile.overdue': { zh: '近 24 个月逾期次数', en: 'Overdue payments, 24 months' },
  'profile.collateral': { zh: '可提供抵质押', en: 'Collateral offered' },
  'profile.guarantee': { zh: '可提供担保', en: 'Guarantor available' },
  'profile.certs': { zh: '资质认定', en: 'Certifications' },
  'profile.none': { zh: '无', en: 'None' },
  'profile.notAsked': { zh: '未填写', en: 'Not given' },
  'profile.consent': { zh: '授权', en: 'Consent' },
  'profile.consentText': { zh: '申请人已于 {at} 授权向本行提供信息（版本 {v}）', en: 'The applicant consented to share with this bank on {at} (version {v})' },
  'match.title': { zh: '匹配理由', en: 'Why the product matched' },
  'match.score': { zh: '匹配度 {n} 分', en: 'Fit {n}/100' },
  'match.recomputed': { zh: '（按申请时的企业信息和产品版本计算）', en: ' (from the profile and product version on file)' },
  'terms.title': { zh: '批复条件', en: 'Terms granted' },
  'terms.amendUntil': { zh: '可在 {at} 前更正', en: 'Can be corrected until {at}' },
  'decision.spread': { zh: '较 1 年期 LPR（{lpr}%）{sign}{bp} 个基点', en: '{sign}{bp} bp over the 1-year LPR ({lpr}%)' },
  'decision.outside': { zh: '提示：该产品公布的年利率为 {min}%–{max}%，当前填写超出此范围，请确认。', en: 'Note: the product publishes {min}%–{max}% a year; this rate is outside it. Check before saving.' },
  'decision.rateRequired': { zh: '请填写年利率（1.00–24.00）', en: 'Enter the annual rate (1.00–24.00)' },
  'decision.rateRange': { zh: '年利率须在 1.00 至 24.00 之间，最多两位小数', en: 'The annual rate must be 1.00 to 24.00, two decimals at most' },
  'decline.confirm': { zh: '确认不予批准？申请人将收到通知，并可申请其他银行。', en: 'Decline this request? The applicant is told and may ask another bank.' },
  'decline.pick': { zh: '请选择原因', en: 'Choose a reason' },
  'decline.noteRequired': { zh: '选择“其他”时请填写备注', en: 'Add a note when the reason is “Other”' },
  'action.amend': { zh: '更正审批条件', en: 'Correct the terms' },
  'amend.reason': { zh: '更正原因', en: 'Reason for the correction' },
  'amend.reasonRequired': { zh: '请填写更正原因', en: 'Give the reason for the correction' },
  'firstLoan.title': { zh: '征信核实（是否首贷）', en: 'Credit-report check (first loan?)' },
  'more': { zh: '其他操作', en: 'Other actions' },
  'tab.count': { zh: '{name}（{n}）', en: '{name} ({n})' },
  'export.title': { zh: '导出本行线索', en: 'Export your leads' },
  'export.csv': { zh: '导出 CSV', en: 'Download CSV' },
  'export.xlsx': { zh: '导出 Excel', en: 'Download Excel' },
  'export.note': { zh: '未受理线索的联系人信息已隐藏。', en: 'Contact details are masked on leads you have not accepted.' },
  'officers.list': { zh: '本行客户经理', en: 'Your officers' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type BankKey = keyof typeof bankStrings;

/** A bank-workspace string in the current language, with {placeholders} filled. */
export function lt(key: BankKey, vars: Record<string, string> = {}): string {
  const s = bankStrings[key][currentLang() === 'en' ? 'en' : 'zh'];
  return s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
}
