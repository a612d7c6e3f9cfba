import type { AppConfig, SmsConfig } from '../config';
import type { Logger } from '../logger';
import { checkTarget, type HostLookup } from '../outbound-address';
import { postChecked, signature } from '../webhooks';
import type { OutgoingSms, SendOutcome, SmsProvider } from './provider';
import { aliyunProvider } from './aliyun';
import { tencentProvider } from './tencent';

export interface ProviderDeps {
  config: Pick<AppConfig, 'sms' | 'webhookAllowedHosts'>;
  logger: Logger;
  lookup?: HostLookup;
}

/** `log`: the outbox row is the message (admins read it at GET /api/admin/sms); nothing leaves the service. */
const logProvider: SmsProvider = {
  name: 'log',
  async send(m) {
    return { ok: true, providerId: `log-${m.id}` };
  },
};

/** `http`: a city's 政务短信 gateway gets `{to, template, params, text}` signed exactly like a webhook. */
function httpProvider(deps: ProviderDeps, http: NonNullable<SmsConfig['http']>): SmsProvider {
  return {
    name: 'http',
    async send(m: OutgoingSms, signal: AbortSignal): Promise<SendOutcome> {
      const body = JSON.stringify({ to: m.phone, template: m.template, params: m.params, text: m.text });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const status = await postChecked(deps, http.url, {
        'content-type': 'application/json', 'user-agent': 'Rongma-SMS/1', 'x-rongma-delivery': `sms-${m.id}`,
        'x-rongma-timestamp': timestamp, 'x-rongma-signature': signature(http.secret, timestamp, body),
      }, body, signal);
      if (status >= 200 && status < 300) return { ok: true };
      // A 4xx other than 408/429 says the gateway will never take this message.
      return { ok: false, permanent: status >= 400 && status < 500 && status !== 408 && status !== 429, error: `HTTP ${status}` };
    },
  };
}

/**
 * A vendor API endpoint passes the same outbound-address rule as webhooks (checked before each send; the
 * vendor SDK makes its own connection, so it is not pinned like the gateway POST).
 */
export async function checkEndpoint(deps: ProviderDeps, endpoint: string, signal: AbortSignal): Promise<void> {
  const verdict = await checkTarget(endpoint, { allowedHosts: deps.config.webhookAllowedHosts, lookup: deps.lookup, signal });
  if (!verdict.ok) throw new Error(`SMS endpoint refused: ${verdict.message}`);
}

/** The configured provider (SMS_PROVIDER). */
export function smsProviderFor(deps: ProviderDeps): SmsProvider {
  const sms = deps.config.sms;
  switch (sms.provider) {
    case 'http': return httpProvider(deps, sms.http!);
    case 'tencent': return tencentProvider(deps, sms);
    case 'aliyun': return aliyunProvider(deps, sms);
    default: return logProvider;
  }
}
