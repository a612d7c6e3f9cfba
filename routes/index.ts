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

/** Every `/api` resource; the table of what is mounted where. */
export function apiRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/auth', authRoutes(ctx));
  router.use('/users', userRoutes(ctx));
  router.use('/banks', bankRoutes(ctx));
  router.use('/banks', webhookRoutes(ctx));
  router.use('/products', productRoutes(ctx));
  router.use('/match', matchRoutes(ctx));
  router.use('/channels', channelRoutes(ctx));
  router.use('/applications', applicationRoutes(ctx));
  router.use('/leads', leadRoutes(ctx));
  router.use('/sla', slaRoutes(ctx));
  router.use('/admin', adminRoutes(ctx));
  router.use('/notifications', notificationRoutes(ctx));
  router.use('/reassignments', reassignmentRoutes(ctx));
  router.use('/reports', reportRoutes(ctx));
  return router;
}
