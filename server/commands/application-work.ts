import type { Executor } from '../db';
import { ConflictError } from '../errors';
import type { ApplicationRow } from '../../models/applications';
import { findApplicationByToken } from '../../models/applications-queries';
import { applicationNotFound } from './not-found';

/** The request behind a tracking link (locked with `lock`), or 404. */
export async function applicationByToken(db: Executor, token: string, lock = false): Promise<ApplicationRow> {
  const application = await findApplicationByToken(db, token, lock);
  if (!application) throw applicationNotFound();
  return application;
}

/** 409 unless the request is still open. */
export function assertOpen(a: ApplicationRow): void {
  if (a.status !== 'open') throw new ConflictError({ code: 'invalid_status', detail: `The request is already ${a.status}.`, extra: { currentStatus: a.status } });
}
