import express, { Router, type Request, type Response } from 'express';
import { actorOf, maybeActorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { ValidationError } from '../../server/errors';
import { inputOf, validate } from '../../server/middleware/validate';
import { currentRequestId } from '../../server/middleware/request-context';
import { idParams, listOf, type Paging } from '../../server/schemas';
import { recordAudit } from '../../models/audit';
import { latestReviews } from '../../models/product-reviews';
import { allProducts, findProduct, listProducts, type ProductWithBank } from '../../models/products';
import { fileToRows, importTypes, sendProductFile } from './files';
import { importProducts, publisherRoles } from './import';
import { importQuery, type ImportQuery } from './schema';
import {
  createProduct, productNotFound, productReviewHistory, productVisibility, publishProduct, retireProduct, returnProduct, updateProduct,
} from './operations';
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
    const product = await createProduct(ctx, actorOf(res), body, req.ip);
    res.status(201).location(`/api/products/${product.product.id}`).json(await present(product));
  }

  async function update(req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number }; body: UpdateProductInput }>(res);
    const { product, newVersion } = await updateProduct(ctx, actorOf(res), params.id, body, req.ip);
    if (newVersion) res.status(201).location(`/api/products/${product.product.id}`);
    res.json(await present(product));
  }

  async function publish(req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number }; body: { expectedUpdatedAt: Date } }>(res);
    const product = await publishProduct(ctx, actorOf(res), params.id, body.expectedUpdatedAt, req.ip);
    ctx.catalogue.invalidate();
    res.json(await present(product));
  }

  async function retire(req: Request, res: Response) {
    const product = await retireProduct(ctx, actorOf(res), inputOf<{ params: { id: number } }>(res).params.id, req.ip);
    ctx.catalogue.invalidate();
    res.json(await present(product));
  }

  async function returnDraft(req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number }; body: { comment: string; expectedUpdatedAt: Date } }>(res);
    res.json(await present(await returnProduct(ctx, actorOf(res), params.id, body.comment, body.expectedUpdatedAt, req.ip)));
  }

  async function reviews(_req: Request, res: Response) {
    const { params, query } = inputOf<{ params: { id: number }; query: Paging }>(res);
    const { rows, total } = await productReviewHistory(ctx, actorOf(res), params.id, query);
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
    const summary = await importProducts(ctx, actorOf(res), raw, preErrors, { publish: query.publish, ip: req.ip });
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
