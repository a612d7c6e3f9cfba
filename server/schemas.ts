import Joi from 'joi';

/** Shared pieces of request schemas. */
export const id = Joi.number().integer().min(1).max(2147483647);
export const idParams = Joi.object({ id: id.required() });
export const paging = {
  page: Joi.number().integer().min(1).max(100000).default(1),
  pageSize: Joi.number().integer().min(1).max(200).default(20),
};
export interface Paging {
  page: number;
  pageSize: number;
}

/** The `{items, total, page, pageSize}` shape every list answers with. */
export function listOf<T>(items: T[], total: number, p: Paging) {
  return { items, total, page: p.page, pageSize: p.pageSize };
}
