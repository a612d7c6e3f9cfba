import { applicationsOfPhone } from '../../models/application-lookup';
import type { AppContext } from '../../server/context';
import { referenceOf } from '../../server/domain/reference';

export const LOOKUP_DAYS = 180;

/** The phone's requests of the last 180 days, each with its tracking link (the phone was verified by the caller). */
export async function lookupApplications(ctx: AppContext, phone: string) {
  const since = new Date(ctx.clock.now().getTime() - LOOKUP_DAYS * 86_400_000);
  const rows = await applicationsOfPhone(ctx.db, phone, since);
  return {
    items: rows.map((r) => ({
      id: r.id, reference: referenceOf(r.id, r.createdAt), createdAt: r.createdAt.toISOString(), status: r.status,
      trackingUrl: `${ctx.config.publicBaseUrl}/track/${r.trackingToken}`,
    })),
  };
}
