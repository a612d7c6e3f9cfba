import type { Db } from '../db';
import { cancelWatch, watchByToken, type WatchRow } from '../../models/watches';
import { watchNotFound } from './not-found';

/** The applicant ends a watch by its link: no more messages (404 for a link that names no watch). */
export async function endWatch({ db, input, now }: { db: Db; input: { token: string }; now: Date }): Promise<WatchRow> {
  const w = await watchByToken(db, input.token);
  if (!w) throw watchNotFound();
  return cancelWatch(db, w.id, now);
}
