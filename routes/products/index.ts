import express, { Router, type Request, type Response } from 'express';
import { actorOf, maybeActorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { ValidationError } from '../../server/errors';
import { inputOf, validate } from '../../server/middleware/validate';
import { currentRequestId } from '../../server/middleware/request-context';
import { productReviewable, productVisibility, publisherRoles } from '../../server/policies';
import { idParams, listOf, type Paging } from '../../server/schemas';
import type { CommandArgs } from '../../server/commands/command';
import { createProduct } from '../../server/commands/create-product';
import { importProducts } from '../../server/commands/import-products';
import { productNotFound } from '../../server/commands/not-found';
import { publishProduct } from '../../server/commands/publish-product';
import { retireProduct } from '../../server/commands/retire-product';
import { returnProduct } from '../../server/commands/return-product';
import { updateProduct } from '../../server/commands/update-product';
import { recordAudit } from '../../models/audit';
import { familyReviews, latestReviews } from '../../models/product-reviews';
import { allProducts, findProduct, listProducts, type ProductWithBank } from '../../models/products';
import { fileToRows, importTypes, sendProductFile } from './files';
import { importQuery, type ImportQuery } from './schema';
import { exportRow, presentProduct, presentReview } from './present';
import {
  createProductBody, exportQuery, importFileBody, listProductsQuery, publishProductBody, returnProductBody, reviewsQuery, updateProductBody,
  type CreateProductInput, type ExportQuery, type ListProductsQuery, type UpdateProductInput,
} from './schema';

export function productRoutes(ctx: AppContext): Router {
  /** Versions as the API shows them; a draft carries the desk's comment when its latest review returned it. */
  async function presentAll(rows: ProductWithBank[]) {
    const reviews = await latestReviews(ctx.db, rows.filter((r) => r.product.status === 'draft').map((r) => r.product.id));
    const now = ctx.clock.now();
    return rows.map((r) => presentProduct(r, now, reviews.get(r.product.id)));
  }
  const present = async (row: ProductWithBank) => (await presentAll([row]))[0]!;

  /** The arguments of a command acting for the caller now. */
  const run = <I>(req: Request, res: Response, input: I): CommandArgs<I> => ({ db: ctx.db, actor: actorOf(res), input, now: ctx.clock.now(), ip: req.ip });

  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ListProductsQuery }>(res);
    const { rows, total } = await listProducts(ctx.db, { ...query, status: query.status ?? 'published', visibility: productVisibility(maybeActorOf(res), 'list') });
    res.json(listOf(await presentAll(rows), total, query));
  }

  async function show(_req: Request, res: Response) {
    const { params } = inputOf<{ params: { id: number } }>(res);
    const found = await findProduct(ctx.db, params.id, productVisibility(maybeActorOf(res), 'read'));
    if (!found) throw productNotFound();
    res.json(await present(found));
  }

  async function create(req: Request, res: Response) {
    const { body } = inputOf<{ body: CreateProductInput }>(res);
    const product = await createProduct(run(req, res, body));
    res.status(201).location(`/api/products/${product.product.id}`).json(await present(product));
  }

  async function update(req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number }; body: UpdateProductInput }>(res);
    const { product, newVersion } = await updateProduct(run(req, res, { ...body, id: params.id }));
    if (newVersion) res.status(201).location(`/api/products/${product.product.id}`);
    res.json(await present(product));
  }

  async function publish(req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number }; body: { expectedUpdatedAt: Date } }>(res);
    const product = await publishProduct(run(req, res, { id: params.id, expectedUpdatedAt: body.expectedUpdatedAt }));
    ctx.catalogue.invalidate();
    res.json(await present(product));
  }

  async function retire(req: Request, res: Response) {
    const product = await retireProduct(run(req, res, inputOf<{ params: { id: number } }>(res).params));
    ctx.catalogue.invalidate();
    res.json(await present(product));
  }

  async function returnDraft(req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number }; body: { comment: string; expectedUpdatedAt: Date } }>(res);
    res.json(await present(await returnProduct(run(req, res, { id: params.id, comment: body.comment, expectedUpdatedAt: body.expectedUpdatedAt }))));
  }

  /**
   * The review history of the product (all its versions) that version `id` belongs to, as far as the caller
   * may read the versions: another bank's product, or a draft an officer cannot open, is a 404, and an
   * officer reads no review of a draft through the family either.
   */
  async function reviews(_req: Request, res: Response) {
    const { params, query } = inputOf<{ params: { id: number }; query: Paging }>(res);
    const actor = actorOf(res);
    const found = await findProduct(ctx.db, params.id, productReviewable(actor));
    if (!found) throw productNotFound();
    const { rows, total } = await familyReviews(ctx.db, found.product, query, productVisibility(actor, 'read'));
    res.json(listOf(rows.map(presentReview), total, query));
  }

  async function exportFile(req: Request, res: Response) {
    const { query } = inputOf<{ query: ExportQuery }>(res);
    const actor = maybeActorOf(res);
    const rows = await allProducts(ctx.db, { status: query.status, bankId: query.bankId, visibility: productVisibility(actor, 'list') });
    const items = rows.map(exportRow);
    // Staff exports (which may hold drafts) are audited. The public catalogue is public already, and an
    // audit row per anonymous download would let anyone flood the log.
    if (actor) await recordAudit(ctx.db, { actor, action: 'product.export', entity: 'product', bankId: actor.bankId, after: { ...query, rows: items.length }, ip: req.ip, requestId: currentRequestId() });
    const stamp = ctx.clock.now().toISOString().slice(0, 10);
    res.set('Content-Disposition', `attachment; filename="rongma-products-${stamp}.${query.format}"`);
    if (query.format !== 'json') await sendProductFile(res, query.format, items);
    else res.json({ exportedAt: ctx.clock.now().toISOString(), total: items.length, items });
  }

  /** JSON (`{items: [...]}` or a bare array), a CSV file (UTF-8 or GB18030) or an .xlsx workbook; all rows or none. */
  async function importFile(req: Request, res: Response) {
    const { query } = inputOf<{ query: ImportQuery }>(res);
    let raw: unknown[];
    let preErrors: Awaited<ReturnType<typeof fileToRows>>['errors'] = [];
    if (Buffer.isBuffer(req.body)) {
      ({ rows: raw, errors: preErrors } = await fileToRows(req.body));
    } else if (Array.isArray(req.body)) {
      raw = req.body;
    } else if (req.body && Array.isArray(req.body.items)) {
      raw = req.body.items;
    } else {
      throw new ValidationError([{ in: 'body', path: 'items', message: 'send {"items": [...]} as JSON, or a CSV (text/csv) or .xlsx file' }]);
    }
    const summary = await importProducts(run(req, res, { raw, preErrors, publish: query.publish, city: ctx.config.city }));
    ctx.catalogue.invalidate();
    res.json(summary);
  }

  // The desk reviews, it does not rewrite: product fields are the bank admin's (and admin's) to edit, by
  // form or by import. An import publishes only for a caller who may also publish (an admin) and asks to.
  const authors = ctx.auth('bank_admin', 'admin');
  const publishers = ctx.auth(...publisherRoles);
  const router = Router();
  router.get('/', ctx.optionalAuth, validate({ query: listProductsQuery }), list);
  router.get('/export', ctx.optionalAuth, validate({ query: exportQuery }), exportFile);
  router.post('/import', authors, express.raw({ type: importTypes, limit: '5mb' }), validate({ query: importQuery, body: importFileBody }), importFile);
  router.get('/:id', ctx.optionalAuth, validate({ params: idParams }), show);
  router.post('/', authors, validate({ body: createProductBody }), create);
  router.patch('/:id', authors, validate({ params: idParams, body: updateProductBody }), update);
  router.post('/:id/publish', publishers, validate({ params: idParams, body: publishProductBody }), publish);
  router.post('/:id/retire', publishers, validate({ params: idParams }), retire);
  router.post('/:id/return', publishers, validate({ params: idParams, body: returnProductBody }), returnDraft);
  router.get('/:id/reviews', ctx.auth(), validate({ params: idParams, query: reviewsQuery }), reviews);
  return router;
}
