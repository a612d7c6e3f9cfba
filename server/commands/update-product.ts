import { ConflictError } from '../errors';
import { isUniqueViolation } from '../pg-errors';
import { productEditable } from '../policies';
import { lockVersion } from '../../models/product-versions';
import { productFields, type ProductWithBank } from '../../models/products';
import type { UpdateProductInput } from '../../routes/products/schema';
import type { CommandArgs } from './command';
import { productNotFound } from './not-found';
import { reloadProduct, reviseProduct, wrongStatus } from './product-work';

/**
 * Edits a product version by id. A draft changes in place; a published product gets a new draft version (the
 * published one stays live until the desk publishes the draft), unless it has a draft already (409: edit that
 * one); a retired version cannot change.
 */
export async function updateProduct({ db, actor, input: { id, ...patch }, now, ip }: CommandArgs<{ id: number } & UpdateProductInput>): Promise<{ product: ProductWithBank; newVersion: boolean }> {
  try {
    return await db.transaction(async (tx) => {
      const locked = await lockVersion(tx, id, productEditable(actor));
      if (!locked) throw productNotFound();
      const { found: { product: current }, family } = locked;
      if (current.status === 'retired') throw wrongStatus('retired', 'A retired product version cannot be edited.');
      const draft = family.find((r) => r.status === 'draft');
      if (current.status === 'published' && draft) throw new ConflictError({ code: 'draft_exists', detail: `This product already has a draft (id ${draft.id}); edit that draft.`, extra: { draftId: draft.id } });
      const { row, newVersion } = await reviseProduct(tx, family, { ...productFields(current), ...patch }, actor, now, ip);
      return { product: await reloadProduct(tx, row.id), newVersion };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError({ code: 'draft_exists', detail: 'This product already has a draft; edit that draft.' });
    throw err;
  }
}
