import type { CompanyProfile, Need } from '../../matchers/facts';
import { cancelWatch, insertWatch, watchByToken, watchStats, type WatchRow } from '../../models/watches';
import type { AppContext } from '../../server/context';
import { randomToken } from '../../server/domain/codes';
import { NotFoundError, UnprocessableError, ValidationError } from '../../server/errors';
import { phoneOfToken } from '../../server/phone-token';
import { eligibleNow } from '../../server/watches/rematch';

export const WATCH_DAYS = 180;
export const WATCH_CONSENT_VERSION = 'watch-2026-12';
export const watchConsentText = {
  zh: `我同意融资服务专窗保存我填写的企业信息、融资需求和手机号 ${WATCH_DAYS} 天，用于在有符合条件的新产品时以短信通知我（每天最多一条）。不会发送给任何银行。每条短信中的退订链接可随时撤回，撤回后不再通知。`,
  en: `I agree that the financing desk keeps the company details, financing need and phone number I entered for ${WATCH_DAYS} days, to text me (at most once a day) when a product I qualify for appears. Nothing is sent to any bank. The link in every message withdraws this at any time.`,
};

const notFound = () => new NotFoundError({ code: 'watch_not_found', detail: 'No watch has this link.' });

export function presentWatch(ctx: AppContext, w: WatchRow) {
  const now = ctx.clock.now();
  const company = w.company as CompanyProfile;
  return {
    id: w.id,
    status: w.cancelledAt ? 'cancelled' : w.expiresAt <= now ? 'expired' : 'active',
    company, need: w.need as Need, createdAt: w.createdAt.toISOString(), expiresAt: w.expiresAt.toISOString(),
    cancelledAt: w.cancelledAt?.toISOString() ?? null, notifications: w.notifications, lastNotifiedAt: w.lastNotifiedAt?.toISOString() ?? null,
    manageUrl: `${ctx.config.publicBaseUrl}/watch/${w.token}`, applyUrl: `${ctx.config.publicBaseUrl}/apply?w=${w.token}`,
  };
}

/** Keeps a profile and need for 180 days with its own consent; what is eligible today counts as told. */
export async function createWatch(ctx: AppContext, input: { company: CompanyProfile; need: Need; phoneToken: string; consent: { version: string } }) {
  const now = ctx.clock.now();
  const phone = phoneOfToken(ctx.config.jwtSecret, input.phoneToken, 'watch', now);
  if (!phone) throw new ValidationError([{ in: 'body', path: 'phoneToken', message: 'phoneToken is not valid for purpose "watch" (or has expired): verify the phone again' }]);
  if (input.consent.version !== WATCH_CONSENT_VERSION) {
    throw new UnprocessableError('consent_outdated', `The watch consent text has changed (now ${WATCH_CONSENT_VERSION}); show it again and ask for consent.`, { currentVersion: WATCH_CONSENT_VERSION });
  }
  const told = eligibleNow(await ctx.catalogue.current(), input.company, input.need, now);
  const row = await insertWatch(ctx.db, {
    token: randomToken(), phone, company: input.company, need: input.need, consentVersion: input.consent.version,
    toldProductIds: told, createdAt: now, expiresAt: new Date(now.getTime() + WATCH_DAYS * 86_400_000),
  });
  return presentWatch(ctx, row);
}

export async function showWatch(ctx: AppContext, token: string) {
  const w = await watchByToken(ctx.db, token);
  if (!w) throw notFound();
  return presentWatch(ctx, w);
}

export async function endWatch(ctx: AppContext, token: string) {
  const w = await watchByToken(ctx.db, token);
  if (!w) throw notFound();
  return presentWatch(ctx, await cancelWatch(ctx.db, w.id, ctx.clock.now()));
}

export const statsOfWatches = (ctx: AppContext) => watchStats(ctx.db, ctx.clock.now());
