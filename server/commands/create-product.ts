import { ConflictError, ValidationError } from '../errors';
import { isUniqueViolation } from '../pg-errors';
import { bankExists } from '../../models/banks';
import { insertVersion, productIdByCode } from '../../models/product-versions';
import type { ProductWithBank } from '../../models/products';
import type { CreateProductInput } from '../../routes/products/schema';
import type { CommandArgs } from './command';
import { auditProduct, reloadProduct } from './product-work';

/** A new product, as a draft. A bank admin's product is always of their own bank. */
export async function createProduct({ db, actor, input, now, ip }: CommandArgs<CreateProductInput>): Promise<ProductWithBank> {
  const bankId = actor.role === 'bank_admin' ? actor.bankId! : input.bankId;
  if (bankId === undefined) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId is required' }]);
  const { bankId: _b, code, ...fields } = input;
  try {
    return await db.transaction(async (tx) => {
      if (!(await bankExists(tx, bankId))) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId names no bank' }]);
      const taken = await productIdByCode(tx, bankId, code);
      if (taken !== undefined) throw new ConflictError({ code: 'product_code_taken', detail: `The bank already has a product with code ${code}.`, extra: { productId: taken } });
      const row = await insertVersion(tx, { bankId, code, version: 1, status: 'draft', fields, actor, now });
      await auditProduct(tx, actor, 'product.create', row, { ip });
      return reloadProduct(tx, row.id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError({ code: 'product_code_taken', detail: `The bank already has a product with code ${code}.` });
    throw err;
  }
}
