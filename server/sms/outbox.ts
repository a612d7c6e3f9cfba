import type { AppConfig, SmsTemplateName } from '../config';
import type { Clock } from '../clock';
import type { Db, Executor } from '../db';
import { afterQuietHours } from '../domain/quiet-hours';
import type { Logger } from '../logger';
import type { HostLookup } from '../outbound-address';
import { backoffMs } from '../webhooks';
import type { SQL } from 'drizzle-orm';
import { claimDueSms, insertSmsMany, insertSmsManySql, settleSms, type NewSms, type PhoneAllowance } from '../../models/sms';
import { SHANGHAI_OFFSET_MS, shanghaiDate } from '../domain/lpr';
import { smsProviderFor } from './providers';
import type { SmsProvider } from './provider';
import { renderSms, sendParams, templates, type SmsSite } from './templates';

export const SMS_MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;
const TIMEOUT_MS = 15_000;

export interface QueueSms {
  phone: string;
  template: SmsTemplateName;
  /** The template's variables except `desk` (every message is signed with it); links as paths (`/t/CODE`). */
  params: Record<string, string>;
  purpose?: string;
  applicationId?: number | null;
  watchId?: number | null;
  /** One message per key, ever: the same change queued twice is sent once. */
  dedupeKey?: string;
}

/**
 * The per-phone limit: at most this many non-urgent messages (lifecycle news, watch and coaching notices) are
 * queued to one phone per Shanghai day. One request to three banks earns at most seven in a day (submitted,
 * three claims, three decisions), so the eighth still goes out; beyond it a message is recorded as `skipped`
 * (reason `phone_daily_limit`) and never sent, while the change that caused it goes on: the tracking page
 * still tells everything. Codes and consent links are urgent, never counted nor skipped (they have their own
 * limits). Transactions queueing to one phone at the very same moment may each pass the last free place.
 */
export const PHONE_DAILY_LIMIT = 8;

/** The allowance of a phone on the Shanghai day of `now`. */
export function phoneAllowance(now: Date): PhoneAllowance {
  return { limit: PHONE_DAILY_LIMIT, since: new Date(Date.parse(`${shanghaiDate(now)}T00:00:00Z`) - SHANGHAI_OFFSET_MS), reason: 'phone_daily_limit' };
}

function rowOf(site: SmsSite | null, m: QueueSms, now: Date): NewSms {
  const t = templates[m.template];
  return {
    phone: m.phone, purpose: m.purpose ?? m.template, template: m.template, params: m.params, text: renderSms(m.template, m.params, site ?? { publicBaseUrl: '', deskName: '' }),
    urgent: t.urgent, applicationId: m.applicationId ?? null, watchId: m.watchId ?? null, dedupeKey: m.dedupeKey ?? null, createdAt: now, nextAttemptAt: t.urgent ? now : afterQuietHours(now),
  };
}

/**
 * Queues an SMS in the caller's transaction (so it exists exactly when the change that caused it does).
 * A non-urgent message queued in quiet hours waits for 08:00 Shanghai; one beyond its phone's daily limit is
 * recorded as skipped. Without `site` (a lead change does not know it) the text is completed when sent.
 * Answers whether a row was added (false: the same change was queued before).
 */
export async function queueSms(tx: Executor, site: SmsSite | null, m: QueueSms, now: Date): Promise<boolean> {
  const added = await insertSmsMany(tx, [rowOf(site, m, now)], phoneAllowance(now));
  return added.length > 0;
}

/** The statement that queues these messages (as `queueSmsMany` does), to run together with the change that causes them. */
export function queueSmsSql(site: SmsSite | null, list: QueueSms[], now: Date): SQL {
  return insertSmsManySql(list.map((m) => rowOf(site, m, now)), phoneAllowance(now));
}

/**
 * Queues many messages in one statement (the watch re-match); answers the dedupe keys of those that will be
 * sent (not those queued before, nor those skipped by the phone's daily limit).
 */
export async function queueSmsMany(tx: Executor, site: SmsSite | null, list: (QueueSms & { dedupeKey: string })[], now: Date): Promise<Set<string>> {
  const added = await insertSmsMany(tx, list.map((m) => rowOf(site, m, now)), phoneAllowance(now));
  return new Set(added.filter((r) => r.status === 'pending').map((r) => r.dedupeKey!));
}

export interface SmsDeliveryDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: Pick<AppConfig, 'sms' | 'webhookAllowedHosts' | 'publicBaseUrl' | 'deskName'>;
  lookup?: HostLookup;
  /** Replaces the configured provider (a test's sender that dies mid-batch). */
  provider?: SmsProvider;
}

/**
 * Sends due messages: claims a batch under a lease (FOR UPDATE SKIP LOCKED: instances share the work) and
 * settles each message as soon as its provider answers, so a process that dies mid-batch leaves the
 * messages it sent marked sent and the rest due again once the lease ends — none lost, none sent twice
 * (the row id goes to the provider as its de-duplication key for the one that was in flight).
 */
export async function deliverDueSms(deps: SmsDeliveryDeps, batch = 50): Promise<{ sent: number; failed: number; dead: number }> {
  const provider = deps.provider ?? smsProviderFor(deps);
  const now = deps.clock.now();
  const rows = await claimDueSms(deps.db, now, new Date(now.getTime() + LEASE_MS), batch);
  const result = { sent: 0, failed: 0, dead: 0 };
  for (const row of rows) {
    const attempts = row.attempts + 1;
    let permanent = false;
    let error: string;
    try {
      // Rendered now, with this start's address and desk name (a message queued by a lead change knows neither).
      const template = row.template as SmsTemplateName;
      const text = renderSms(template, row.params, deps.config);
      const out = await provider.send({ id: row.id, phone: row.phone, template, params: sendParams(row.params, deps.config), text }, AbortSignal.timeout(TIMEOUT_MS));
      if (out.ok) {
        await settleSms(deps.db, row.id, { status: 'sent', attempts, sentAt: deps.clock.now(), providerId: out.providerId ?? null, lastError: null, text });
        result.sent++;
        continue;
      }
      permanent = out.permanent;
      error = out.error;
    } catch (err) {
      error = (err as Error).message.slice(0, 200) || 'send failed';
    }
    const done = deps.clock.now();
    if (permanent || attempts >= SMS_MAX_ATTEMPTS) {
      await settleSms(deps.db, row.id, { status: 'dead', attempts, deadAt: done, lastError: error });
      deps.logger.warn({ smsId: row.id, provider: provider.name, attempts, error }, 'SMS dead-lettered');
      result.dead++;
    } else {
      const next = new Date(done.getTime() + backoffMs(attempts));
      await settleSms(deps.db, row.id, { attempts, lastError: error, nextAttemptAt: row.urgent ? next : afterQuietHours(next) });
      result.failed++;
    }
  }
  return result;
}
