import { and, eq, inArray, ne, or, type SQL } from 'drizzle-orm';
import type { Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import type { Executor } from '../../server/db';
import { ConflictError, NotFoundError, ValidationError } from '../../server/errors';
import type { Paging } from '../../server/schemas';
import { currentRequestId } from '../../server/middleware/request-context';
import { isUniqueViolation } from '../../server/pg-errors';
import { recordAudit } from '../../models/audit';
import { banks } from '../../models/banks';
import { familyReviews, latestReviews, recordReview, type FamilyReview } from '../../models/product-reviews';
import { presentProduct } from './present';
import {
  findProduct, lockFamily, productColumns, productFields, products,
  type ProductFields, type ProductRow, type ProductWithBank,
} from '../../models/products';
import type { CreateProductInput, UpdateProductInput } from './schema';
import type { ProductStatus } from '../../server/domain/catalogue';

export const productNotFound = () => new NotFoundError({ code: 'product_not_found', detail: 'No such product.' });

function wrongStatus(current: ProductStatus, detail: string) {
  return new ConflictError({ code: 'invalid_status', detail, extra: { currentStatus: current } });
}

const seesAllBanks = (actor?: Actor) => actor?.role === 'desk' || actor?.role === 'admin';

/**
 * What a caller may see. Lists show published versions to everyone; reading by id also reaches
 * retired versions (leads keep pointing at them). Drafts are seen only by their own bank's admin,
 * the desk and admins.
 */
export function productVisibility(actor: Actor | undefined, mode: 'list' | 'read'): SQL | undefined {
  if (seesAllBanks(actor)) return undefined;
  const open = mode === 'list' ? eq(products.status, 'published') : ne(products.status, 'draft');
  if (actor?.role === 'bank_admin') return or(open, eq(products.bankId, actor.bankId ?? -1));
  return open;
}

/**
 * Versions a caller may change the fields of: everything for admins, their own bank's for a bank admin.
 * The desk reviews, it does not rewrite: its routes refuse it, and here it would match nothing.
 */
function editable(actor: Actor): SQL | undefined {
  return actor.role === 'admin' ? undefined : eq(products.bankId, actor.bankId ?? -1);
}

/** Products whose review history a caller may read: all for the desk and admins, their own bank's for its staff. */
function reviewable(actor: Actor): SQL | undefined {
  return seesAllBanks(actor) ? undefined : eq(products.bankId, actor.bankId ?? -1);
}

/** One audit row for a product version (as every write leaves), with the client's address when there is a request. */
export function auditProduct(tx: Executor, actor: Actor, action: string, p: ProductRow, o: { before?: ProductRow; extra?: Record<string, unknown>; ip?: string } = {}) {
  const { before, extra, ip } = o;
  return recordAudit(tx, {
    actor, action, entity: 'product', entityId: p.id, bankId: p.bankId,
    before: before ? { status: before.status, version: before.version, ...productFields(before) } : null,
    after: { status: p.status, version: p.version, code: p.code, ...productFields(p), ...extra },
    ip, requestId: currentRequestId(),
  });
}

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

/**
 * Version `id` with every version of its product locked. The family lock is always taken first (bank and
 * code never change, so they are looked up without a lock), then the version is read again under it: every
 * write to a product locks the same rows in the same order, so two writes wait for each other instead of
 * deadlocking.
 */
async function lockVersion(tx: Executor, id: number, visibility?: SQL): Promise<{ found: ProductWithBank; family: ProductRow[] } | undefined> {
  const found = await findProduct(tx, id, visibility);
  if (!found) return undefined;
  const family = await lockFamily(tx, found.product.bankId, found.product.code);
  const product = family.find((r) => r.id === id);
  return product ? { found: { ...found, product }, family } : undefined;
}

async function reload(tx: Executor, id: number): Promise<ProductWithBank> {
  return (await findProduct(tx, id))!;
}

/** A new product, as a draft. A bank admin's product is always of their own bank. */
export async function createProduct(ctx: AppContext, actor: Actor, input: CreateProductInput, ip?: string): Promise<ProductWithBank> {
  const bankId = actor.role === 'bank_admin' ? actor.bankId! : input.bankId;
  if (bankId === undefined) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId is required' }]);
  const { bankId: _b, code, ...fields } = input;
  try {
    return await ctx.db.transaction(async (tx) => {
      const [bank] = await tx.select({ id: banks.id }).from(banks).where(eq(banks.id, bankId));
      if (!bank) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId names no bank' }]);
      const [taken] = await tx.select({ id: products.id }).from(products).where(and(eq(products.bankId, bankId), eq(products.code, code))).limit(1);
      if (taken) throw new ConflictError({ code: 'product_code_taken', detail: `The bank already has a product with code ${code}.`, extra: { productId: taken.id } });
      const row = await insertVersion(tx, { bankId, code, version: 1, status: 'draft', fields, actor, now: ctx.clock.now() });
      await auditProduct(tx, actor, 'product.create', row, { ip });
      return reload(tx, row.id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError({ code: 'product_code_taken', detail: `The bank already has a product with code ${code}.` });
    throw err;
  }
}

/**
 * The one rule for revising a product, its family locked by the caller: its draft is edited in place; without
 * one, the fields become a new draft version after the newest (the live version stays live until the desk
 * publishes the draft; a family of retired versions only gets its next version as a draft). Audited as
 * product.update or product.new_version. Which version a caller may address is each route's to say.
 */
export async function reviseProduct(tx: Executor, family: ProductRow[], fields: ProductFields, actor: Actor, now: Date, ip?: string): Promise<{ row: ProductRow; newVersion: boolean }> {
  const draft = family.find((r) => r.status === 'draft');
  if (draft) {
    const [row] = await tx.update(products).set({ ...productColumns(fields), updatedAt: nextStamp(draft.updatedAt, now), updatedBy: actor.id }).where(eq(products.id, draft.id)).returning();
    await auditProduct(tx, actor, 'product.update', row!, { before: draft, ip });
    return { row: row!, newVersion: false };
  }
  const newest = family[0]!;
  const row = await insertVersion(tx, { bankId: newest.bankId, code: newest.code, version: newest.version + 1, status: 'draft', fields, actor, now });
  await auditProduct(tx, actor, 'product.new_version', row, { before: family.find((r) => r.status === 'published') ?? newest, ip });
  return { row, newVersion: true };
}

/**
 * Edits a product version by id. A draft changes in place; a published product gets a new draft version (the
 * published one stays live until the desk publishes the draft), unless it has a draft already (409: edit that
 * one); a retired version cannot change.
 */
export async function updateProduct(ctx: AppContext, actor: Actor, id: number, patch: UpdateProductInput, ip?: string): Promise<{ product: ProductWithBank; newVersion: boolean }> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const locked = await lockVersion(tx, id, editable(actor));
      if (!locked) throw productNotFound();
      const { found: { product: current }, family } = locked;
      if (current.status === 'retired') throw wrongStatus('retired', 'A retired product version cannot be edited.');
      const draft = family.find((r) => r.status === 'draft');
      if (current.status === 'published' && draft) throw new ConflictError({ code: 'draft_exists', detail: `This product already has a draft (id ${draft.id}); edit that draft.`, extra: { draftId: draft.id } });
      const { row, newVersion } = await reviseProduct(tx, family, { ...productFields(current), ...patch }, actor, ctx.clock.now(), ip);
      return { product: await reload(tx, row.id), newVersion };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError({ code: 'draft_exists', detail: 'This product already has a draft; edit that draft.' });
    throw err;
  }
}

/**
 * When an edit is saved: now, or a millisecond after the previous save when the clock has not moved on, so
 * that every edit of a draft changes its `updatedAt` (the version the desk's review names).
 */
export const nextStamp = (previous: Date, now: Date) => (now > previous ? now : new Date(previous.getTime() + 1));

/** Refuses a publish or return of a draft that changed after the desk read it (409 `draft_changed`, with the current version). */
async function expectUnchanged(tx: Executor, found: ProductWithBank, expectedUpdatedAt: Date, now: Date): Promise<void> {
  if (found.product.updatedAt.getTime() === expectedUpdatedAt.getTime()) return;
  const reviews = await latestReviews(tx, [found.product.id]);
  throw new ConflictError({
    code: 'draft_changed', detail: 'The bank changed this draft after you opened it; review the current version and try again. Nothing was done.',
    extra: { current: presentProduct(found, now, reviews.get(found.product.id)) },
  });
}

export async function publishProduct(ctx: AppContext, actor: Actor, id: number, expectedUpdatedAt: Date, ip?: string): Promise<ProductWithBank> {
  return ctx.db.transaction(async (tx) => {
    const found = (await lockVersion(tx, id))?.found;
    if (!found) throw productNotFound();
    if (found.product.status !== 'draft') throw wrongStatus(found.product.status, `Only a draft can be published; this version is ${found.product.status}.`);
    await expectUnchanged(tx, found, expectedUpdatedAt, ctx.clock.now());
    const row = await publishVersion(tx, found.product, ctx.clock.now(), actor);
    await auditProduct(tx, actor, 'product.publish', row, { before: found.product, ip });
    return reload(tx, id);
  });
}

export async function retireProduct(ctx: AppContext, actor: Actor, id: number, ip?: string): Promise<ProductWithBank> {
  return ctx.db.transaction(async (tx) => {
    const found = (await lockVersion(tx, id))?.found;
    if (!found) throw productNotFound();
    if (found.product.status !== 'published') throw wrongStatus(found.product.status, `Only a published product can be retired; this version is ${found.product.status}.`);
    const now = ctx.clock.now();
    const [row] = await tx.update(products).set({ status: 'retired', retiredAt: now, updatedAt: now, updatedBy: actor.id }).where(eq(products.id, id)).returning();
    await recordReview(tx, { product: row!, action: 'retired', actorId: actor.id, at: now });
    await auditProduct(tx, actor, 'product.retire', row!, { before: found.product, ip });
    return reload(tx, id);
  });
}

/** The desk sends a draft back to its bank with a comment; the draft stays a draft, waiting on the bank. */
export async function returnProduct(ctx: AppContext, actor: Actor, id: number, comment: string, expectedUpdatedAt: Date, ip?: string): Promise<ProductWithBank> {
  return ctx.db.transaction(async (tx) => {
    const found = (await lockVersion(tx, id))?.found;
    if (!found) throw productNotFound();
    if (found.product.status !== 'draft') throw wrongStatus(found.product.status, `Only a draft can be returned to its bank; this version is ${found.product.status}.`);
    await expectUnchanged(tx, found, expectedUpdatedAt, ctx.clock.now());
    await recordReview(tx, { product: found.product, action: 'returned', comment, actorId: actor.id, at: ctx.clock.now() });
    await auditProduct(tx, actor, 'product.return', found.product, { extra: { comment }, ip });
    return reload(tx, id);
  });
}

/**
 * The review history of the product (all its versions) that version `id` belongs to, as far as the caller
 * may read the versions: another bank's product, or a draft an officer cannot open, is a 404, and an
 * officer reads no review of a draft through the family either.
 */
export async function productReviewHistory(ctx: AppContext, actor: Actor, id: number, paging: Paging): Promise<{ rows: FamilyReview[]; total: number }> {
  const readable = productVisibility(actor, 'read');
  const found = await findProduct(ctx.db, id, and(reviewable(actor), readable));
  if (!found) throw productNotFound();
  return familyReviews(ctx.db, found.product, paging, readable);
}

/** Bank ids by code, for import rows. */
export async function bankIdsByCode(db: Executor, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select({ id: banks.id, code: banks.code }).from(banks).where(inArray(banks.code, codes));
  return new Map(rows.map((r) => [r.code, r.id]));
}
