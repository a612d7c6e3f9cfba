import { createHash } from 'node:crypto';
import { issueToken, type TokenSettings } from '../auth';
import type { Db } from '../db';
import { AppError, UnauthorizedError } from '../errors';
import { decoyHash, verifyPassword } from '../domain/password';
import type { Logger } from '../logger';
import { currentRequestId } from '../middleware/request-context';
import { recordAudit } from '../../models/audit';
import { claimUnknownSignIn, settleUnknownSignIn } from '../../models/rate-limits';
import {
  claimSignInAttempt, findSignInUser, findUserById, settleFailedSignIn, settleGoodSignIn,
  type SignInClaim, type UserRow,
} from '../../models/users';
import type { LoginInput } from '../../routes/auth/schema';

const invalidCredentials = () => new UnauthorizedError({ code: 'invalid_credentials', detail: 'Wrong username or password.' });

function lockedError(until: Date, now: Date) {
  const seconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
  return new AppError({
    status: 423, code: 'account_locked', title: 'Account locked',
    detail: `Too many wrong passwords; try again after ${until.toISOString()} or ask an administrator to unlock the account.`,
    headers: { 'Retry-After': String(seconds) },
    extra: { lockedUntil: until.toISOString() },
  });
}

/** Where an account's attempts are counted: its own row, or (for a username nobody has) a row keyed by its hash. */
interface AttemptCounter {
  claim(now: Date): Promise<SignInClaim>;
  settleFailed(now: Date): Promise<Date | null>;
}

function counterFor(db: Db, user: UserRow | undefined, username: string): AttemptCounter {
  if (user) return { claim: (now) => claimSignInAttempt(db, user.id, now), settleFailed: (now) => settleFailedSignIn(db, user.id, now) };
  const key = `signin:name:${createHash('sha256').update(username).digest('hex')}`;
  return { claim: (now) => claimUnknownSignIn(db, key, now), settleFailed: (now) => settleUnknownSignIn(db, key, now) };
}

/**
 * Checks a username and password. Every attempt is counted before its password is checked; five
 * within 15 minutes lock the account for 15 minutes whatever arrives in parallel, and while locked no
 * password is checked at all, so even the right one is refused. A right password gives back only its
 * own attempt, never lifts a lock, and wins nothing inside a burst (others arriving while it is checked). A username nobody has is counted and answered exactly like one
 * that exists, with the same scrypt work. Staff who are inactive, or whose bank is, cannot sign in.
 */
export async function signIn({ db, input, now, ip, tokens, logger }: {
  db: Db; input: LoginInput; now: Date; ip?: string; tokens: TokenSettings; logger: Logger;
}): Promise<{ token: string; user: UserRow }> {
  const found = await findSignInUser(db, input.username);
  const counter = counterFor(db, found, input.username);

  const auditLock = async () => {
    await recordAudit(db, {
      action: 'auth.locked', entity: 'user', entityId: found?.id ?? null, bankId: found?.bankId ?? null,
      after: found ? undefined : { username: input.username, knownUser: false }, ip, requestId: currentRequestId(),
    });
    logger.warn({ userId: found?.id ?? null }, 'sign-in locked after repeated failed attempts');
  };

  const claim = await counter.claim(now);
  if (claim.locked) {
    if (claim.lockedNow) await auditLock();
    throw lockedError(claim.lockedUntil, now);
  }
  const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash));
  if (!found || !ok || !found.active || !found.bankActive) {
    if (await counter.settleFailed(now)) await auditLock();
    throw invalidCredentials();
  }
  const user = await settleGoodSignIn(db, found.id, claim.slot, now);
  if (!user) {
    // Other attempts arrived while this one was checked, or locked the account: part of a burst, which
    // earns no session. Answered and counted like a wrong password, so the burst learns nothing.
    const current = await findUserById(db, found.id);
    if (current?.lockedUntil && current.lockedUntil > now) throw lockedError(current.lockedUntil, now);
    if (await counter.settleFailed(now)) await auditLock();
    throw invalidCredentials();
  }
  await recordAudit(db, { actor: user, action: 'auth.login', entity: 'user', entityId: user.id, bankId: user.bankId, ip, requestId: currentRequestId() });
  return { token: issueToken(user, tokens), user };
}
