import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { and, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Clock } from './clock';
import type { AppConfig } from './config';
import type { Db } from './db';
import type { Logger } from './logger';
import { checkTarget, shownRefusal, type HostLookup, type ResolvedAddress } from './outbound-address';
import { banks } from '../models/banks';
import { sequenceFeeds } from '../models/lead-changes';
import { outbox, type OutboxRow } from '../models/leads';

export const MAX_ATTEMPTS = 12;
const TIMEOUT_MS = 5000;
/** A claimed delivery is leased this long; if the process dies mid-delivery it is tried again after. */
const LEASE_MS = 60_000;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 24 * 3600_000;

/** Exponential backoff with jitter: ~30 s, 1 min, 2 min … capped at 24 h, each ×0.5–1.5. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  return Math.min(MAX_BACKOFF_MS, Math.round(base * (0.5 + random())));
}

/** `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` (SPEC "Bank integration"). */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The JSON a bank receives: the change (no personal data), its delivery id and its feed cursor. */
export function deliveryBody(row: OutboxRow): string {
  return JSON.stringify({ deliveryId: row.deliveryId, cursor: row.seq, occurredAt: row.createdAt.toISOString(), ...(row.payload as object) });
}

interface Claimed {
  row: OutboxRow;
  url: string;
  secret: string;
}

export interface DeliveryDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: Pick<AppConfig, 'webhookAllowedHosts'>;
  /** Resolves the target's host (dns.lookup by default); tests play DNS, and DNS rebinding, with it. */
  lookup?: HostLookup;
  /** Replaces the HTTP POST itself (a test's process that dies mid-delivery); the target is still checked first. */
  fetch?: typeof fetch;
}

/**
 * POSTs to the addresses the target was checked at: the socket's lookup answers with them instead of
 * asking DNS again, so a name that rebinds to 127.0.0.1 between the check and the connect cannot win.
 * No redirect is followed (a 3xx is an answer like any other). Resolves with the status code.
 */
function postPinned(url: URL, addresses: ResolvedAddress[], headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, signal, agent: false }, (res) => {
      res.on('error', reject);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('close', () => { if (!res.complete) reject(new Error('connection closed before the answer ended')); });
      res.resume();
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One signed POST of a delivery (a webhook, an SMS to a city gateway): the target checked (again) now, then sent pinned; throws what went wrong. */
export async function postChecked(deps: Pick<DeliveryDeps, 'config' | 'logger' | 'lookup' | 'fetch'>, url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
  const verdict = await checkTarget(url, { allowedHosts: deps.config.webhookAllowedHosts, lookup: deps.lookup, signal });
  if (!verdict.ok) {
    deps.logger.warn({ url, reason: verdict.reason, detail: verdict.message, address: verdict.address, range: verdict.range }, 'webhook target refused at delivery');
    throw new Error(`refused: ${shownRefusal(verdict)}`);
  }
  if (!deps.fetch) return postPinned(verdict.url, verdict.addresses, headers, body, signal);
  const res = await deps.fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
  await res.arrayBuffer().catch(() => undefined);
  return res.status;
}

/**
 * Delivers due outbox rows: claims a batch (FOR UPDATE SKIP LOCKED, so several instances share the
 * work and never send one row twice at once) under a lease, POSTs each signed, and records the
 * outcome: delivered, retry later with backoff, or dead after 12 tries. At least once: a receiver
 * de-duplicates by X-Rongma-Delivery.
 */
export async function deliverDue(deps: DeliveryDeps, batch = 20): Promise<{ delivered: number; failed: number; dead: number }> {
  // A delivery carries its feed cursor: number what has committed since the last run first.
  await sequenceFeeds(deps.db);
  const now = deps.clock.now();
  const claimed: Claimed[] = await deps.db.transaction(async (tx) => {
    const rows = await tx.select({ row: outbox, url: banks.webhookUrl, secret: banks.webhookSecret }).from(outbox)
      .innerJoin(banks, eq(banks.id, outbox.bankId))
      .where(and(isNull(outbox.deliveredAt), isNull(outbox.deadAt), lte(outbox.nextAttemptAt, now), isNotNull(outbox.seq),
        // Written out qualified: both tables are in this query.
        sql`"banks"."webhook_url" is not null and "outbox"."created_at" >= "banks"."webhook_since"`))
      .orderBy(outbox.id).limit(batch).for('update', { of: outbox, skipLocked: true });
    if (rows.length) await tx.update(outbox).set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS) }).where(inArray(outbox.id, rows.map((r) => r.row.id)));
    return rows.map((r) => ({ row: r.row, url: r.url!, secret: r.secret! }));
  });
  const result = { delivered: 0, failed: 0, dead: 0 };
  for (const { row, url, secret } of claimed) {
    const body = deliveryBody(row);
    const timestamp = String(Math.floor(now.getTime() / 1000));
    let status: number | null = null;
    let error: string | null = null;
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    try {
      status = await postChecked(deps, url, {
        'content-type': 'application/json', 'user-agent': 'Rongma-Webhook/1', 'x-rongma-delivery': row.deliveryId, 'x-rongma-timestamp': timestamp, 'x-rongma-signature': signature(secret, timestamp, body),
      }, body, signal);
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (err) {
      error = signal.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : (err as Error).message.slice(0, 200);
    }
    const attempts = row.attempts + 1;
    const done = deps.clock.now();
    if (error === null) {
      await deps.db.update(outbox).set({ deliveredAt: done, attempts, lastStatus: status, lastError: null }).where(eq(outbox.id, row.id));
      result.delivered++;
    } else if (attempts >= MAX_ATTEMPTS) {
      await deps.db.update(outbox).set({ deadAt: done, attempts, lastStatus: status, lastError: error }).where(eq(outbox.id, row.id));
      deps.logger.warn({ deliveryId: row.deliveryId, bankId: row.bankId, attempts }, 'webhook delivery dead-lettered');
      result.dead++;
    } else {
      await deps.db.update(outbox).set({ attempts, lastStatus: status, lastError: error, nextAttemptAt: new Date(done.getTime() + backoffMs(attempts)) }).where(eq(outbox.id, row.id));
      result.failed++;
    }
  }
  return result;
}
