import Joi from 'joi';
import { roles } from '../../models/users';
import { answer, int, isoTime, pageOf } from '../docs/shapes';

/** The response schemas of routes/users/present.ts (and the auth answers that carry a user). */

export const sessionUserResponse = answer({
  id: int, username: Joi.string(), role: Joi.string().valid(...roles), bankId: int.allow(null), branchId: int.allow(null), name: Joi.string().allow(null),
});
export const userResponse = sessionUserResponse.keys({
  active: Joi.boolean(), lockedUntil: isoTime.allow(null), lastLoginAt: isoTime.allow(null), createdAt: isoTime,
});
export const userListResponse = pageOf(userResponse);

export const loginResponse = answer({ token: Joi.string().description('send as Authorization: Bearer <token>'), user: sessionUserResponse });
export const meResponse = answer({ user: sessionUserResponse });

/** GET /api/auth/demo-accounts: the demo sign-ins still as seeded; none (and no password) outside a demo installation. */
export const demoAccountsResponse = answer({
  accounts: Joi.array().items(answer({ username: Joi.string(), role: Joi.string().valid(...roles), name: Joi.string().allow(null), bankName: Joi.string().allow(null) })),
  password: Joi.string().optional().description('the one password of every demo account'),
});
