import { registerStrings, type StringTable } from '../i18n';

/** The consent page of an assisted application. */
export const consentStrings = {
  'consent.mobile': { zh: '手机号码', en: 'Mobile' },
  'consent.pageTitle': { zh: '确认融资申请 · 融码', en: 'Confirm your request · Rongma' },
  'consent.title': { zh: '确认融资申请', en: 'Confirm your financing request' },
  'consent.intro': { zh: '{desk}工作人员{by}协助您填写了以下融资申请。经您本人手机验证确认后，申请才会发送给下列银行。', en: '{by} at the financing desk filled in this request with you. It reaches the banks below only once you confirm it on your own phone.' },
  'consent.company': { zh: '企业', en: 'Company' },
  'consent.need': { zh: '融资需求', en: 'Request' },
  'consent.recipients': { zh: '接收银行及产品（逐一单独同意）', en: 'Recipient banks and products (each consented to separately)' },
  'consent.expires': { zh: '请在 {time} 前确认，逾期失效。', en: 'Confirm before {time}; after that it lapses.' },
  'consent.phone': { zh: '本人手机号码（{masked}）', en: 'Your mobile number ({masked})' },
  'consent.sendCode': { zh: '获取验证码', en: 'Send code' },
  'consent.code': { zh: '短信验证码', en: 'SMS code' },
  'consent.confirm': { zh: '同意并提交', en: 'Agree and send' },
  'consent.done': { zh: '已提交给银行。请保存进度查询链接：', en: 'Sent to the banks. Keep your tracking link:' },
  'consent.lapsed': { zh: '该申请已超过72小时未确认，已失效。如需申请，请联系融资专窗重新办理。', en: 'This request was not confirmed within 72 hours and has lapsed. Ask the financing desk to file it again.' },
  'consent.confirmed': { zh: '该申请已确认并发送给银行。', en: 'This request has already been confirmed and sent.' },
  'consent.notFound': { zh: '链接无效，请核对短信中的链接或联系融资专窗。', en: 'This link is not valid: check the message or call the financing desk.' },
  'consent.codeSent': { zh: '验证码已发送。', en: 'Code sent.' },
  'consent.failed': { zh: '未能完成：{detail}', en: 'Could not complete: {detail}' },
} as const satisfies StringTable;
registerStrings(consentStrings);
