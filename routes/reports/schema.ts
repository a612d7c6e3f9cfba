import Joi from 'joi';
import { companySizes, productTypes } from '../../server/domain/catalogue';
import { day, district, id, paging, type Paging } from '../../server/schemas';
import { leagueSorts, type LeagueSort, type ReportFilter } from '../../models/reports';

/** The filters every report takes; `from`/`to` are Shanghai days, `to` inclusive (default: the last 365 days). */
export const reportQuery = Joi.object({
  from: day,
  to: day,
  district,
  industry: Joi.string().uppercase().pattern(/^[A-T]$/).messages({ 'string.pattern.base': 'industry must be a GB/T 4754 section letter A–T' }),
  size: Joi.string().valid(...companySizes),
  bankId: id,
  productType: Joi.string().valid(...productTypes),
  channelId: id,
});

export const leagueQuery = reportQuery.keys({
  sort: Joi.string().valid(...Object.keys(leagueSorts)).default('leads'),
  order: Joi.string().valid('asc', 'desc').default('desc'),
});

/** The filters as sent: `from`/`to` optional (the route fills the default range and `now`). */
export type ReportQuery = Partial<Omit<ReportFilter, 'now'>>;
export interface LeagueQuery extends ReportQuery { sort: LeagueSort; order: 'asc' | 'desc' }

/** The amendments list: a range of Shanghai days, optionally one bank, paged. */
export const amendmentsQuery = Joi.object({ from: day, to: day, bankId: id, ...paging });
export type AmendmentsQuery = Pick<ReportQuery, 'from' | 'to' | 'bankId'> & Paging;
