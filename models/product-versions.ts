import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Actor } from '../server/auth';
import type { Executor } from '../server/db';
import type { ProductStatus } from '../server/domain/catalogue';
import { banks } from './banks';
import { recordReview } from './product-reviews';
import { findProduct, lockFamily, productColumns, products, type ProductFields, type ProductRow, type ProductWithBank } from './products';

export async function insertVersion(tx: Executor, v: { bankId: number; code: string; version: number; status: ProductStatus; fields: ProductFields; actor?: Actor; now: Date }): Promise<ProductRow> {
  const [row] = await tx.insert(products).values({
    bankId: v.bankId, code: v.code, version: v.version, status: v.status, ...productColumns(v.fields),
    createdBy: v.actor?.id ?? null, updatedBy: v.actor?.id ?? null, createdAt: v.now, updatedAt: v.now,
    publishedAt: v.status === 'published' ? v.now : null,
  }).returning();
  return row!;
}

/**
 * Makes a draft the live version of its product; the version it replaces is retired, pointing at it.
 * Every way of publishing (the desk's review, an import) leaves a `published` review of the draft.
 */
export async function publishVersion(tx: Executor, draft: ProductRow, now: Date, actor?: Actor): Promise<ProductRow> {
  const family = await lockFamily(tx, draft.bankId, draft.code);
  const live = family.find((r) => r.status === 'published');
  if (live) {
    await tx.update(products).set({ status: 'retired', retiredAt: now, supersededById: draft.id, updatedAt: now, updatedBy: actor?.id ?? null })
      .where(eq(products.id, live.id));
  }
  const [row] = await tx.update(products).set({ status: 'published', publishedAt: now, updatedAt: now, updatedBy: actor?.id ?? null })
    .where(eq(products.id, draft.id)).returning();
  await recordReview(tx, { product: row!, action: 'published', actorId: actor?.id, at: now });
  return row!;
}

/** Takes a published version off offer. */
export async function retireVersion(tx: Executor, id: number, now: Date, actor: Actor): Promise<ProductRow> {
  const [row] = await tx.update(products).set({ status: 'retired', retiredAt: now, updatedAt: now, updatedBy: actor.id }).where(eq(products.id, id)).returning();
  return row!;
}

/** Writes new fields into a draft, stamped `at`. */
export async function rewriteDraft(tx: Executor, id: number, fields: ProductFields, at: Date, actor: Actor): Promise<ProductRow> {
  const [row] = await tx.update(products).set({ ...productColumns(fields), updatedAt: at, updatedBy: actor.id }).where(eq(products.id, id)).returning();
  return row!;
}

/**
 * Version `id` with every version of its product locked. The family lock is always taken first (bank and
 * code never change, so they are looked up without a lock), then the version is read again under it: every
 * write to a product locks the same rows in the same order, so two writes wait for each other instead of
 * deadlocking.
 */
export async function lockVersion(tx: Executor, id: number, visibility?: SQL): Promise<{ found: ProductWithBank; family: ProductRow[] } | undefined> {
  const found = await findProduct(tx, id, visibility);
  if (!found) return undefined;
  const family = await lockFamily(tx, found.product.bankId, found.product.code);
  const product = family.find((r) => r.id === id);
  return product ? { found: { ...found, product }, family } : undefined;
}

/** The id of a bank's product with this code (any version), if there is one. */
export async function productIdByCode(db: Executor, bankId: number, code: string): Promise<number | undefined> {
  const [row] = await db.select({ id: products.id }).from(products).where(and(eq(products.bankId, bankId), eq(products.code, code))).limit(1);
  return row?.id;
}

/** Bank ids by code, for import rows. */
export async function bankIdsByCode(db: Executor, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select({ id: banks.id, code: banks.code }).from(banks).where(inArray(banks.code, codes));
  return new Map(rows.map((r) => [r.code, r.id]));
}
