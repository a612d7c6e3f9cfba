import { desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { companies } from './applications';
import { coachingCases } from './coaching';
import { consultations } from './consultations';
import { products } from './products';

/** Which of these product ids exist (any status: the desk may discuss a product being retired). */
export async function existingProductIds(db: Executor, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectDistinct({ id: products.id }).from(products).where(inArray(products.id, ids));
  return new Set(rows.map((r) => r.id));
}

export interface KnownCompany {
  uscc: string;
  name: string;
  district: string | null;
  industry: string | null;
  /** Where the name comes from: a request the company sent, a consultation, or a coaching case. */
  source: 'application' | 'consultation' | 'coaching';
  seenAt: Date;
}

/** A company's name as it last reached the service: its own requests first, then the desk's records. */
export async function knownCompany(db: Executor, uscc: string): Promise<KnownCompany | undefined> {
  const [c] = await db.select().from(companies).where(eq(companies.uscc, uscc));
  if (c) return { uscc, name: c.name, district: c.district, industry: c.industry, source: 'application', seenAt: c.updatedAt };
  const [k] = await db.select().from(consultations).where(eq(consultations.uscc, uscc)).orderBy(desc(consultations.createdAt)).limit(1);
  if (k) return { uscc, name: k.companyName, district: null, industry: null, source: 'consultation', seenAt: k.createdAt };
  const [cc] = await db.select().from(coachingCases).where(eq(coachingCases.uscc, uscc)).orderBy(desc(coachingCases.openedAt)).limit(1);
  if (cc) return { uscc, name: cc.companyName, district: null, industry: null, source: 'coaching', seenAt: cc.openedAt };
  return undefined;
}
