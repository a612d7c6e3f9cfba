import { and, desc, eq, gt, isNotNull } from 'drizzle-orm';
import { BatchMatcher } from '../../matchers/batch';
import { toFacts, type CompanyProfile, type Facts, type Need } from '../../matchers/facts';
import type { Matcher } from '../../matchers/matcher';
import { jobRuns } from '../../models/jobs';
import { products } from '../../models/products';
import { shortCodesFor } from '../../models/short-links';
import { activeWatchesAfter, markToldMany, toldIds, type WatchToMatch } from '../../models/watches';
import { Catalogue } from '../catalogue';
import { readyFromWatches } from '../coaching';
import type { JobDeps } from '../jobs/job';
import { shanghaiDate } from '../domain/lpr';
import { queueSmsMany } from '../sms/outbox';

const BATCH = 5000;
/** Watches told per write transaction (bounded by PostgreSQL's 65535 parameters per statement). */
const WRITE_CHUNK = 1000;
/** Write transactions in flight at once (the pool keeps one connection for reading, one for the coaching check). */
const WRITERS = 2;

/** Product ids a profile is eligible for now: the batch evaluator for complete profiles, the explaining one otherwise. */
function eligibleIds(matcher: Matcher, batch: BatchMatcher, facts: Facts[], only?: Set<number>): number[][] {
  const out: number[][] = facts.map(() => []);
  const complete: number[] = [];
  facts.forEach((f, i) => {
    if (f.size !== undefined && f.district !== undefined && f.monthsInOperation !== undefined) complete.push(i);
    else out[i] = matcher.match(f).filter((r) => r.eligible && (!only || only.has(r.product.id))).map((r) => r.product.id);
  });
  if (complete.length && batch.n) {
    const cols = batch.encode(complete.map((i) => facts[i]!));
    const N = cols.count;
    const eligible = new Uint8Array(N * batch.n);
    batch.run(cols, eligible, new Uint8Array(N * batch.n), { scoreAll: false });
    for (let p = 0; p < batch.n; p++) {
      const id = batch.products[p]!.source.id;
      for (let k = 0; k < N; k++) if (eligible[p * N + k]) out[complete[k]!]!.push(id);
    }
  }
  return out;
}

export const factsOfWatch = (w: Pick<WatchToMatch, 'company' | 'need'>, today: string) => toFacts(w.company as CompanyProfile, w.need as Need, today);

/** The products the watch is eligible for when it is made: they count as told. */
export function eligibleNow(matcher: Matcher, company: CompanyProfile, need: Need, now: Date): number[] {
  return matcher.match(toFacts(company, need, shanghaiDate(now))).filter((r) => r.eligible).map((r) => r.product.id);
}

/**
 * Re-matches every active watch against the published catalogue, streaming watches in id order in
 * batches through the batch matcher. A watch eligible for products it has not been told of gets one
 * SMS naming them (at most one a Shanghai day: a watch told today waits for tomorrow's run), queued in
 * the transaction that records them as told. After a publish (`onlyProductIds`) the database leaves out
 * the watches already told of every new product (the daily full run still sees every watch, for coaching
 * readiness too). Reading and matching the next batch overlaps writing
 * (a bounded number of chunks in flight: memory stays bounded); each chunk commits on its own, so a run
 * killed midway leaves every watch either told with its message queued or untold, and the next run
 * finishes it.
 */
export async function rematchWatches(deps: Pick<JobDeps, 'db' | 'clock' | 'logger' | 'config'>, o: { onlyProductIds?: number[] } = {}): Promise<{ watches: number; pairs: number; notified: number }> {
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const matcher = await new Catalogue(deps.db, deps.clock, deps.logger).current();
  // After a publish only the new products can be news (time's changes wait for the daily full run).
  const only = o.onlyProductIds ? new Set(o.onlyProductIds) : undefined;
  const batch = new BatchMatcher(only ? matcher.compiled.filter((c) => only.has(c.source.id)) : matcher.compiled);
  if (only && batch.n === 0) return { watches: 0, pairs: 0, notified: 0 };
  const names = new Map(matcher.compiled.map((c) => [c.source.id, `${c.source.bankName}${c.source.name}`]));
  const counts = { watches: 0, pairs: 0, notified: 0 };
  const untoldOf = only ? batch.products.map((p) => p.source.id) : undefined;
  // Both run while this loop does something else: a rejection must count as handled until it is awaited.
  const pending = <T>(p: Promise<T>): Promise<T> => {
    void p.catch(() => undefined);
    return p;
  };
  // Chunks of watches to tell, committed WRITERS at a time (their rows are disjoint: other watches, keys
  // and paths, so they never wait on each other); reading waits only when all of them are busy.
  const writes = new Set<Promise<void>>();
  const write = async (chunk: Due[]) => {
    while (writes.size >= WRITERS) await Promise.race(writes);
    const w: Promise<void> = pending(tell(deps, chunk, names, today, now).then((n) => {
      counts.notified += n;
      writes.delete(w);
    }));
    writes.add(w);
  };
  let due: Due[] = [];
  let next = pending(activeWatchesAfter(deps.db, 0, now, BATCH, untoldOf));
  try {
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      next = pending(activeWatchesAfter(deps.db, rows[rows.length - 1]!.id, now, BATCH, untoldOf));
      counts.watches += rows.length;
      const ids = eligibleIds(matcher, batch, rows.map((w) => factsOfWatch(w, today)), only);
      // A coaching case on a watched company turns ready when the watch finds one of its targets eligible.
      await readyFromWatches(deps.db, rows.map((w, i) => ({ uscc: (w.company as CompanyProfile).uscc, productIds: ids[i]! })), now);
      for (let i = 0; i < rows.length; i++) {
        const w = rows[i]!;
        counts.pairs += ids[i]!.length;
        if (ids[i]!.length === 0 || (w.lastNotifiedAt && shanghaiDate(w.lastNotifiedAt) === today)) continue;
        const told = new Set(toldIds(w.told));
        const fresh = ids[i]!.filter((id) => !told.has(id));
        if (fresh.length) due.push({ id: w.id, token: w.token, phone: w.phone, fresh });
        if (due.length === WRITE_CHUNK) {
          await write(due);
          due = [];
        }
      }
    }
    if (due.length) await write(due);
    while (writes.size) await Promise.race(writes);
  } finally {
    // A failed read or write stops the run only once nothing else is in flight.
    await Promise.allSettled([...writes, next]);
  }
  return counts;
}

/** A watch with news: only what its message and its told products need (the batch's rows can go). */
interface Due { id: number; token: string; phone: string; fresh: number[] }

/**
 * Queues the messages of a chunk of watches and records what they were told, in one transaction of a
 * few statements (short links, messages, watches), each taking its rows as array parameters: a publish
 * that fits a million watches writes in hundreds of statements, not millions. A message the phone's
 * daily limit skips leaves its watch untold: the next daily run tells it.
 */
async function tell(deps: Pick<JobDeps, 'db'>, due: Due[], names: Map<number, string>, today: string, now: Date): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const codes = await shortCodesFor(tx, due.flatMap((w) => [`/apply?w=${w.token}`, `/watch/${w.token}`]), now);
    const queued = await queueSmsMany(tx, null, due.map(({ id, token, phone, fresh }) => ({
      phone, template: 'watch' as const, watchId: id, dedupeKey: `watch:${id}:${today}`,
      params: {
        count: String(fresh.length), products: fresh.slice(0, 2).map((p) => names.get(p)).join('、') + (fresh.length > 2 ? '等' : ''),
        link: `/t/${codes.get(`/apply?w=${token}`)}`, stop: `/t/${codes.get(`/watch/${token}`)}`,
      },
    })), now);
    const told = due.filter((w) => queued.has(`watch:${w.id}:${today}`)).map((w) => ({ id: w.id, productIds: w.fresh }));
    await markToldMany(tx, told, now);
    return told.length;
  });
}

/** The products published since a time (the publish hook: the job re-matches against them only then). */
export async function publishedSince(deps: Pick<JobDeps, 'db'>, since: Date): Promise<number[]> {
  const rows = await deps.db.select({ id: products.id }).from(products).where(and(eq(products.status, 'published'), isNotNull(products.publishedAt), gt(products.publishedAt, since)));
  return rows.map((r) => r.id);
}

/** When the last successful re-match started. */
export async function lastRematchAt(deps: Pick<JobDeps, 'db'>, job: string): Promise<Date | null> {
  const [row] = await deps.db.select({ startedAt: jobRuns.startedAt }).from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.outcome, 'ok'))).orderBy(desc(jobRuns.id)).limit(1);
  return row?.startedAt ?? null;
}
