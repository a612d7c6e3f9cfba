import { lockVersion, publishVersion } from '../../models/product-versions';
import type { ProductWithBank } from '../../models/products';
import type { CommandArgs } from './command';
import { productNotFound } from './not-found';
import { auditProduct, expectUnchanged, reloadProduct, wrongStatus } from './product-work';

/** The desk publishes a draft it has read (409 if the bank changed it since): it goes live, replacing the live version. */
export async function publishProduct({ db, actor, input, now, ip }: CommandArgs<{ id: number; expectedUpdatedAt: Date }>): Promise<ProductWithBank> {
  return db.transaction(async (tx) => {
    const found = (await lockVersion(tx, input.id))?.found;
    if (!found) throw productNotFound();
    if (found.product.status !== 'draft') throw wrongStatus(found.product.status, `Only a draft can be published; this version is ${found.product.status}.`);
    await expectUnchanged(tx, found, input.expectedUpdatedAt, now);
    const row = await publishVersion(tx, found.product, now, actor);
    await auditProduct(tx, actor, 'product.publish', row, { before: found.product, ip });
    return reloadProduct(tx, input.id);
  });
}
