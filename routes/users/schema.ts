import Joi from 'joi';
import { roles, type Role } from '../../models/users';
import { id, paging, type Paging } from '../../server/schemas';

const username = Joi.string().trim().lowercase().pattern(/^[a-z0-9][a-z0-9._-]{2,31}$/)
  .messages({ 'string.pattern.base': 'username must be 3-32 letters, digits, dots, dashes or underscores' });
const password = Joi.string().min(10).max(128);
const role = Joi.string().valid(...roles);
const name = Joi.string().trim().max(64);

export const listUsersQuery = Joi.object({
  role,
  bankId: id,
  q: Joi.string().trim().max(64),
  ...paging,
});

export const createUserBody = Joi.object({
  username: username.required(),
  password: password.required(),
  role: role.required(),
  bankId: id,
  branchId: id,
  name,
}).required()
  .example({ username: 'wang.li', password: 'a-long-passphrase', role: 'bank_officer', bankId: 2, branchId: 9, name: '王丽' });

export const updateUserBody = Joi.object({
  name: name.allow(null),
  password,
  role,
  bankId: id.allow(null),
  branchId: id.allow(null),
  active: Joi.boolean(),
  unlock: Joi.boolean().valid(true),
}).min(1).required()
  .example({ active: false });

export interface ListUsersQuery extends Paging {
  role?: Role;
  bankId?: number;
  q?: string;
}

export interface CreateUserInput {
  username: string;
  password: string;
  role: Role;
  bankId?: number;
  branchId?: number;
  name?: string;
}

export interface UpdateUserInput {
  name?: string | null;
  password?: string;
  role?: Role;
  bankId?: number | null;
  branchId?: number | null;
  active?: boolean;
  unlock?: true;
}
