import type { Actor } from '../auth';
import type { Executor } from '../db';
import type { ProductStatus } from '../domain/catalogue';
import { ConflictError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { recordAudit } from '../../models/audit';
import { latestReviews } from '../../models/product-reviews';
import { insertVersion, rewriteDraft } from '../../models/product-versions';
import { findProduct, productFields, type ProductFields, type ProductRow, type ProductWithBank } from '../../models/products';
import { presentProduct } from '../../routes/products/present';

/** 409 `invalid_status` with the version's current status. */
export function wrongStatus(current: ProductStatus, detail: string) {
  return new ConflictError({ code: 'invalid_status', detail, extra: { currentStatus: current } });
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

/**
 * When an edit is saved: now, or a millisecond after the previous save when the clock has not moved on, so
 * that every edit of a draft changes its `updatedAt` (the version the desk's review names).
 */
export const nextStamp = (previous: Date, now: Date) => (now > previous ? now : new Date(previous.getTime() + 1));

/**
 * The one rule for revising a product, its family locked by the caller: its draft is edited in place; without
 * one, the fields become a new draft version after the newest (the live version stays live until the desk
 * publishes the draft; a family of retired versions only gets its next version as a draft). Audited as
 * product.update or product.new_version. Which version a caller may address is each command's to say.
 */
export async function reviseProduct(tx: Executor, family: ProductRow[], fields: ProductFields, actor: Actor, now: Date, ip?: string): Promise<{ row: ProductRow; newVersion: boolean }> {
  const draft = family.find((r) => r.status === 'draft');
  if (draft) {
    const row = await rewriteDraft(tx, draft.id, fields, nextStamp(draft.updatedAt, now), actor);
    await auditProduct(tx, actor, 'product.update', row, { before: draft, ip });
    return { row, newVersion: false };
  }
  const newest = family[0]!;
  const row = await insertVersion(tx, { bankId: newest.bankId, code: newest.code, version: newest.version + 1, status: 'draft', fields, actor, now });
  await auditProduct(tx, actor, 'product.new_version', row, { before: family.find((r) => r.status === 'published') ?? newest, ip });
  return { row, newVersion: true };
}

/** Refuses a publish or return of a draft that changed after the desk read it (409 `draft_changed`, with the current version). */
export async function expectUnchanged(tx: Executor, found: ProductWithBank, expectedUpdatedAt: Date, now: Date): Promise<void> {
  if (found.product.updatedAt.getTime() === expectedUpdatedAt.getTime()) return;
  const reviews = await latestReviews(tx, [found.product.id]);
  throw new ConflictError({
    code: 'draft_changed', detail: 'The bank changed this draft after you opened it; review the current version and try again. Nothing was done.',
    extra: { current: presentProduct(found, now, reviews.get(found.product.id)) },
  });
}

/** The version with its bank, as it is now (after a write in the same transaction). */
export async function reloadProduct(tx: Executor, id: number): Promise<ProductWithBank> {
  return (await findProduct(tx, id))!;
}
