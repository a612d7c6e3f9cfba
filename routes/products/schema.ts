import Joi from 'joi';
import { criteriaSchema } from '../../matchers/criteria';
import type { ProductFields } from '../../models/products';
import {
  guaranteeTypes, productStatuses, productTypes, repaymentMethods, type ProductStatus, type ProductType,
} from '../../server/domain/catalogue';
import { district, id, paging, type Paging } from '../../server/schemas';

/** An annual rate in percent with at most two decimals (3.45, not 3.456). */
const ratePct = Joi.number().min(0).max(36).custom((v: number, helpers) => (
  Math.abs(v * 100 - Math.round(v * 100)) > 1e-7 ? helpers.message({ custom: 'rates have at most two decimals' }) : v
));

const pair = (item: Joi.NumberSchema | Joi.AnySchema) => Joi.object({ min: item.required(), max: item.required() })
  .custom((v: { min: number; max: number }, helpers) => (v.min > v.max ? helpers.message({ custom: 'min must not exceed max' }) : v));

/** Every editable product field; create requires the core ones, update takes any subset. */
const fields = {
  name: Joi.string().trim().min(2).max(60),
  type: Joi.string().valid(...productTypes),
  amount: pair(Joi.number().integer().min(1000).max(10_000_000_000)),
  termMonths: pair(Joi.number().integer().min(1).max(360)),
  rate: pair(ratePct),
  repaymentMethods: Joi.array().items(Joi.string().valid(...repaymentMethods)).unique().min(1),
  guaranteeTypes: Joi.array().items(Joi.string().valid(...guaranteeTypes)).unique().min(1),
  approvalDays: Joi.number().integer().min(1).max(180),
  firstLoanFriendly: Joi.boolean(),
  criteria: criteriaSchema,
  description: Joi.string().trim().max(2000).allow(''),
  materials: Joi.array().items(Joi.string().trim().min(1).max(100)).max(30),
};

export const productCode = Joi.string().trim().uppercase().pattern(/^[A-Z0-9][A-Z0-9_-]{1,31}$/)
  .messages({ 'string.pattern.base': 'code must be 2-32 letters, digits, dashes or underscores' });

const required = {
  ...fields,
  name: fields.name.required(),
  type: fields.type.required(),
  amount: fields.amount.required(),
  termMonths: fields.termMonths.required(),
  rate: fields.rate.required(),
  repaymentMethods: fields.repaymentMethods.required(),
  guaranteeTypes: fields.guaranteeTypes.required(),
  approvalDays: fields.approvalDays.required(),
  firstLoanFriendly: fields.firstLoanFriendly.default(false),
  criteria: fields.criteria.default({}),
  description: fields.description.default(''),
  materials: fields.materials.default([]),
};

/** The product body of the API; a bank admin's bankId is replaced by their own. */
export const createProductBody = Joi.object({ bankId: id, code: productCode.required(), ...required }).required()
  .example({ code: 'GY-FIRST-01', name: '首贷易', type: 'first_loan', amount: { min: 100000, max: 3000000 }, termMonths: { min: 6, max: 36 }, rate: { min: 3.45, max: 4.35 }, repaymentMethods: ['equal_installment', 'interest_first'], guaranteeTypes: ['credit'], approvalDays: 5, firstLoanFriendly: true, criteria: { districts: ['441204'], minYearsInOperation: 1, maxOverdueCount: 0, firstLoanOnly: true }, description: '面向首次贷款的小微企业', materials: ['营业执照', '近一年纳税证明'] });
export const updateProductBody = Joi.object(fields).min(1).required()
  .example({ rate: { min: 3.3, max: 4.2 } });

/** An import file: the bytes of a CSV or .xlsx file, a bare array of rows, or `{items: [...]}`; each row is checked by the import itself. */
const importRows = Joi.array().items(Joi.object().unknown());
const importFileMessage = 'send JSON with an items array, or a CSV (text/csv) or .xlsx file';
export const importFileBody = Joi.alternatives().try(Joi.binary(), importRows, Joi.object({ items: importRows.required() }).unknown()).required()
  .messages({ 'any.required': importFileMessage, 'alternatives.types': importFileMessage })
  .example({ items: [{ bankCode: 'ZQRCB', code: 'GY-FIRST-01', status: 'draft', name: '首贷易', type: 'first_loan', amount: { min: 100000, max: 3000000 }, termMonths: { min: 6, max: 36 }, rate: { min: 3.45, max: 4.35 }, repaymentMethods: ['equal_installment'], guaranteeTypes: ['credit'], approvalDays: 5 }] });

/** One row of an import or export file: the bank by code, so files move between installations. */
export const productRowSchema = Joi.object({
  bankCode: Joi.string().trim().uppercase().max(32).required(),
  code: productCode.required(),
  status: Joi.string().valid('draft', 'published').default('draft'),
  ...required,
});

export const listProductsQuery = Joi.object({
  type: Joi.string().valid(...productTypes),
  bankId: id,
  amount: Joi.number().integer().min(1).max(10_000_000_000),
  district,
  q: Joi.string().trim().max(60),
  status: Joi.string().valid(...productStatuses),
  firstLoanFriendly: Joi.boolean(),
  ...paging,
});

/** `publish=true`: publish the rows that say `published` (the desk and admins only); without it every change is a draft. */
export const importQuery = Joi.object({ publish: Joi.boolean().default(false) });
export interface ImportQuery { publish: boolean }

export const exportQuery = Joi.object({
  format: Joi.string().valid('json', 'csv', 'xlsx').default('json'),
  status: Joi.string().valid(...productStatuses).default('published'),
  bankId: id,
});

/** The desk returns a draft to its bank with a comment saying what to change. */
/** The draft as the desk read it: its `updatedAt`, so that a publish or return never acts on content the desk has not seen. */
const expectedUpdatedAt = Joi.date().iso().required()
  .messages({ 'any.required': 'expectedUpdatedAt is required: send the updatedAt of the draft as you reviewed it' });
export const publishProductBody = Joi.object({ expectedUpdatedAt }).required()
  .example({ expectedUpdatedAt: '2026-11-20T02:00:00.000Z' });
export const returnProductBody = Joi.object({ comment: Joi.string().trim().min(1).max(500).required(), expectedUpdatedAt }).required()
  .example({ comment: '利率上限高于同类产品，请核实后重新提交', expectedUpdatedAt: '2026-11-20T02:00:00.000Z' });
export const reviewsQuery = Joi.object({ ...paging });

export type CreateProductInput = ProductFields & { bankId?: number; code: string };
export type UpdateProductInput = Partial<ProductFields>;
export type ProductRowInput = ProductFields & { bankCode: string; code: string; status: Extract<ProductStatus, 'draft' | 'published'> };

export interface ListProductsQuery extends Paging {
  type?: ProductType;
  bankId?: number;
  amount?: number;
  district?: string;
  q?: string;
  status?: ProductStatus;
  firstLoanFriendly?: boolean;
}

export interface ExportQuery {
  format: 'json' | 'csv' | 'xlsx';
  status: ProductStatus;
  bankId?: number;
}
