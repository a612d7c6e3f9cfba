import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { banks } from '../../models/banks';
import { productFields, products } from '../../models/products';
import { insertVersion } from '../../models/product-versions';

/**
 * Two pending changes for the desk to review on /desk/products, unless drafts are already waiting:
 * a bank lowering the rate and raising the ceiling of a live product (a new version), and a new product.
 */
export async function addDemoDrafts(db: Db, now: Date): Promise<number> {
  const [waiting] = await db.select({ n: sql<number>`count(*)::int` }).from(products).where(eq(products.status, 'draft'));
  if (waiting!.n > 0) return 0;
  const live = await db.select({ p: products }).from(products).innerJoin(banks, eq(banks.id, products.bankId))
    .where(and(eq(products.status, 'published'), eq(banks.code, 'ZQRCB'))).orderBy(products.id).limit(1);
  if (!live.length) return 0;
  const p = live[0]!.p;
  const f = productFields(p);
  await db.transaction(async (tx) => {
    await insertVersion(tx, {
      bankId: p.bankId, code: p.code, version: p.version + 1, status: 'draft', now,
      fields: { ...f, amount: { ...f.amount, max: f.amount.max * 2 }, rate: { min: Math.max(2.5, f.rate.min - 0.2), max: f.rate.max }, description: `${f.description}（2027年起额度提高，利率下调）` },
    });
    await insertVersion(tx, {
      bankId: p.bankId, code: `${p.code}-JADE`, version: 1, status: 'draft', now,
      fields: { ...f, name: '玉器商户经营贷', amount: { min: 100_000, max: 2_000_000 }, termMonths: { min: 6, max: 36 }, description: '面向四会玉器街、广宁玉器市场商户的经营性贷款，可凭存货质押。' },
    });
  });
  return 2;
}
