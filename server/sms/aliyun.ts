import * as dysms from '@alicloud/dysmsapi20170525';
import * as openapi from '@alicloud/openapi-core';
import type { SmsConfig } from '../config';
import type { OutgoingSms, SendOutcome, SmsProvider } from './provider';
import { checkEndpoint, type ProviderDeps } from './providers';

/** Aliyun answer codes worth another try later (flow control, the platform busy). */
const TRANSIENT = /^(isv\.BUSINESS_LIMIT_CONTROL|isv\.DAY_LIMIT_CONTROL|isp\.|SignatureNonceUsed|Throttling|ServiceUnavailable|InternalError)/;

type DysmsClient = { sendSms(r: dysms.SendSmsRequest): Promise<dysms.SendSmsResponse> };
// The package is CommonJS with `exports.default`: under Node's ESM loader the class sits one level down.
const ClientClass = ((dysms as unknown as { default: { default?: unknown } }).default.default ?? (dysms as unknown as { default: unknown }).default) as new (c: openapi.$OpenApiUtil.Config) => DysmsClient;

/** `aliyun`: SendSms of Dysmsapi 2017-05-25 through the official SDK. */
export function aliyunProvider(deps: ProviderDeps, sms: SmsConfig): SmsProvider {
  const a = sms.aliyun!;
  const url = new URL(a.endpoint);
  const client = new ClientClass(new openapi.$OpenApiUtil.Config({
    accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret, endpoint: url.host, protocol: url.protocol.replace(':', ''),
    readTimeout: 10_000, connectTimeout: 5_000,
  }));
  return {
    name: 'aliyun',
    async send(m: OutgoingSms, signal: AbortSignal): Promise<SendOutcome> {
      await checkEndpoint(deps, a.endpoint, signal);
      try {
        const res = await client.sendSms(new dysms.SendSmsRequest({
          phoneNumbers: m.phone, signName: sms.signName, templateCode: sms.templateIds[m.template], templateParam: JSON.stringify(m.params), outId: `sms-${m.id}`,
        }));
        const body = res.body;
        if (body?.code === 'OK') return { ok: true, providerId: body.bizId };
        return { ok: false, permanent: !TRANSIENT.test(body?.code ?? ''), error: `${body?.code ?? 'error'}: ${body?.message ?? ''}`.slice(0, 200) };
      } catch (err) {
        const e = err as { code?: string; statusCode?: number; message: string };
        // 5xx and network trouble: try again; a 4xx is the vendor refusing this request for good unless it is throttling.
        if (!e.statusCode || e.statusCode >= 500 || TRANSIENT.test(e.code ?? '')) throw err;
        return { ok: false, permanent: true, error: `${e.code ?? e.statusCode}: ${e.message}`.slice(0, 200) };
      }
    },
  };
}
