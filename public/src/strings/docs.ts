import { registerStrings, type StringTable } from '../i18n';

/** The API reference page. */
export const apiDocsStrings = {
  'docs.title': { zh: '接口文档', en: 'API reference' },
  'docs.pageTitle': { zh: '接口文档 · 融码', en: 'API reference · Rongma' },
  'docs.toc': { zh: '目录', en: 'Contents' },
  'docs.intro': { zh: '融码开放接口（OpenAPI 3.1）。错误统一以 application/problem+json 返回；工作人员接口使用登录令牌（Bearer）或会话 Cookie。', en: 'The Rongma API (OpenAPI 3.1). Errors are application/problem+json; staff endpoints take the sign-in token (Bearer) or the session cookie.' },
  'docs.loading': { zh: '正在加载…', en: 'Loading…' },
  'docs.failed': { zh: '接口说明加载失败。', en: 'The API description could not be loaded.' },
  'docs.param': { zh: '参数', en: 'Parameter' },
  'docs.in': { zh: '位置', en: 'In' },
  'docs.rule': { zh: '规则', en: 'Rule' },
  'docs.body': { zh: '请求示例', en: 'Request example' },
  'docs.responses': { zh: '响应', en: 'Responses' },
  'docs.webhook': { zh: '银行推送（Webhook）', en: 'Webhook to banks' },
  'docs.errors': { zh: '错误格式', en: 'Errors' },
  'docs.maxLength': { zh: '最长', en: 'max length' },
  'docs.default': { zh: '默认', en: 'default' },
} as const satisfies StringTable;
registerStrings(apiDocsStrings);
