import { recordReview } from '../../models/product-reviews';
import { lockVersion } from '../../models/product-versions';
import type { ProductWithBank } from '../../models/products';
import type { CommandArgs } from './command';
import { productNotFound } from './not-found';
import { auditProduct, expectUnchanged, reloadProduct, wrongStatus } from './product-work';

/** The desk sends a draft back to its bank with a comment; the draft stays a draft, waiting on the bank. */
export async function returnProduct({ db, actor, input, now, ip }: CommandArgs<{ id: number; comment: string; expectedUpdatedAt: Date }>): Promise<ProductWithBank> {
  return db.transaction(async (tx) => {
    const found = (await lockVersion(tx, input.id))?.found;
    if (!found) throw productNotFound();
    if (found.product.status !== 'draft') throw wrongStatus(found.product.status, `Only a draft can be returned to its bank; this version is ${found.product.status}.`);
    await expectUnchanged(tx, found, input.expectedUpdatedAt, now);
    await recordReview(tx, { product: found.product, action: 'returned', comment: input.comment, actorId: actor.id, at: now });
    await auditProduct(tx, actor, 'product.return', found.product, { extra: { comment: input.comment }, ip });
    return reloadProduct(tx, input.id);
  });
}
