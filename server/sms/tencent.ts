import * as tencentcloud from 'tencentcloud-sdk-nodejs-sms';
import type { SmsConfig } from '../config';
import { e164, type OutgoingSms, type SendOutcome, type SmsProvider } from './provider';
import { checkEndpoint, type ProviderDeps } from './providers';
import { orderedParams } from './templates';

/** Tencent error codes worth another try later (server trouble, throttling, per-phone frequency limits). */
const TRANSIENT = /^(InternalError|RequestLimitExceeded|LimitExceeded\.(PhoneNumber|DeliveryFrequency)|ResourceUnavailable|FailedOperation\.(ServiceSuspend|InsufficientBalance))/;

function outcomeOf(code: string | undefined, message: string): SendOutcome {
  return { ok: false, permanent: !!code && !TRANSIENT.test(code), error: `${code ?? 'error'}: ${message}`.slice(0, 200) };
}

/** `tencent`: SendSms of SMS API 2021-01-11 through the official SDK. */
export function tencentProvider(deps: ProviderDeps, sms: SmsConfig): SmsProvider {
  const t = sms.tencent!;
  const url = new URL(t.endpoint);
  const Client = tencentcloud.sms.v20210111.Client;
  const client = new Client({
    credential: { secretId: t.secretId, secretKey: t.secretKey },
    region: t.region,
    profile: { httpProfile: { endpoint: url.host, protocol: `${url.protocol}//`, reqTimeout: 10 } },
  });
  return {
    name: 'tencent',
    async send(m: OutgoingSms, signal: AbortSignal): Promise<SendOutcome> {
      await checkEndpoint(deps, t.endpoint, signal);
      try {
        const res = await client.SendSms({
          PhoneNumberSet: [e164(m.phone)], SmsSdkAppId: t.appId, SignName: sms.signName, TemplateId: sms.templateIds[m.template] ?? '',
          TemplateParamSet: orderedParams(m.template, m.params), SessionContext: `sms-${m.id}`,
        });
        const status = res.SendStatusSet?.[0];
        if (status?.Code === 'Ok') return { ok: true, providerId: status.SerialNo };
        return outcomeOf(status?.Code, status?.Message ?? 'no send status in the answer');
      } catch (err) {
        const e = err as { code?: string; httpCode?: number; message: string };
        // HTTP-level trouble (5xx, a proxy) carries no Tencent code: try again later.
        if (!e.code) throw err;
        return outcomeOf(e.code, e.message);
      }
    },
  };
}
