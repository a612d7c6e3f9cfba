import { Router, type CookieOptions, type Request, type Response } from 'express';
import { actorOf, SESSION_COOKIE, tokenFrom } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { rateLimit, SharedRateLimiter } from '../../server/middleware/rate-limit';
import { inputOf, noInput, validate } from '../../server/middleware/validate';
import { DEMO_PASSWORD, liveDemoAccounts } from '../../server/seed';
import { presentSessionUser } from '../users/present';
import { signIn } from '../../server/commands/sign-in';
import { signOut } from '../../server/commands/sign-out';
import { loginSchema, type LoginInput } from './schema';

/**
 * Failed sign-ins one client address may make per hour, whatever the usernames. It bounds password
 * spraying, and how long one address can keep an account locked: the 5-failure lock needs 20 failures
 * an hour to be held for ever. Good sign-ins give their attempt back, so an office behind one address
 * is not locked out by its own staff signing in.
 */
export const LOGIN_FAILURES_PER_CLIENT = 15;
const HOUR = 3_600_000;

export function authRoutes(ctx: AppContext): Router {
  const perClient = new SharedRateLimiter(ctx.db, 'signin:client', LOGIN_FAILURES_PER_CLIENT, HOUR, ctx.clock);
  const cookie: CookieOptions = {
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.publicBaseUrl.startsWith('https:'),
    path: '/',
  };

  async function login(req: Request, res: Response) {
    const { token, user } = await signIn({ db: ctx.db, input: inputOf<{ body: LoginInput }>(res).body, now: ctx.clock.now(), ip: req.ip, tokens: ctx.tokens, logger: ctx.logger });
    if (req.ip) await perClient.giveBack(req.ip);
    res.cookie(SESSION_COOKIE, token, { ...cookie, maxAge: ctx.tokens.ttlSeconds * 1000 });
    res.json({ token, user: presentSessionUser(user) });
  }

  function me(_req: Request, res: Response) {
    res.json({ user: presentSessionUser(actorOf(res)) });
  }

  /** Ends every session of the user (their token version moves on) and clears the cookie; never fails. */
  async function logout(req: Request, res: Response) {
    await signOut({ db: ctx.db, input: { token: tokenFrom(req) }, tokens: ctx.tokens });
    res.clearCookie(SESSION_COOKIE, cookie);
    res.status(204).end();
  }

  /** Lets the sign-in page say which demo accounts exist, on installations where the demo seed ran (never production). */
  async function demoAccounts(_req: Request, res: Response) {
    const accounts = await liveDemoAccounts(ctx.db);
    res.json({ accounts, ...(accounts.length ? { password: DEMO_PASSWORD } : {}) });
  }

  const router = Router();
  router.post('/login', validate({ body: loginSchema }), rateLimit(perClient, (req) => req.ip, 'failed sign-ins from this address'), login);
  router.get('/me', ctx.auth(), noInput, me);
  router.post('/logout', noInput, logout);
  // Production has no demo staff; the route does not exist there (404 like any unknown API path).
  if (ctx.config.nodeEnv !== 'production') router.get('/demo-accounts', noInput, demoAccounts);
  return router;
}
