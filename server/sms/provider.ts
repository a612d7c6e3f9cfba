import type { SmsTemplateName } from '../config';

/** One message as a provider sends it; `id` is the outbox row, passed on so a receiver can drop a repeat. */
export interface OutgoingSms {
  id: number;
  phone: string;
  template: SmsTemplateName;
  params: Record<string, string>;
  text: string;
}

/**
 * What a send came to. `permanent` failures (a template the vendor refused, a bad number, wrong
 * credentials) are dead-lettered at once; the others are retried with backoff. A thrown error counts as
 * a temporary failure (network, timeout).
 */
export type SendOutcome = { ok: true; providerId?: string } | { ok: false; permanent: boolean; error: string };

export interface SmsProvider {
  name: string;
  send(message: OutgoingSms, signal: AbortSignal): Promise<SendOutcome>;
}

/** The vendors want E.164; our numbers are mainland mobiles. */
export const e164 = (phone: string) => `+86${phone}`;
