import { shanghaiDate } from '../domain/lpr';
import { lastRematchAt, publishedSince, rematchWatches } from '../watches/rematch';
import type { Job } from './job';

const MARGIN_MS = 10 * 60_000;

/**
 * Re-matches watches every minute that a product has been published since the last run (the publish
 * hook: publishing only stamps published_at, and any instance's next minute picks it up after commit),
 * and once a Shanghai day for what time changes (years in operation).
 */
export const watchRematch: Job = {
  name: 'watch-rematch',
  schedule: '0 * * * * *',
  description: 'Re-matches every active watch with the batch matcher after a product is published, and once a day; texts a watcher newly eligible products (at most once a day).',
  async run(deps) {
    const last = await lastRematchAt(deps, 'watch-rematch');
    const now = deps.clock.now();
    // Looking back a margin past the last run: a publish stamped before that run but committed after it still counts.
    const due = !last || shanghaiDate(last) !== shanghaiDate(now) || (await publishedSince(deps, new Date(last.getTime() - MARGIN_MS)));
    if (!due) return { watches: 0, pairs: 0, notified: 0 };
    return rematchWatches(deps);
  },
};
