import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { leads } from './leads';
import { users } from './users';

/** One run of a scheduled job: when, how it ended, what it did. */
export const jobRuns = pgTable('job_runs', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  job: text('job').notNull(),
  trigger: text('trigger').$type<'scheduled' | 'manual'>().notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  outcome: text('outcome').$type<'running' | 'ok' | 'failed' | 'skipped'>().notNull(),
  counts: jsonb('counts'),
  error: text('error'),
}, (t) => [index('job_runs_job_idx').on(t.job, t.startedAt)]);

/** What the SLA job has done to a lead, once each: warn_accept, overdue_accept, …, escalated. */
export const slaMarks = pgTable('sla_marks', {
  leadId: integer('lead_id').notNull().references(() => leads.id),
  kind: text('kind').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.leadId, t.kind] })]);

/** In-app notices for staff. */
export const notifications = pgTable('notifications', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  userId: integer('user_id').notNull().references(() => users.id),
  kind: text('kind').notNull(),
  message: jsonb('message').$type<{ zh: string; en: string }>().notNull(),
  leadId: integer('lead_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  readAt: timestamp('read_at', { withTimezone: true }),
}, (t) => [index('notifications_user_idx').on(t.userId, t.readAt, t.createdAt)]);

export type NotificationRow = typeof notifications.$inferSelect;
