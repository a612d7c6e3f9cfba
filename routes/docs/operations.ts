import type Joi from 'joi';
import { idempotencyKeySchema } from '../applications/schema';
import { consentResponse, lookupResponse, secondLookOptionsResponse, submissionResponse, trackingResponse } from '../applications/responses';
import { notificationListResponse, notificationResponse, notificationsMarkedResponse } from '../notifications/responses';
import { slaPoliciesResponse, slaPolicyResponse } from '../sla/responses';
import { watchConsentResponse, watchCreatedResponse, watchResponse, watchStatsResponse } from '../watches/responses';
import { phoneCodeSentResponse, phoneTokenResponse } from '../phone-codes/responses';
import { channelByCodeResponse, channelListResponse, channelResponse } from '../channels/responses';
import { consultationListResponse, consultationResponse, consultationStatsResponse } from '../consultations/responses';
import { matchResponse } from '../match/responses';
import { cityResponse } from '../city/responses';
import { coachingCaseResponse, coachingListResponse, coachingReportResponse } from '../coaching/responses';
import { bankListResponse, bankResponse, branchListResponse, branchResponse, deliveryListResponse, deliveryResponse, routingResponse, webhookResponse } from '../banks/responses';
import { leadDetailResponse, leadEventsResponse, leadsResponse } from '../leads/responses';
import { productExportResponse, productImportResponse, productListResponse, productResponse, productReviewsResponse } from '../products/responses';
import { demoAccountsResponse, loginResponse, meResponse, userListResponse, userResponse } from '../users/responses';
import { companyResponse } from '../companies/responses';
import { auditListResponse, jobListResponse, jobRunResponse } from '../admin/responses';
import { smsListResponse } from '../sms/responses';
import { assistedListResponse, assistedReportResponse, assistedResponse, consentRequestResponse } from '../assisted/responses';
import { reassignmentCancelledResponse, reassignmentListResponse, reassignmentQueueResponse, reassignmentResponse } from '../reassignments/responses';
import { amendmentReportResponse, bankReportResponse, channelReportResponse, summaryReportResponse, trendReportResponse } from '../reports/responses';
import { openApiResponse } from './shapes';
import { XLSX_TYPE as XLSX } from '../../server/xlsx';


/**
 * What the route table cannot say about each operation: a summary in both languages, the success
 * status and what it answers with. Keyed `METHOD /api/path/{param}`; the OpenAPI test fails on any
 * mounted route missing here, and on any entry here that no route has.
 */
export interface OperationNote {
  en: string;
  zh: string;
  /** Success status; 200 unless given. */
  status?: number;
  /** Other success statuses this operation may answer with. */
  also?: Record<number, string>;
  /** Media type of the success answer; JSON unless given. */
  produces?: string;
  /** Other media types the same success answer may come as (a file format chosen by a query parameter). */
  alsoProduces?: string[];
  /** Conflict (409) or rule (422) refusals this operation is known for. */
  refusals?: number[];
  /** Media types of the request body; JSON unless given. */
  consumes?: string[];
  /** The joi schema of the success answer (JSON), kept next to its presenter in routes/<resource>/responses.ts. */
  response?: Joi.Schema;
  /** Request headers the operation reads. */
  headers?: { name: string; description: string; schema: Joi.Schema }[];
}

export const operationNotes: Record<string, OperationNote> = {
  'POST /api/auth/login': { en: 'Sign in; returns a bearer token and sets the session cookie', zh: '工作人员登录', response: loginResponse },
  'GET /api/auth/me': { en: 'The signed-in staff member', zh: '当前登录用户', response: meResponse },
  'POST /api/auth/logout': { en: 'End every session of the user and clear the cookie', zh: '退出登录', status: 204 },
  'GET /api/auth/demo-accounts': { en: 'Demo sign-ins (only on a demo installation)', zh: '演示账号', response: demoAccountsResponse },

  'GET /api/users': { en: 'List staff users (admins: all; bank admins: their bank)', zh: '用户列表', response: userListResponse },
  'POST /api/users': { en: 'Create a staff user', zh: '新建用户', status: 201, refusals: [409], response: userResponse },
  'GET /api/users/{id}': { en: 'One staff user', zh: '用户详情', response: userResponse },
  'PATCH /api/users/{id}': { en: 'Change a staff user (role, active, password)', zh: '修改用户', refusals: [409], response: userResponse },

  'GET /api/banks': { en: 'List banks', zh: '银行列表', response: bankListResponse },
  'POST /api/banks': { en: 'Register a bank', zh: '新增银行', status: 201, refusals: [409], response: bankResponse },
  'GET /api/banks/{id}': { en: 'One bank', zh: '银行详情', response: bankResponse },
  'PATCH /api/banks/{id}': { en: 'Change a bank', zh: '修改银行', response: bankResponse },
  'GET /api/banks/{id}/branches': { en: "A bank's branches", zh: '网点列表', response: branchListResponse },
  'POST /api/banks/{id}/branches': { en: 'Add a branch', zh: '新增网点', status: 201, refusals: [409], response: branchResponse },
  'PATCH /api/banks/{id}/branches/{branchId}': { en: 'Change a branch (districts served, active)', zh: '修改网点', response: branchResponse },
  'GET /api/banks/{id}/routing': { en: "A bank's lead routing rules", zh: '线索分派规则', response: routingResponse },
  'PUT /api/banks/{id}/routing': { en: "Replace a bank's lead routing rules", zh: '设置线索分派规则', refusals: [422], response: routingResponse },
  'GET /api/banks/{id}/webhook': { en: "A bank's webhook (never its secret)", zh: '推送地址', response: webhookResponse },
  'PUT /api/banks/{id}/webhook': { en: 'Set or remove the webhook; changes from now on are delivered signed', zh: '设置推送地址', response: webhookResponse },
  'GET /api/banks/{id}/webhook/deliveries': { en: 'The delivery log of the webhook', zh: '推送记录', response: deliveryListResponse },
  'POST /api/banks/{id}/webhook/deliveries/{deliveryId}/redeliver': { en: 'Send a delivery again with a fresh set of tries', zh: '重新推送', status: 202, response: deliveryResponse },

  'GET /api/products': { en: 'The product catalogue (published; staff also see their drafts)', zh: '产品目录', response: productListResponse },
  'GET /api/products/export': { en: 'Export products as JSON, CSV (format=csv: UTF-8 with BOM, formula-guarded) or .xlsx (format=xlsx)', zh: '导出产品', alsoProduces: ['text/csv', XLSX], response: productExportResponse },
  'POST /api/products/import': { en: 'Import products from JSON, CSV (UTF-8 or GB18030) or .xlsx: all rows or none, as drafts unless publish=true (desk, admin)', zh: '导入产品', refusals: [422], consumes: ['application/json', 'text/csv', XLSX], response: productImportResponse },
  'GET /api/products/{id}': { en: 'One product', zh: '产品详情', response: productResponse },
  'POST /api/products': { en: 'Create a product as a draft', zh: '新建产品（草稿）', status: 201, refusals: [409], response: productResponse },
  'PATCH /api/products/{id}': { en: 'Change a product; a published one gets a new draft version (201)', zh: '修改产品', also: { 201: 'A new draft version was created' }, response: productResponse },
  'POST /api/products/{id}/publish': { en: 'Publish a draft (the previous version is retired)', zh: '发布产品', refusals: [409], response: productResponse },
  'POST /api/products/{id}/retire': { en: 'Take a product off the catalogue', zh: '下架产品', refusals: [409], response: productResponse },
  'POST /api/products/{id}/return': { en: 'Return a draft to its bank with a comment (desk review)', zh: '退回修改', refusals: [409], response: productResponse },
  'GET /api/products/{id}/reviews': { en: "The desk's review history of a product, every version", zh: '产品审核记录', response: productReviewsResponse },

  'GET /api/city': { en: 'The city the service runs for: its districts, names and financing desk', zh: '所在城市（区县、专窗）', response: cityResponse },
  'POST /api/match': { en: 'Score a company against every published product', zh: '产品匹配', response: matchResponse },

  'GET /api/channels': { en: 'List QR channels with scan and request counts', zh: '渠道列表', response: channelListResponse },
  'GET /api/channels/by-code/{code}': { en: 'A live channel by its code (the apply page)', zh: '按码查询渠道', response: channelByCodeResponse },
  'POST /api/channels': { en: 'Create a QR channel', zh: '新建渠道', status: 201, refusals: [409], response: channelResponse },
  'GET /api/channels/{id}': { en: 'One channel', zh: '渠道详情', response: channelResponse },
  'PATCH /api/channels/{id}': { en: 'Rename, stop or resume a channel', zh: '修改渠道', response: channelResponse },
  'GET /api/channels/{id}/qr.png': { en: "The channel's QR code as PNG", zh: '二维码 PNG', produces: 'image/png' },
  'GET /api/channels/{id}/qr.svg': { en: "The channel's QR code as SVG", zh: '二维码 SVG', produces: 'image/svg+xml' },
  'GET /api/channels/{id}/poster': { en: 'A printable A4 poster with the code', zh: '打印海报', produces: 'text/html' },

  'POST /api/applications': {
    response: submissionResponse,
    en: 'Send a first-loan request to the chosen banks (or open to all eligible)', zh: '提交融资需求', status: 201,
    also: { 200: 'The same Idempotency-Key was sent before: the first answer again' }, refusals: [409, 422],
    headers: [{ name: 'Idempotency-Key', description: 'Retries with the same key get the first answer and create nothing', schema: idempotencyKeySchema }],
  },
  'GET /api/applications/consent': { en: 'The consent text and its version', zh: '授权书', response: consentResponse },
  'POST /api/applications/lookup': { en: 'A verified phone (phoneToken, purpose lookup) recovers its requests of the last 180 days with their tracking links', zh: '找回我的申请', response: lookupResponse },
  'GET /api/applications/track/{token}': { en: "The applicant's view of a request", zh: '进度查询', response: trackingResponse },
  'POST /api/applications/track/{token}/withdraw': { en: 'Withdraw the request', zh: '撤回申请', refusals: [409], response: trackingResponse },
  'GET /api/applications/track/{token}/second-look': { en: 'Other banks that may look again after declines', zh: '可再次申请的银行', response: secondLookOptionsResponse },
  'POST /api/applications/track/{token}/second-look': { en: 'Ask another bank after declines', zh: '申请复议', status: 201, refusals: [409, 422], response: trackingResponse },
  'POST /api/applications/track/{token}/offers/{offerId}': { en: 'Accept or decline a reassignment offer', zh: '答复转派', refusals: [409], response: trackingResponse },
  'POST /api/applications/track/{token}/confirm': { en: 'Confirm the terms granted (or report they differ)', zh: '确认授信条件', refusals: [409], response: trackingResponse },

  'GET /api/leads': { en: "Leads (bank users: their bank's only); the change feed with ?since=", zh: '线索列表', response: leadsResponse },
  'GET /api/leads/export': { en: "Your bank's leads as CSV or .xlsx (contact masked unless your bank holds the lead; audited)", zh: '导出本行线索', produces: 'text/csv', alsoProduces: [XLSX] },
  'GET /api/leads/{id}': { en: 'One lead with the request and company', zh: '线索详情', response: leadDetailResponse },
  'GET /api/leads/{id}/events': { en: "A lead's history", zh: '线索记录', response: leadEventsResponse },
  'POST /api/leads/{id}/claim': { en: 'Accept a lead (open requests: the first three banks win)', zh: '受理线索', refusals: [409], response: leadDetailResponse },
  'POST /api/leads/{id}/assign': { en: 'Give a lead to an officer', zh: '分派客户经理', refusals: [409, 422], response: leadDetailResponse },
  'POST /api/leads/{id}/contact': { en: 'Record the first contact', zh: '记录联系', refusals: [409], response: leadDetailResponse },
  'POST /api/leads/{id}/decision': { en: 'Approve with terms, or decline with a reason', zh: '审批结果', refusals: [409, 422], response: leadDetailResponse },
  'POST /api/leads/{id}/disburse': { en: 'Record the disbursement', zh: '记录放款', refusals: [409, 422], response: leadDetailResponse },
  'POST /api/leads/{id}/amend': { en: 'Correct granted terms within 2 working days of the decision', zh: '更正审批条件', refusals: [409], response: leadDetailResponse },
  'POST /api/leads/{id}/first-loan': { en: 'Say whether this was the company\'s first loan', zh: '首贷认定', refusals: [409], response: leadDetailResponse },

  'GET /api/sla/policy': { en: 'The SLA policy in force', zh: '时限规则', response: slaPoliciesResponse },
  'PUT /api/sla/policy': { en: 'Change the SLA policy (applies to new leads)', zh: '修改时限规则', response: slaPolicyResponse },

  'GET /api/admin/backup': { en: 'The embedded database as .tar.gz (npm run backup uses this while the service runs)', zh: '备份内置数据库', produces: 'application/gzip', refusals: [409] },
  'GET /api/admin/export.sql': { en: 'The whole database as SQL a PostgreSQL server loads', zh: '导出 SQL', produces: 'application/sql' },
  'GET /api/admin/audit': { en: 'The audit trail, newest first: writes, unmasked reads, locks, backups, exports', zh: '审计日志', response: auditListResponse },
  'POST /api/phone-codes': { en: 'Send a 6-digit code to a phone by SMS (10 minutes, 5 tries; per phone 1 a minute and 5 an hour)', zh: '发送短信验证码', status: 202, response: phoneCodeSentResponse },
  'POST /api/phone-codes/verify': { en: 'Check a code; answers a phoneToken for that phone and purpose (30 minutes)', zh: '校验短信验证码', response: phoneTokenResponse },
  'POST /api/watches': { en: 'Keep a profile and need (phoneToken, purpose watch) for 180 days and text the phone when a product it qualifies for appears', zh: '有合适产品时短信通知我', status: 201, refusals: [422], response: watchCreatedResponse },
  'GET /api/watches/consent': { en: 'The watch consent text and its version', zh: '订阅通知授权书', response: watchConsentResponse },
  'GET /api/watches/stats': { en: 'Watches active, notified and applied (desk)', zh: '订阅通知统计', response: watchStatsResponse },
  'GET /api/watches/{token}': { en: 'One watch by its link', zh: '订阅详情', response: watchResponse },
  'POST /api/watches/{token}/cancel': { en: 'End a watch (the link in every message)', zh: '退订', response: watchResponse },
  'GET /api/admin/sms': { en: 'The SMS outbox, newest first (phone unmasked to admins only, audited)', zh: '短信发送记录', response: smsListResponse },
  'GET /api/admin/jobs': { en: 'Scheduled jobs: schedule, last run, next run', zh: '定时任务', response: jobListResponse },
  'POST /api/admin/jobs/{name}/run': { en: 'Run a job now', zh: '立即运行任务', refusals: [409], response: jobRunResponse },

  'GET /api/notifications': { en: "The signed-in user's notifications", zh: '通知', response: notificationListResponse },
  'POST /api/notifications/read-all': { en: 'Mark every notification read', zh: '全部已读', response: notificationsMarkedResponse },
  'POST /api/notifications/{id}/read': { en: 'Mark one notification read', zh: '标记已读', response: notificationResponse },

  'GET /api/reassignments/queue': { en: 'Escalated leads waiting for the desk, with candidate banks', zh: '待转派队列', response: reassignmentQueueResponse },
  'GET /api/reassignments': { en: 'Reassignments made and offered', zh: '转派记录', response: reassignmentListResponse },
  'POST /api/reassignments': {
    en: 'Hand an escalated lead to another bank (at once with consent on file, else offered to the applicant)', zh: '转派线索',
    status: 201, also: { 202: 'Offered to the applicant, who has not consented to this bank yet' }, refusals: [409, 422], response: reassignmentResponse,
  },
  'POST /api/reassignments/{id}/cancel': { en: 'Cancel a pending offer', zh: '取消转派', refusals: [409], response: reassignmentCancelledResponse },

  'GET /api/reports/summary': { en: 'City KPIs for a range and filters', zh: '汇总指标', response: summaryReportResponse },
  'GET /api/reports/banks': { en: 'The bank league table', zh: '银行排行', response: bankReportResponse },
  'GET /api/reports/channels': { en: 'Scan-to-disbursement funnel by channel', zh: '渠道漏斗', response: channelReportResponse },
  'GET /api/reports/trend': { en: 'Requests, grants and disbursements by week', zh: '周趋势', response: trendReportResponse },
  'GET /api/reports/amendments': { en: 'Decisions banks corrected after granting them: before, after and the reason', zh: '审批条件更正记录', response: amendmentReportResponse },
  'GET /api/reports/export.csv': { en: 'The filtered leads as CSV (UTF-8 with BOM, opens in Excel)', zh: '导出 CSV', produces: 'text/csv' },
  'GET /api/reports/export.xlsx': { en: 'The filtered leads as an .xlsx workbook', zh: '导出 Excel', produces: XLSX },

  'GET /api/openapi.json': { en: 'This document', zh: '接口说明（OpenAPI）', response: openApiResponse },
  'GET /api/docs': { en: 'The browsable API reference', zh: '接口文档页', produces: 'text/html' },

  'POST /api/consultations': { en: "Record a consultation in the desk's ledger", zh: '登记咨询', status: 201, response: consultationResponse },
  'GET /api/consultations': { en: 'The consultation ledger: from, to, outcome, q', zh: '咨询台账', response: consultationListResponse },
  'GET /api/consultations/export.csv': { en: 'The ledger as CSV (UTF-8 with BOM, formula-guarded)', zh: '导出咨询台账', produces: 'text/csv' },
  'GET /api/consultations/stats': { en: 'Consultations counted by week and outcome', zh: '咨询统计', response: consultationStatsResponse },
  'GET /api/companies/{uscc}': { en: "A company's name as it last reached the service, by USCC", zh: '按信用代码查企业', response: companyResponse },
  'POST /api/coaching': { en: 'Open a coaching case from a near miss: gaps with plans and due dates, target products', zh: '新建信用辅导', status: 201, response: coachingCaseResponse },
  'GET /api/coaching': { en: 'Coaching cases: status, due (an unfinished gap due by that day)', zh: '信用辅导列表', response: coachingListResponse },
  'GET /api/coaching/report': { en: 'Coached companies financed in the range and how many days it took', zh: '信用辅导成效', response: coachingReportResponse },
  'GET /api/coaching/{id}': { en: 'One coaching case', zh: '信用辅导详情', response: coachingCaseResponse },
  'PATCH /api/coaching/{id}': { en: 'Move a case (open, ready, applied, financed, closed), link its request, tick gaps', zh: '更新信用辅导', refusals: [409], response: coachingCaseResponse },
  'POST /api/applications/assisted': { en: 'File a request with the owner at the desk (assisted application); it waits for their consent on their phone for 72 hours', zh: '代办申请', status: 202, refusals: [422], response: assistedResponse },
  'GET /api/applications/assisted': { en: 'Assisted requests and their consent status', zh: '代办申请列表', response: assistedListResponse },
  'GET /api/applications/assisted/report': { en: 'Assisted requests in the range by the desk user who filed them: confirmed, lapsed, awaiting, leads sent', zh: '代办统计', response: assistedReportResponse },
  'GET /api/consent/{token}': { en: 'What an assisted request asks the owner to consent to: each recipient bank, what is shared, how long', zh: '代办授权确认信息', response: consentRequestResponse },
  'POST /api/consent/{token}/confirm': { en: 'The owner confirms with an SMS code (purpose consent); the leads go out as a self-made request', zh: '确认代办授权', status: 201, refusals: [409, 422], response: submissionResponse },
};

/** What each group of operations (its mount under /api) is about: the document's tags, in this order. */
export const tagNotes: Record<string, string> = {
  auth: 'Staff sign-in and sessions (登录).',
  users: 'Staff accounts of the desk and the banks (用户).',
  banks: 'Banks, their branches, lead routing and webhooks (银行).',
  products: 'The credit product registry: drafts, review, publication, import and export (产品).',
  city: 'The city the service runs for: districts, names and its financing desk (城市).',
  match: 'Scoring a company against every published product (产品匹配).',
  channels: 'QR channels that bring applicants to the apply page (渠道).',
  'phone-codes': 'SMS codes that prove an applicant holds a phone (短信验证码).',
  watches: '"Tell me when I qualify": kept profiles re-matched when products change (订阅通知).',
  'applications/assisted': "Requests the desk files with the owner (代办), confirmed on the owner's phone.",
  applications: "First-loan requests: submission, the applicant's tracking, second looks and offers (融资需求).",
  leads: 'Leads as the banks work them: claim, contact, decision, disbursement, amendment (线索).',
  sla: 'The response-time policy banks are held to (时限).',
  'admin/sms': 'The SMS outbox (短信记录).',
  admin: 'Operations: backup, SQL export, audit trail, scheduled jobs (运维).',
  notifications: "The signed-in user's notifications (通知).",
  reassignments: 'Escalated leads the desk hands to another bank (转派).',
  reports: "The desk's city reports and exports (报表).",
  consultations: "The desk's consultation ledger (咨询台账).",
  companies: 'Companies as they last reached the service (企业).',
  coaching: 'Credit coaching cases for near misses (信用辅导).',
  consent: 'The owner consents to an assisted request (代办授权).',
  docs: 'This document and the reference page (接口文档).',
};
