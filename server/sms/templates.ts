import type { SmsTemplateName } from '../config';

/**
 * The applicant's messages, in zh, short, signed with the desk's name. `params` is the order vendors'
 * templates number their variables in ({1}, {2} … at Tencent); Aliyun takes them by name (${ref}).
 */
interface Template {
  params: readonly string[];
  urgent: boolean;
  render(p: Record<string, string>): string;
}

export const templates: Record<SmsTemplateName, Template> = {
  code: { params: ['code', 'desk'], urgent: true, render: (p) => `验证码${p.code}，10分钟内有效，请勿告诉他人。如非本人操作请忽略。——${p.desk}` },
  submitted: { params: ['ref', 'link', 'desk'], urgent: false, render: (p) => `您的融资申请${p.ref}已提交给银行，进度请看 ${p.link} ——${p.desk}` },
  claimed: { params: ['bank', 'ref', 'link', 'desk'], urgent: false, render: (p) => `${p.bank}已受理您的融资申请${p.ref}，将尽快与您联系。进度 ${p.link} ——${p.desk}` },
  approved: { params: ['bank', 'ref', 'amount', 'rate', 'link', 'desk'], urgent: false, render: (p) => `${p.bank}已批准您的融资申请${p.ref}：${p.amount}元，年利率${p.rate}%。详情 ${p.link} ——${p.desk}` },
  declined: { params: ['bank', 'ref', 'link', 'desk'], urgent: false, render: (p) => `${p.bank}未能批准您的融资申请${p.ref}。您可请其他银行再看一次：${p.link} ——${p.desk}` },
  disbursed: { params: ['bank', 'ref', 'amount', 'link', 'desk'], urgent: false, render: (p) => `${p.bank}已为您的申请${p.ref}放款${p.amount}元。详情 ${p.link} ——${p.desk}` },
  amended: { params: ['bank', 'ref', 'amount', 'rate', 'link', 'desk'], urgent: false, render: (p) => `${p.bank}更正了申请${p.ref}的审批条件：${p.amount}元，年利率${p.rate}%。详情 ${p.link} ——${p.desk}` },
  takeover: { params: ['ref', 'link', 'desk'], urgent: false, render: (p) => `您的融资申请${p.ref}银行未按时受理，专窗已接手协调，请留意来电。进度 ${p.link} ——${p.desk}` },
  watch: { params: ['count', 'products', 'link', 'stop', 'desk'], urgent: false, render: (p) => `有${p.count}款融资产品现符合您企业的条件：${p.products}。申请 ${p.link} 退订 ${p.stop} ——${p.desk}` },
  // Sent while the owner stands at the desk's window: urgent, so quiet hours never hold it back.
  coaching: { params: ['company', 'plan', 'due', 'desk'], urgent: false, render: (p) => `${p.company}的信用辅导事项“${p.plan}”将于${p.due}到期，如需帮助请联系专窗。——${p.desk}` },
  consent: { params: ['company', 'count', 'link', 'desk'], urgent: true, render: (p) => `专窗已为${p.company}填写融资申请，将发送给${p.count}家银行。请在72小时内打开 ${p.link} 核对并确认授权，确认前不会发送。——${p.desk}` },
};

/** What every message needs from the site: where its links point, and whose name it is signed with. */
export interface SmsSite {
  publicBaseUrl: string;
  deskName: string;
}

/** The variables as sent: links stored as paths (`/t/CODE`) made absolute, the desk's name added. */
export function sendParams(params: Record<string, string>, site: SmsSite): Record<string, string> {
  const out: Record<string, string> = { ...params, desk: site.deskName };
  for (const k of ['link', 'stop']) if (out[k]?.startsWith('/')) out[k] = `${site.publicBaseUrl}${out[k]}`;
  return out;
}

/** The message text exactly as it is (or will be) sent. */
export function renderSms(template: SmsTemplateName, params: Record<string, string>, site: SmsSite): string {
  return templates[template].render(sendParams(params, site));
}

/** The values of a template's variables in its order (Tencent's TemplateParamSet). */
export function orderedParams(name: SmsTemplateName, params: Record<string, string>): string[] {
  return templates[name].params.map((k) => params[k] ?? '');
}
