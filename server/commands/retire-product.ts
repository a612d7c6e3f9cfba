import { recordReview } from '../../models/product-reviews';
import { lockVersion, retireVersion } from '../../models/product-versions';
import type { ProductWithBank } from '../../models/products';
import type { CommandArgs } from './command';
import { productNotFound } from './not-found';
import { auditProduct, reloadProduct, wrongStatus } from './product-work';

/** The desk takes a published product off offer; leads keep pointing at the retired version. */
export async function retireProduct({ db, actor, input, now, ip }: CommandArgs<{ id: number }>): Promise<ProductWithBank> {
  return db.transaction(async (tx) => {
    const found = (await lockVersion(tx, input.id))?.found;
    if (!found) throw productNotFound();
    if (found.product.status !== 'published') throw wrongStatus(found.product.status, `Only a published product can be retired; this version is ${found.product.status}.`);
    const row = await retireVersion(tx, input.id, now, actor);
    await recordReview(tx, { product: row, action: 'retired', actorId: actor.id, at: now });
    await auditProduct(tx, actor, 'product.retire', row, { before: found.product, ip });
    return reloadProduct(tx, input.id);
  });
}
