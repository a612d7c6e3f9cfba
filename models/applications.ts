import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { CompanyProfile } from '../matchers/facts';
import type { CollateralKind, TaxRatingAnswer } from '../server/domain/catalogue';
import { banks } from './banks';
import { channels } from './channels';
import { users } from './users';

/** A company, by USCC; updated by each application with what the applicant declared last. */
export const companies = pgTable('companies', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  uscc: text('uscc').notNull().unique(),
  name: text('name').notNull(),
  district: text('district').notNull(),
  industry: text('industry').notNull(),
  establishedOn: date('established_on').notNull(),
  employees: integer('employees').notNull(),
  annualRevenue: bigint('annual_revenue', { mode: 'number' }).notNull(),
  totalAssets: bigint('total_assets', { mode: 'number' }),
  taxRating: text('tax_rating').$type<TaxRatingAnswer>().notNull(),
  hasBankLoan: boolean('has_bank_loan').notNull(),
  overdueCount: integer('overdue_count').notNull(),
  collateral: jsonb('collateral').$type<CollateralKind[]>().notNull(),
  guaranteeAvailable: boolean('guarantee_available').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const applicationStatuses = ['open', 'withdrawn', 'closed'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

/** A first-loan request: the company as declared, the contact, the need, how it reached the banks. */
export const applications = pgTable('applications', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  companyId: integer('company_id').notNull().references(() => companies.id),
  companySnapshot: jsonb('company_snapshot').$type<CompanyProfile>().notNull(),
  contactName: text('contact_name').notNull(),
  contactPhone: text('contact_phone').notNull(),
  needAmount: bigint('need_amount', { mode: 'number' }).notNull(),
  needTermMonths: integer('need_term_months').notNull(),
  needPurpose: text('need_purpose').notNull().default(''),
  channelId: integer('channel_id').references(() => channels.id),
  mode: text('mode').$type<'chosen' | 'open'>().notNull(),
  /** Declared by the applicant (never had a bank loan); a bank may correct it after its credit check. */
  isFirstLoan: boolean('is_first_loan').notNull(),
  /** MIIT size class derived at submission (reports filter on it). */
  companySize: text('company_size').$type<'micro' | 'small' | 'medium' | 'large'>(),
  /** The only key to the application for the applicant: 128+ random bits. */
  trackingToken: text('tracking_token').notNull().unique(),
  status: text('status').$type<ApplicationStatus>().notNull().default('open'),
  flaggedBroker: boolean('flagged_broker').notNull().default(false),
  flagReason: text('flag_reason'),
  /** Another contact already has an open request for this company and product (SPEC "Duplicates without an oracle"). */
  secondContact: boolean('second_contact').notNull().default(false),
  /** The desk user who filled the request in with the owner (代办); the owner confirmed it on their phone. */
  assistedBy: integer('assisted_by').references(() => users.id),
  consentVersion: text('consent_version').notNull(),
  consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
  consentIp: text('consent_ip'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  /** When the contact's personal data was anonymised under the retention rule. */
  piiAnonymizedAt: timestamp('pii_anonymized_at', { withTimezone: true }),
}, (t) => [
  check('applications_mode_check', sql`${t.mode} in ('chosen','open')`),
  check('applications_status_check', sql`${t.status} in ('open','withdrawn','closed')`),
  index('applications_company_idx').on(t.companyId, t.createdAt),
  index('applications_phone_idx').on(t.contactPhone, t.createdAt),
  index('applications_channel_idx').on(t.channelId),
  index('applications_created_idx').on(t.createdAt),
]);

/** PIPL Art. 23: a separate consent per recipient bank, with the text version, time and address. */
export const consents = pgTable('consents', {
  applicationId: integer('application_id').notNull().references(() => applications.id),
  bankId: integer('bank_id').notNull().references(() => banks.id),
  purpose: text('purpose').$type<'dispatch' | 'second_look' | 'standby' | 'reassignment'>().notNull(),
  version: text('version').notNull(),
  grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
  ip: text('ip'),
}, (t) => [primaryKey({ columns: [t.applicationId, t.bankId] })]);

/** Idempotency-Key records: the first answer is replayed for the same key and body. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  key: text('key').primaryKey(),
  requestHash: text('request_hash').notNull(),
  status: integer('status'),
  response: jsonb('response'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type CompanyRow = typeof companies.$inferSelect;
export type ApplicationRow = typeof applications.$inferSelect;
