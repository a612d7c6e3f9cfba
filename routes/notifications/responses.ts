import Joi from 'joi';
import { answer, bilingual, int, isoTime } from '../docs/shapes';

/** The response schemas of routes/notifications/index.ts. */

export const notificationResponse = answer({ id: int, kind: Joi.string(), message: bilingual, leadId: int.allow(null), createdAt: isoTime, readAt: isoTime.allow(null) });
export const notificationListResponse = answer({ items: Joi.array().items(notificationResponse), total: int, page: int, pageSize: int, unread: int });
export const notificationsMarkedResponse = answer({ marked: int });
