import { expect } from 'chai';
import { and, desc, eq } from 'drizzle-orm';
import { smsMessages } from '../../models/sms';
import type { TestApp } from './app';

/** The code as the applicant reads it: from the SMS the outbox holds. */
export async function codeSentTo(app: TestApp, phone: string): Promise<string> {
  const [row] = await app.db.select().from(smsMessages).where(and(eq(smsMessages.phone, phone), eq(smsMessages.template, 'code'))).orderBy(desc(smsMessages.id)).limit(1);
  return row!.params.code!;
}

/** Asks for a code and answers it, as the applicant would: the phoneToken for this phone and purpose. */
export async function verifiedToken(app: TestApp, phone: string, purpose: string): Promise<string> {
  const asked = await app.call('POST', '/api/phone-codes', { body: { phone, purpose } });
  expect(asked.status, asked.text).to.equal(202);
  const res = await app.call('POST', '/api/phone-codes/verify', { body: { phone, purpose, code: await codeSentTo(app, phone) } });
  expect(res.status, res.text).to.equal(200);
  return res.body.phoneToken;
}
