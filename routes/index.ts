import { Router } from 'express';
import type { AppContext } from '../server/context';
import { authRoutes } from './auth';
import { bankRoutes } from './banks';
import { webhookRoutes } from './banks/webhook';
import { applicationRoutes } from './applications';
import { channelRoutes } from './channels';
import { leadRoutes } from './leads';
import { slaRoutes } from './sla';
import { adminRoutes } from './admin';
import { notificationRoutes } from './notifications';
import { reassignmentRoutes } from './reassignments';
import { reportRoutes } from './reports';
import { matchRoutes } from './match';
import { productRoutes } from './products';
import { userRoutes } from './users';
import { docsRoutes } from './docs';
import { consultationRoutes } from './consultations';
import { companyRoutes } from './companies';
import { coachingRoutes } from './coaching';
import { assistedRoutes, consentRoutes } from './assisted';
import { smsAdminRoutes } from './sms';
import { phoneCodeRoutes } from './phone-codes';
import { watchRoutes } from './watches';
import { cityRoutes } from './city';

/** Where each `/api` resource is mounted: the table the router and the OpenAPI document are both built from. */
export type ApiMount = [path: string, router: Router];

export function apiMounts(ctx: AppContext): ApiMount[] {
  return [
    ['/auth', authRoutes(ctx)],
    ['/users', userRoutes(ctx)],
    ['/banks', bankRoutes(ctx)],
    ['/banks', webhookRoutes(ctx)],
    ['/products', productRoutes(ctx)],
    ['/match', matchRoutes(ctx)],
    ['/channels', channelRoutes(ctx)],
    ['/phone-codes', phoneCodeRoutes(ctx)],
    ['/watches', watchRoutes(ctx)],
    ['/applications/assisted', assistedRoutes(ctx)],
    ['/applications', applicationRoutes(ctx)],
    ['/leads', leadRoutes(ctx)],
    ['/sla', slaRoutes(ctx)],
    ['/admin/sms', smsAdminRoutes(ctx)],
    ['/admin', adminRoutes(ctx)],
    ['/notifications', notificationRoutes(ctx)],
    ['/reassignments', reassignmentRoutes(ctx)],
    ['/reports', reportRoutes(ctx)],
    ['/consultations', consultationRoutes(ctx)],
    ['/companies', companyRoutes(ctx)],
    ['/coaching', coachingRoutes(ctx)],
    ['/consent', consentRoutes(ctx)],
    ['/city', cityRoutes(ctx)],
  ];
}

/** Every `/api` resource, plus the OpenAPI document and the reference built from the same table. */
export function apiRoutes(ctx: AppContext): Router {
  const router = Router();
  const mounts = apiMounts(ctx);
  for (const [path, sub] of mounts) router.use(path, sub);
  router.use(docsRoutes(mounts));
  return router;
}
