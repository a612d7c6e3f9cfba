import { and, desc, eq, gte } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { applications } from './applications';

/** A phone's requests since a time, newest first: what a verified phone may recover (SPEC "lookup"). */
export async function applicationsOfPhone(db: Executor, phone: string, since: Date) {
  return db.select({ id: applications.id, createdAt: applications.createdAt, status: applications.status, trackingToken: applications.trackingToken })
    .from(applications).where(and(eq(applications.contactPhone, phone), gte(applications.createdAt, since)))
    .orderBy(desc(applications.createdAt), desc(applications.id)).limit(100);
}
