import type { AuditRow } from '../../models/audit';

/** One audit row as the trail shows it: the entity as a `kind:id` subject, everything else under detail. */
export function presentAudit(r: AuditRow) {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actorId: r.actorId,
    action: r.action,
    subject: r.entityId === null ? r.entity : `${r.entity}:${r.entityId}`,
    detail: { actorRole: r.actorRole, bankId: r.bankId, ip: r.ip, requestId: r.requestId, before: r.before, after: r.after },
  };
}
