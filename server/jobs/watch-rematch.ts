import { shanghaiDate } from '../domain/lpr';
import { lastRematchAt, publishedSince, rematchWatches } from '../watches/rematch';
import type { Job } from './job';

const MARGIN_MS = 10 * 60_000;

/**
 * Re-matches watches against the products published since its last run, checking every minute (the
 * publish hook: publishing only stamps published_at, and any instance's next minute picks it up after
 * commit), and against every product once a Shanghai day for what time changes (years in operation).
 */
export const watchRematch: Job = {
  name: 'watch-rematch',
  schedule: '0 * * * * *',
  description: 'Re-matches every active watch with the batch matcher after a product is published, and once a day; texts a watcher newly eligible products (at most once a day).',
  async run(deps) {
    const last = await lastRematchAt(deps, 'watch-rematch');
    const now = deps.clock.now();
    // Once a Shanghai day, every product (time changes years in operation).
    if (!last || shanghaiDate(last) !== shanghaiDate(now)) return rematchWatches(deps);
    // Otherwise the products published since the last run, looking back a margin: a publish stamped before
    // that run but committed after it still counts (re-matching twice tells nobody twice).
    const fresh = await publishedSince(deps, new Date(last.getTime() - MARGIN_MS));
    if (fresh.length === 0) return { watches: 0, pairs: 0, notified: 0 };
    return rematchWatches(deps, { onlyProductIds: fresh });
  },
};
