import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { eq, type Column, type SQL } from 'drizzle-orm';
import { parse as parseCookie } from 'cookie';
import jwt from 'jsonwebtoken';
import type { Clock } from './clock';
import type { Db } from './db';
import { ForbiddenError, UnauthorizedError } from './errors';
import { accessOf, markAccess } from './route-marks';
import { banks } from '../models/banks';
import { users, type Role, type UserRow } from '../models/users';

export const SESSION_COOKIE = 'rongma_session';
const ISSUER = 'rongma';

/** The signed-in staff member a request acts for. */
export interface Actor {
  id: number;
  username: string;
  role: Role;
  bankId: number | null;
  branchId: number | null;
  name: string | null;
}

interface TokenClaims {
  sub: string;
  role: Role;
  ver: number;
  exp?: number;
}

export interface TokenSettings {
  secret: string;
  ttlSeconds: number;
  clock: Clock;
}

export function issueToken(user: UserRow, settings: TokenSettings): string {
  const claims: TokenClaims & { iat: number } = {
    sub: String(user.id),
    role: user.role,
    ver: user.tokenVersion,
    iat: Math.floor(settings.clock.now().getTime() / 1000),
  };
  return jwt.sign(claims, settings.secret, { algorithm: 'HS256', expiresIn: settings.ttlSeconds, issuer: ISSUER });
}

/** A cookie value that is not valid percent-encoding reads as no cookie at all (never a 500). */
function decodeCookie(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Bearer header first (API clients), then the HttpOnly session cookie (pages). */
export function tokenFrom(req: Request): string | undefined {
  const authorization = req.get('authorization');
  if (authorization) return /^Bearer ([\w.-]+)$/i.exec(authorization)?.[1] ?? 'malformed';
  const cookies = req.get('cookie');
  return cookies ? parseCookie(cookies, { decode: decodeCookie })[SESSION_COOKIE] || undefined : undefined;
}

/**
 * Verifies a token (HS256 only, issuer, an expiry that must be there, checked against our clock) and
 * reloads its user, so a deactivated account or bank, a role change, a logout or a password change
 * takes effect at once. Null when any check fails.
 */
export async function actorFromToken(db: Db, token: string, settings: TokenSettings): Promise<Actor | null> {
  let claims: TokenClaims;
  try {
    claims = jwt.verify(token, settings.secret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      clockTimestamp: Math.floor(settings.clock.now().getTime() / 1000),
    }) as unknown as TokenClaims;
  } catch {
    return null;
  }
  // jsonwebtoken lets a token without `exp` live for ever; we never issue one.
  if (typeof claims.exp !== 'number') return null;
  const id = Number(claims.sub);
  if (!Number.isSafeInteger(id)) return null;
  const [row] = await db.select({ user: users, bankActive: banks.active }).from(users)
    .leftJoin(banks, eq(banks.id, users.bankId)).where(eq(users.id, id));
  const user = row?.user;
  if (!user || !user.active || row.bankActive === false || user.tokenVersion !== claims.ver) return null;
  return { id: user.id, username: user.username, role: user.role, bankId: user.bankId, branchId: user.branchId, name: user.name };
}

/** Builds `auth(...roles)`: 401 without a valid session, 403 when the role is not listed (none listed: any staff). */
export function authenticator(db: Db, settings: TokenSettings) {
  return (...allowed: Role[]) => markAccess(async (req: Request, res: Response, next: NextFunction) => {
    const token = tokenFrom(req);
    if (!token) throw new UnauthorizedError();
    const actor = await actorFromToken(db, token, settings);
    if (!actor) throw new UnauthorizedError({ code: 'invalid_token', detail: 'The session is invalid or has expired; sign in again.' });
    if (allowed.length > 0 && !allowed.includes(actor.role)) throw new ForbiddenError();
    res.locals.actor = actor;
    next();
  }, { roles: allowed });
}

export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new UnauthorizedError();
  return actor;
}

export function isBankRole(role: Role): boolean {
  return role === 'bank_admin' || role === 'bank_officer';
}

/**
 * The one place that confines a query to the caller's bank: a condition on `bankColumn` for bank
 * roles, nothing for the desk and admins (who read across banks). Use it in every query a bank user
 * can reach; a forged bankId in a request never replaces it.
 */
export function scopeToBank(actor: Actor, bankColumn: Column): SQL | undefined {
  if (!isBankRole(actor.role)) return undefined;
  // A bank role always has a bank (a CHECK constraint guarantees it); -1 matches nothing if it ever did not.
  return eq(bankColumn, actor.bankId ?? -1);
}

/**
 * For public routes that show more to staff (drafts to their bank, …): a valid session sets the actor;
 * no session, or a stale one (an expired cookie on the public catalogue), reads as anonymous.
 */
export function optionalAuthenticator(db: Db, settings: TokenSettings) {
  return markAccess(async (req: Request, res: Response, next: NextFunction) => {
    const token = tokenFrom(req);
    const actor = token ? await actorFromToken(db, token, settings) : null;
    if (actor) res.locals.actor = actor;
    next();
  }, { optional: true });
}

export function maybeActorOf(res: Response): Actor | undefined {
  return res.locals.actor as Actor | undefined;
}

/**
 * Lets a request through with a fixed machine token (`Authorization: Bearer <token>`, compared in
 * constant time), else hands it to `fallback` (a staff check such as `auth('admin')`).
 */
export function machineTokenOr(token: string | undefined, fallback: (req: Request, res: Response, next: NextFunction) => unknown) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return markAccess((req: Request, res: Response, next: NextFunction) => {
    const presented = Buffer.from(req.get('authorization') ?? '');
    if (expected && presented.length === expected.length && timingSafeEqual(presented, expected)) return next();
    return fallback(req, res, next);
  }, accessOf(fallback) ?? {});
}
