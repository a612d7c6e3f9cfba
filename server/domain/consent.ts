/**
 * The consent an applicant gives before their request reaches banks (PIPL Art. 14, 17 and 23: purpose,
 * what is shared, each recipient by name, retention, how to withdraw). Changing the wording means a
 * new version: submissions quoting another version are refused, so every consent on file names the
 * exact text the applicant saw.
 */
import { UnprocessableError } from '../errors';
export const CONSENT_VERSION = '2026-11-v1';
export const RETENTION_DAYS = 180;

export const consentText = {
  zh: {
    purpose: '为帮助贵企业获得银行贷款，融码将把本次融资需求发送给您选择的银行，由银行评估并与您联系。',
    shared: '共享的信息：企业名称、统一社会信用代码、所在区县、行业、成立日期、从业人数、营业收入、资产总额、纳税信用等级、贷款及逾期情况、可提供的抵押担保、融资金额、期限和用途，以及联系人姓名和手机号码。',
    recipients: '接收方（逐一单独同意）：',
    retention: `联系人信息在申请结束后保存 ${RETENTION_DAYS} 天，之后匿名化处理，仅保留统计数据。`,
    withdraw: '您可以随时通过跟踪链接撤回申请；撤回后银行将不再处理，也不会再联系您。',
  },
  en: {
    purpose: 'To help your company obtain a bank loan, Rongma will send this request to the banks you choose; they assess it and contact you.',
    shared: 'Shared: company name, USCC, district, industry, date established, headcount, revenue, total assets, tax credit rating, loan and overdue history, collateral and guarantee available, amount, term and purpose, and the contact\'s name and mobile number.',
    recipients: 'Recipients (each consented to separately):',
    retention: `Contact details are kept for ${RETENTION_DAYS} days after the request closes, then anonymised; only statistics remain.`,
    withdraw: 'You can withdraw at any time from your tracking link; banks then stop working on it and will not contact you.',
  },
};

/**
 * The one consent check (PIPL Art. 23): the text the applicant agreed to is the current one, and every bank the
 * request goes to was named in that consent. A submission, a second look and a hand-over all ask it.
 */
export function requireConsent(consent: { version: string; banks: readonly number[] }, recipientBankIds: readonly number[], currentVersion = CONSENT_VERSION): void {
  if (consent.version !== currentVersion) {
    throw new UnprocessableError('consent_outdated', `The consent text has changed (now ${currentVersion}); show it again and ask for consent.`, { currentVersion });
  }
  const missing = [...new Set(recipientBankIds)].filter((b) => !consent.banks.includes(b));
  if (missing.length) throw new UnprocessableError('consent_missing', 'Every recipient bank needs the applicant\'s separate consent (PIPL Art. 23).', { banks: missing });
}
