import Joi from 'joi';
import { bankKinds, type BankKind } from '../../models/banks';
import { district, id, paging, type Paging } from '../../server/schemas';

const name = Joi.string().trim().min(2).max(80);
const shortName = Joi.string().trim().min(1).max(20);
const kind = Joi.string().valid(...bankKinds);
const phone = Joi.string().trim().pattern(/^[0-9+\-() ]{5,20}$/).messages({ 'string.pattern.base': 'phone must be 5-20 digits, spaces, dashes or brackets' });

export const listBanksQuery = Joi.object({ kind, q: Joi.string().trim().max(40), ...paging, pageSize: paging.pageSize.default(100) });
export const createBankBody = Joi.object({
  code: Joi.string().trim().uppercase().pattern(/^[A-Z0-9][A-Z0-9_-]{1,15}$/).required()
    .messages({ 'string.pattern.base': 'code must be 2-16 letters, digits, dashes or underscores' }),
  name: name.required(),
  shortName: shortName.required(),
  kind: kind.required(),
}).required()
  .example({ code: 'GDHXB', name: '广东华兴银行', shortName: '华兴银行', kind: 'city_commercial' });
export const updateBankBody = Joi.object({ name, shortName, kind, active: Joi.boolean() }).min(1).required()
  .example({ shortName: '华兴银行' });

export const branchParams = Joi.object({ id: id.required(), branchId: id.required() });
export const createBranchBody = Joi.object({
  name: name.required(),
  district: district.required(),
  address: Joi.string().trim().max(200).allow(''),
  phone,
}).required()
  .example({ name: '高要支行', district: '441204', address: '肇庆市高要区南岸街道府前大街 1 号', phone: '0758-8888888' });
export const updateBranchBody = Joi.object({ name, district, address: Joi.string().trim().max(200).allow(''), phone: phone.allow(null), active: Joi.boolean() }).min(1).required()
  .example({ phone: '0758-8666666' });

export interface ListBanksQuery extends Paging {
  kind?: BankKind;
  q?: string;
}
export interface CreateBankInput {
  code: string;
  name: string;
  shortName: string;
  kind: BankKind;
}
export type UpdateBankInput = Partial<Omit<CreateBankInput, 'code'>> & { active?: boolean };
export interface CreateBranchInput {
  name: string;
  district: string;
  address?: string;
  phone?: string;
}
export type UpdateBranchInput = Partial<CreateBranchInput> & { active?: boolean; phone?: string | null };

export const routingBody = Joi.object({
  defaultBranchId: id.allow(null),
  rules: Joi.array().items(Joi.object({ district: district.required(), branchId: id.required() })).unique('district').max(50),
  dispatch: Joi.array().items(Joi.object({ branchId: id.required(), mode: Joi.string().valid('queue', 'round_robin').required() })).unique('branchId').max(200),
}).min(1).required()
  .example({ defaultBranchId: 9, rules: [{ district: '441204', branchId: 9 }, { district: '441284', branchId: 11 }], dispatch: [{ branchId: 9, mode: 'round_robin' }] });

export interface RoutingInput {
  defaultBranchId?: number | null;
  rules?: { district: string; branchId: number }[];
  dispatch?: { branchId: number; mode: 'queue' | 'round_robin' }[];
}
