import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type VendorMode = 'ok' | 'transient' | 'permanent' | 'http500';

interface Seen { headers: IncomingMessage['headers']; url: string; body: string }

async function listen(handler: (req: Seen) => { status: number; json: unknown }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const s = { headers: req.headers, url: req.url ?? '', body };
      seen.push(s);
      const out = handler(s);
      res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Tencent Cloud SMS API 3.0 as the SDK meets it: POST / with X-TC-Action and a TC3-HMAC-SHA256
 * Authorization, JSON in, `{Response: {SendStatusSet | Error, RequestId}}` out.
 */
export async function startTencentStandIn() {
  const state = { mode: 'ok' as VendorMode };
  const vendor = await listen((req) => {
    if (req.headers['x-tc-action'] !== 'SendSms' || !String(req.headers.authorization).startsWith('TC3-HMAC-SHA256 Credential=')) {
      return { status: 200, json: { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad request' }, RequestId: 'r' } } };
    }
    const body = JSON.parse(req.body) as { PhoneNumberSet: string[] };
    if (state.mode === 'http500') return { status: 502, json: {} };
    if (state.mode === 'transient') return { status: 200, json: { Response: { Error: { Code: 'InternalError.Timeout', Message: 'try later' }, RequestId: 'r' } } };
    const code = state.mode === 'permanent' ? 'FailedOperation.TemplateIncorrectOrUnapproved' : 'Ok';
    return { status: 200, json: { Response: { SendStatusSet: [{ SerialNo: `serial-${vendor.seen.length}`, PhoneNumber: body.PhoneNumberSet[0], Fee: 1, SessionContext: '', Code: code, Message: code === 'Ok' ? 'send success' : 'template not approved', IsoCode: 'CN' }], RequestId: 'r' } } };
  });
  return { ...vendor, state };
}

/** Alibaba Cloud Dysmsapi as its SDK meets it: POST /?PhoneNumbers=…&TemplateCode=… with x-acs-action and an ACS3-HMAC-SHA256 Authorization, `{Code, Message, BizId, RequestId}` out. */
export async function startAliyunStandIn() {
  const state = { mode: 'ok' as VendorMode };
  const vendor = await listen((req) => {
    const q = new URL(req.url, 'http://x').searchParams;
    if (req.headers['x-acs-action'] !== 'SendSms' || !String(req.headers.authorization).startsWith('ACS3-HMAC-SHA256 Credential=') || !q.get('PhoneNumbers')) return { status: 400, json: { Code: 'MissingParameter', Message: 'bad request', RequestId: 'r' } };
    if (state.mode === 'http500') return { status: 503, json: { Code: 'ServiceUnavailable', Message: 'busy', RequestId: 'r' } };
    if (state.mode === 'transient') return { status: 200, json: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发流控', RequestId: 'r' } };
    if (state.mode === 'permanent') return { status: 200, json: { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '模板不合法', RequestId: 'r' } };
    return { status: 200, json: { Code: 'OK', Message: 'OK', BizId: `biz-${vendor.seen.length}`, RequestId: 'r' } };
  });
  return { ...vendor, state };
}
