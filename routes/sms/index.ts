import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import { recordAudit } from '../../models/audit';
import { listSms, type SmsRow } from '../../models/sms';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { maskPhone } from '../../server/domain/mask';
import { currentRequestId } from '../../server/middleware/request-context';
import { inputOf, validate } from '../../server/middleware/validate';
import { phoneSchema } from '../applications/schema';

const smsQuery = Joi.object({
  phone: phoneSchema,
  limit: Joi.number().integer().min(1).max(500).default(100),
});

function presentSms(row: SmsRow, unmasked: boolean) {
  return {
    id: row.id, phone: unmasked ? row.phone : maskPhone(row.phone), purpose: row.purpose, text: row.text, status: row.status,
    attempts: row.attempts, lastError: row.lastError, skippedReason: row.skippedReason, createdAt: row.createdAt.toISOString(), sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/** The SMS outbox as staff read it (`GET /api/admin/sms?phone=`): the `log` provider's only output. Phones unmasked to `admin` only, and that read is audited. */
export function smsAdminRoutes(ctx: AppContext): Router {
  async function list(req: Request, res: Response) {
    const { query } = inputOf<{ query: { phone?: string; limit: number } }>(res);
    const actor = actorOf(res);
    const rows = await listSms(ctx.db, query);
    const unmasked = actor.role === 'admin';
    if (unmasked && rows.length) {
      await recordAudit(ctx.db, { actor, action: 'sms.read', entity: 'sms', entityId: query.phone ? maskPhone(query.phone) : null, after: { count: rows.length }, ip: req.ip, requestId: currentRequestId() });
    }
    res.set('Cache-Control', 'no-store').json({ items: rows.map((r) => presentSms(r, unmasked)) });
  }

  const router = Router();
  router.get('/', ctx.auth('admin', 'desk'), validate({ query: smsQuery }), list);
  return router;
}
