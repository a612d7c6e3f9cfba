import { answer, int, isoTime } from '../docs/shapes';

/** The response schemas of the SLA policy routes (routes/sla/index.ts presents them). */

export const slaPolicyResponse = answer({
  acceptDays: int, contactDays: int, decisionDays: int, escalateDays: int,
  bankId: int.allow(null).description('null: the city default'), effectiveFrom: isoTime.allow(null),
});
export const slaPoliciesResponse = answer({ default: slaPolicyResponse, bank: slaPolicyResponse.optional().description("with bankId: that bank's own, if any") });
