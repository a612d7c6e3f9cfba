import type Joi from 'joi';
import type { Actor } from '../auth';
import type { Executor } from '../db';
import type { CityProfile } from '../domain/cities';
import { ForbiddenError, ValidationError, type FieldError } from '../errors';
import { nulErrors } from '../middleware/validate';
import { currentRequestId } from '../middleware/request-context';
import { mayPublish } from '../policies';
import type { ValidationContext } from '../schemas';
import { stableStringify } from '../stable-json';
import { recordAudit } from '../../models/audit';
import { bankIdsByCode, insertVersion, publishVersion } from '../../models/product-versions';
import { lockFamily, productFields, type ProductFields, type ProductRow } from '../../models/products';
import { productRowSchema, type ProductRowInput } from '../../routes/products/schema';
import type { CommandArgs } from './command';
import { auditProduct, reviseProduct } from './product-work';

export const MAX_IMPORT_ROWS = 5000;

const rowOptions: Joi.ValidationOptions = { abortEarly: false, stripUnknown: true, convert: true, errors: { wrap: { label: false } } };

export interface ImportSummary {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
}

function fieldsOf(row: ProductRowInput & { bankId: number }): ProductFields {
  const { bankCode: _b, bankId: _i, code: _c, status: _s, ...fields } = row;
  return fields;
}

/**
 * Checks every row before anything is written: the product schema, that the bank exists (and is the
 * caller's own, for a bank admin), that a bank admin imports drafts only, and that no product appears
 * twice. Returns every problem with its 1-based row number.
 */
async function checkRows(db: Executor, actor: Actor, raw: unknown[], city: CityProfile): Promise<{ rows: (ProductRowInput & { bankId: number })[]; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const valid: { n: number; row: ProductRowInput }[] = [];
  raw.forEach((item, i) => {
    const n = i + 1;
    const nul = nulErrors(item, undefined);
    if (nul.length > 0) {
      for (const e of nul) errors.push({ row: n, path: `rows.${n}.${e.path}`, message: `row ${n}: ${e.message}` });
      return;
    }
    const { value, error } = productRowSchema.validate(item, { ...rowOptions, context: { city } satisfies ValidationContext });
    if (error) for (const d of error.details) errors.push({ row: n, path: `rows.${n}.${d.path.join('.')}`, message: `row ${n}: ${d.message}` });
    else valid.push({ n, row: value });
  });
  const bankIds = await bankIdsByCode(db, [...new Set(valid.map((v) => v.row.bankCode))]);
  const seen = new Map<string, number>();
  const rows: (ProductRowInput & { bankId: number })[] = [];
  for (const { n, row } of valid) {
    const bankId = bankIds.get(row.bankCode);
    const fail = (path: string, message: string) => errors.push({ row: n, path: `rows.${n}.${path}`, message: `row ${n}: ${message}` });
    if (actor.role === 'bank_admin' && bankId !== actor.bankId) fail('bankCode', 'a bank admin imports products of their own bank only');
    else if (bankId === undefined) fail('bankCode', `no bank has the code ${row.bankCode}`);
    const key = `${row.bankCode}/${row.code}`;
    if (seen.has(key)) fail('code', `the product ${key} already appears in row ${seen.get(key)}`);
    seen.set(key, n);
    if (bankId !== undefined) rows.push({ ...row, bankId });
  }
  return { rows, errors };
}

/**
 * Imports product rows all-or-nothing. An import never publishes by itself: every new or changed row
 * becomes a draft (a new product, or its revision by reviseProduct, the rule PATCH follows too) and identical
 * content is left alone. Only with `publish` (and a caller who may publish) is a row that says `published`
 * published. Every version written leaves its own audit row, as through the form, and the import one more.
 */
export async function importProducts({ db, actor, input: { raw, preErrors = [], publish = false, city }, now, ip }: CommandArgs<{ raw: unknown[]; preErrors?: FieldError[]; publish?: boolean; city: CityProfile }>): Promise<ImportSummary> {
  if (publish && !mayPublish(actor)) throw new ForbiddenError({ detail: 'Only the desk publishes products: import without publish=true, and the rows become drafts for its review.' });
  if (raw.length > MAX_IMPORT_ROWS) throw new ValidationError([{ path: 'rows', message: `at most ${MAX_IMPORT_ROWS} rows per import` }]);
  if (raw.length === 0 && preErrors.length === 0) throw new ValidationError([{ path: 'rows', message: 'the file has no product rows' }]);
  return db.transaction(async (tx) => {
    const { rows, errors } = await checkRows(tx, actor, raw, city);
    const all = [...preErrors, ...errors];
    if (all.length > 0) throw new ValidationError(all, { detail: `The import was not applied: ${all.length} problem(s) found; nothing was changed.` });
    const summary: ImportSummary = { total: rows.length, created: 0, updated: 0, unchanged: 0 };
    const publishIt = async (draft: ProductRow) => {
      const published = await publishVersion(tx, draft, now, actor);
      await auditProduct(tx, actor, 'product.publish', published, { before: draft, extra: { via: 'import' }, ip });
    };
    for (const row of rows) {
      const status = publish && row.status === 'published' ? 'published' : 'draft';
      const fields = fieldsOf(row);
      const family = await lockFamily(tx, row.bankId, row.code);
      if (family.length === 0) {
        const created = await insertVersion(tx, { bankId: row.bankId, code: row.code, version: 1, status: 'draft', fields, actor, now });
        await auditProduct(tx, actor, 'product.create', created, { extra: { via: 'import' }, ip });
        if (status === 'published') await publishIt(created);
        summary.created++;
        continue;
      }
      const draft = family.find((r) => r.status === 'draft');
      const current = draft ?? family.find((r) => r.status === 'published');
      const same = current !== undefined && stableStringify(productFields(current)) === stableStringify(fields);
      if (same && (status === 'draft' || !draft)) {
        summary.unchanged++;
        continue;
      }
      // The same content as its draft, to publish: nothing to revise.
      const target = same && draft ? draft : (await reviseProduct(tx, family, fields, actor, now, ip)).row;
      if (status === 'published') await publishIt(target);
      summary.updated++;
    }
    await recordAudit(tx, { actor, action: 'product.import', entity: 'product', bankId: actor.role === 'bank_admin' ? actor.bankId : null, after: { ...summary, publish }, ip, requestId: currentRequestId() });
    return summary;
  });
}
