import { numberText, writeCsv, type Cell } from '../../server/csv';
import { writeXlsx, type SheetCell } from '../../server/xlsx';

/** The export's columns: SQL name → Chinese header (Excel users at the desk read Chinese). */
const columns: [string, string][] = [
  ['id', '线索编号'], ['created', '提交时间'], ['bank_name', '银行'], ['product_name', '产品'], ['product_type', '产品类型'],
  ['company_name', '企业名称'], ['district', '区县代码'], ['industry', '行业代码'], ['company_size', '企业规模'],
  ['contact_name', '联系人'], ['contact_phone', '联系电话'], ['need_amount', '申请金额（元）'], ['need_term_months', '申请期限（月）'],
  ['first_loan', '首贷'], ['status', '状态'], ['claimed', '受理时间'], ['contacted', '首次联系时间'], ['decided', '审批时间'],
  ['accept_hours', '受理用时（工作小时）'], ['terms_amount', '批复金额（元）'], ['terms_rate_pct', '年利率（%）'], ['terms_months', '批复期限（月）'],
  ['terms_guarantee_type', '担保方式'], ['decline_reason', '未获批原因'], ['disbursed_amount', '放款金额（元）'], ['disbursed_on', '放款日期'],
  ['channel_code', '渠道码'],
];

/** Columns that hold numbers (SQL bigint and numeric arrive as text): they stay numbers in both files. */
const numeric = new Set(['id', 'need_amount', 'need_term_months', 'accept_hours', 'terms_amount', 'terms_rate_pct', 'terms_months', 'disbursed_amount']);

const yesNo = (v: unknown) => (typeof v === 'boolean' ? (v ? '是' : '否') : v);

/** UTF-8 with a BOM (so Excel opens Chinese correctly), CRLF line ends, Chinese headers; text cells pass the formula guard. */
export function reportCsv(rows: Record<string, unknown>[]): string {
  const cell = (key: string, v: unknown): Cell => (numeric.has(key) ? numberText(v) : (yesNo(v) as Cell));
  return writeCsv([columns.map(([, header]) => header), ...rows.map((r) => columns.map(([key]) => cell(key, r[key])))]);
}

/** The same table as an .xlsx workbook, numbers as number cells. */
export function reportXlsx(rows: Record<string, unknown>[]): Promise<Buffer> {
  const cell = (key: string, v: unknown): SheetCell => (v === null || v === undefined ? null : numeric.has(key) ? Number(v) : String(yesNo(v)));
  return writeXlsx('leads', [columns.map(([, header]) => header), ...rows.map((r) => columns.map(([key]) => cell(key, r[key])))]);
}
