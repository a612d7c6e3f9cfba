import type { CompanyProfile, Need } from '../../matchers/facts';
import type { Matcher } from '../../matchers/matcher';
import { randomToken } from '../domain/codes';
import { UnprocessableError, ValidationError } from '../errors';
import { phoneOfToken } from '../phone-token';
import { eligibleNow } from '../watches/rematch';
import { insertWatch, type WatchRow } from '../../models/watches';

export const WATCH_DAYS = 180;
export const WATCH_CONSENT_VERSION = 'watch-2026-12';
export const watchConsentText = {
  zh: `我同意融资服务专窗保存我填写的企业信息、融资需求和手机号 ${WATCH_DAYS} 天，用于在有符合条件的新产品时以短信通知我（每天最多一条）。不会发送给任何银行。每条短信中的退订链接可随时撤回，撤回后不再通知。`,
  en: `I agree that the financing desk keeps the company details, financing need and phone number I entered for ${WATCH_DAYS} days, to text me (at most once a day) when a product I qualify for appears. Nothing is sent to any bank. The link in every message withdraws this at any time.`,
};

/** Keeps a profile and need for 180 days with its own consent; what is eligible today counts as told. */
export async function createWatch({ db, input, now, jwtSecret, matcher }: {
  db: Parameters<typeof insertWatch>[0]; input: { company: CompanyProfile; need: Need; phoneToken: string; consent: { version: string } }; now: Date; jwtSecret: string; matcher: Matcher;
}): Promise<WatchRow> {
  const phone = phoneOfToken(jwtSecret, input.phoneToken, 'watch', now);
  if (!phone) throw new ValidationError([{ in: 'body', path: 'phoneToken', message: 'phoneToken is not valid for purpose "watch" (or has expired): verify the phone again' }]);
  if (input.consent.version !== WATCH_CONSENT_VERSION) {
    throw new UnprocessableError('consent_outdated', `The watch consent text has changed (now ${WATCH_CONSENT_VERSION}); show it again and ask for consent.`, { currentVersion: WATCH_CONSENT_VERSION });
  }
  const told = eligibleNow(matcher, input.company, input.need, now);
  return insertWatch(db, {
    token: randomToken(), phone, company: input.company, need: input.need, consentVersion: input.consent.version,
    toldProductIds: told, createdAt: now, expiresAt: new Date(now.getTime() + WATCH_DAYS * 86_400_000),
  });
}
