import Joi from 'joi';
import { dateTime, dateTimeUpTo, id, paging } from '../../server/schemas';
import type { AuditFilter } from '../../models/audit';

/** Filters of the audit trail; from/to bound the row's time, both inclusive. */
export const auditQuery = Joi.object({
  action: Joi.string().trim().max(60).pattern(/^[a-z][a-z_]*(\.[a-z_]+)*(\.\*)?$/)
    .messages({ 'string.pattern.base': 'action is an action name such as product.publish, or a prefix such as product.*' })
    .description('an exact action (lead.read_contact) or every action under a prefix (database.*)'),
  actorId: id,
  from: dateTime,
  to: dateTimeUpTo,
  ...paging,
});

export type AuditQuery = AuditFilter;
